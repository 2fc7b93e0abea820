"""Serving a Textual app of the lab to browser tabs, behind the lab's access control.

``serve_app(app, options)`` runs textual-serve with what a port open to a company needs: an access
token exchanged for an HttpOnly cookie (403 for everything without it), an Origin check on the
websocket, a bounded number of app processes with an idle timeout, capped message sizes, and a
per-browser walker secret handed to each app process through its environment. Which app a tab gets
is a parameter (:mod:`qualitylab.serving.apps`), so the walk app and the product owners' triage app
are served the same way.
"""

from __future__ import annotations

from qualitylab.serving.apps import SERVED_APPS, ServedApp
from qualitylab.serving.options import ServeOptions, browser_url, is_loopback

__all__ = ["SERVED_APPS", "ServeOptions", "ServedApp", "browser_url", "is_loopback", "serve_app"]


def serve_app(app: ServedApp, options: ServeOptions) -> None:
    """Serve ``app`` until Ctrl+C (imports aiohttp and textual-serve only now)."""
    from qualitylab.serving.server import LabServer

    LabServer(app, options).serve()
