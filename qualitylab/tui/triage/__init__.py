"""``qualitylab triage``: the product owner's app (journeys, fix list, one problem, one-offs)."""
