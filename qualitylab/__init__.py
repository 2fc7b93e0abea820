"""qualitylab: a product quality lab."""

__version__ = "0.1.0"
