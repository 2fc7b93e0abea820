"""Output shapes: every table, JSON document and report format the faces print or write.

The report: one typed model (``model``), assembled from plain facts (``assemble``), and one
renderer per format behind ``render.render(report, fmt)``.
"""
