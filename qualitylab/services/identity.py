"""Who a browser walker is: the holder of a secret, never whoever types a name.

``qualitylab serve`` keeps each browser's secret in an HttpOnly cookie and hands it to that
browser's app process through the environment; the lab stores only its SHA-256. A name typed in the
browser is a label on that walker, so typing a colleague's name makes a new walker and never opens
the colleague's walks. (The terminal ``walk`` keeps "one walker per name": it is one person's own
computer.)
"""

from __future__ import annotations

import hashlib

from qualitylab.config import is_walker_secret
from qualitylab.domain import Walker
from qualitylab.errors import InvalidInput
from qualitylab.services.lab import Lab
from qualitylab.services.walks import check_name, need_display_name

ANONYMOUS_NAME = "anonymous"


def secret_hash(secret: str) -> str:
    """SHA-256 of the secret: 256 random bits need no slow hash, and the lab never holds the key."""
    if not is_walker_secret(secret):
        raise InvalidInput("this browser's walker key is malformed; open the lab link again")
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def served_walker(lab: Lab, secret: str) -> Walker | None:
    """The walker this browser registered earlier, or None for a new browser."""
    digest = secret_hash(secret)
    with lab.store.unit(read_only=True) as u:
        return u.walker_by_secret(digest)


def _label(name: str, department: str, anonymous: bool) -> tuple[str, str]:
    if anonymous:
        return ANONYMOUS_NAME, ""
    name = check_name(name, "display_name")
    if not name:
        raise need_display_name()
    return name, check_name(department, "department")


def save_served_walker(
    lab: Lab, secret: str, *, name: str, department: str = "", anonymous: bool = False
) -> Walker:
    """This browser's walker, labelled as typed: made on first use, relabelled after. No other
    walker can be reached this way, whatever the name."""
    digest = secret_hash(secret)
    name, department = _label(name, department, anonymous)
    with lab.store.unit() as u:
        walker = u.walker_by_secret(digest)
        if walker is None:
            return u.add_secret_walker(
                name=name, department=department, anonymous=anonymous, secret_hash=digest
            )
        return u.rename_walker(walker.uuid, name=name, department=department, anonymous=anonymous)
