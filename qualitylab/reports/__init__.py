"""Output shapes: every table, JSON document and report format the faces print or write; the
report is one typed model (``model``) with one renderer per format (``render``)."""
