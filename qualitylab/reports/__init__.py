"""Reports: one typed model (``model``) and one renderer per format (``render``)."""
