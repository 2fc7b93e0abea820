"""The walk app (Textual). Importing this package is cheap; import ``qualitylab.tui.app`` to run."""
