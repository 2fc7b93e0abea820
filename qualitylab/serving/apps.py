"""The apps ``qualitylab serve --app NAME`` can put in a browser tab, and who their users are.

* ``walk``: employees walking journeys. Each browser gets a walker secret (cookie + personal
  link); the app process receives it in ``$QUALITYLAB_WALKER_SECRET`` and only ever shows that
  walker's walks.
* A product owners' app (``triage``) registers here with ``walker_identity=False``: product owners
  are not walkers, so they get no walker secret; whoever holds the access token may use it, and a
  decision records the owner typed in it. Serve it on its own port with its own token.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServedApp:
    """One servable app: the ``qualitylab`` arguments that start it in a tab's process."""

    name: str
    #: Arguments after ``python -m qualitylab`` (no secrets: those go in the environment).
    argv: tuple[str, ...]
    #: Give each browser a walker secret and pass it to the app (apps for walkers only).
    walker_identity: bool
    title: str = "QualityLab"
    #: The app cannot be used without a valid journey catalog (walking needs the journeys; the
    #: triage app reads the journeys stored with the walks), so ``serve`` checks it at start.
    needs_catalog: bool = False
    #: The app adds data, so ``serve`` may start a new SQLite lab for it; an app that only
    #: reads (triage) refuses a path with no lab, as its terminal command does.
    creates_lab: bool = True
    #: A table the app's users add rows to: ``serve`` checks at start that the lab's database
    #: user may write it. A walk app on a lab it may only read would refuse every walker's first
    #: save; a triage app there still reads (``read_only_ok``), so that is only a warning.
    writes: str = "pain_point"
    read_only_ok: bool = False


SERVED_APPS: dict[str, ServedApp] = {
    "walk": ServedApp("walk", ("walk", "--served"), walker_identity=True, needs_catalog=True),
    "triage": ServedApp(
        "triage",
        ("triage", "--served"),
        walker_identity=False,
        title="QualityLab triage",
        creates_lab=False,
        writes="cluster_fix",
        read_only_ok=True,
    ),
}
