"""The fix list, pure: clustered pain points and step visits in, a ranked list of problems out.

No database, no screens: ``qualitylab.services.fixes`` loads what this package needs, calls it and
saves what it returns. One module per job:

- ``facts``: what the score needs to know about each pain point and step visit;
- ``one_offs``: lone blockers that must be listed although no cluster holds them;
- ``lineage``: ids and decisions that carry over from the last run (splits inherit decisions);
- ``score``: the priority score, its parts and the ranking rule;
- ``releases``: fix status, regressions and release ordering;
- ``build``: a scope's data -> the ranked, decided list; one item's explanation; release changes.
"""
