"""Output shapes: every table, JSON document and report format the faces print or write."""
