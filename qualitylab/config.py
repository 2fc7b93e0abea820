"""Settings: where the database and the journey catalog are, and which UI language to use.

A plain path means SQLite; a ``postgresql+psycopg://`` URL means a shared PostgreSQL lab. Everything
has an environment variable (``QUALITYLAB_DB``, ``QUALITYLAB_JOURNEYS``, ``QUALITYLAB_LANG``) so
scripts and CI can set it once. Importing this module is cheap and does no I/O.
"""

from __future__ import annotations

import json
import locale
import os
import re
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "qualitylab"
ENV_DB = "QUALITYLAB_DB"
ENV_JOURNEYS = "QUALITYLAB_JOURNEYS"
ENV_LANG = "QUALITYLAB_LANG"
ENV_DATA_DIR = "QUALITYLAB_DATA_DIR"
ENV_CONFIG_DIR = "QUALITYLAB_CONFIG_DIR"
#: Set by ``qualitylab serve`` in each app process it starts (never on the command line).
ENV_SERVED = "QUALITYLAB_SERVED"
ENV_WALKER_SECRET = "QUALITYLAB_WALKER_SECRET"
ENV_RESUME_URL = "QUALITYLAB_RESUME_URL"
#: The type of the meta message a served app sends for one line in the server's log (``serve``
#: writes it at once; the app's stderr reaches the log only when its tab closes).
SERVER_LOG_META = "qualitylab_log"
#: "1" when the server's access key is fixed (``--token``/``$QUALITYLAB_SERVE_TOKEN``): only then
#: does the personal link outlive a restart of ``serve``.
ENV_RESUME_URL_KEPT = "QUALITYLAB_RESUME_URL_KEPT"
LANGUAGES = ("en", "ru")
#: The catalog shipped in the package (a symlink to the repository's journeys.yaml; the wheel holds
#: a copy), used when neither --journeys, $QUALITYLAB_JOURNEYS nor ./journeys.yaml is given.
_BUNDLED_JOURNEYS = Path(__file__).resolve().parent / "journeys.yaml"


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def resolve_db_url(value: str | None = None) -> str:
    """``--db`` value (or ``$QUALITYLAB_DB``, or the default file) -> an SQLAlchemy URL."""
    if value is not None and not value.strip():
        from qualitylab.errors import InvalidInput

        raise InvalidInput("--db is empty; give a SQLite file path or a postgresql:// URL")
    # Surrounding blanks are never meant: an env file saved on Windows gives "lab.db\r", a new,
    # empty lab beside the real one that walkers then fill ("lab\r" on a server: no database).
    raw = (value or os.environ.get(ENV_DB) or "").strip() or str(data_dir() / "qualitylab.db")
    if "://" in raw:
        if raw.startswith("postgresql://") or raw.startswith("postgres://"):
            # psycopg 3 is the driver we ship; spare users the dialect suffix.
            raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
        return _at_signs_in_user_info_escaped(raw) if raw.startswith("postgres") else raw
    if _LIBPQ_KEYWORD.match(raw):
        from qualitylab.errors import InvalidInput

        # Never echoed: it may hold password=...; as a file name, `serve` printed it whole.
        raise InvalidInput(
            "--db looks like a libpq connection string (key=value); give a "
            "postgresql://user:password@host:port/database URL, or a SQLite file path"
        )
    if raw == ":memory:":
        return "sqlite://"
    # A URL's path is percent-decoded and ends at "?": written as they are, "lab%20x.db" was
    # opened as "lab x.db" and "lab?x.db" as "lab" (store.location.sqlite_file decodes them).
    path = str(Path(raw).expanduser().resolve())
    return "sqlite:///" + path.replace("%", "%25").replace("?", "%3F")


#: The start of libpq's key=value spelling ("host=db dbname=lab password=..."), not a URL.
_LIBPQ_KEYWORD = re.compile(
    r"\s*(host|hostaddr|port|dbname|user|password|passfile|service|sslmode|options)\s*=", re.I
)


def _at_signs_in_user_info_escaped(url: str) -> str:
    """``scheme://lab:p@ss@host/db`` with the password's "@" written as %40, as it must be.

    The last "@" before the path ends the user info (a host holds no "@"), as ``mask_db_url``
    reads it; SQLAlchemy split at the first one, so the driver tried the host ``ss@host`` and
    printed it, half the password, in its error."""
    scheme, _, rest = url.partition("://")
    query = rest.find("?")
    at = rest.rfind("@", 0, query if query >= 0 else len(rest))
    if at < 0 or "@" not in rest[:at]:
        return url
    return f"{scheme}://{rest[:at].replace('@', '%40')}{rest[at:]}"


def mask_db_url(url: str) -> str:
    """``url`` with its password shown as ``***``: the one way a database URL is ever printed.

    Works on anything (a path, a URL, a malformed URL) without importing SQLAlchemy, so banners,
    CLI messages and store errors all use it and a password never reaches a terminal or a log.
    """
    import re

    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    query = rest.find("?")
    if query >= 0:  # libpq also takes ?password=...
        rest = rest[:query] + re.sub(r"(?i)(password=)[^&]*", r"\1***", rest[query:])
    # The last "@" before the query ends the user info, even if the password holds "/" or "@".
    at = rest.rfind("@", 0, query if query >= 0 else len(rest))
    if at < 0:
        return f"{scheme}://{rest}"
    user, colon, _password = rest[:at].partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}{rest[at:]}"


def resolve_journeys_path(value: str | os.PathLike[str] | None = None) -> Path:
    """``--journeys`` value, ``$QUALITYLAB_JOURNEYS``, ./journeys.yaml, or the bundled catalog."""
    raw = value or os.environ.get(ENV_JOURNEYS)
    if raw:
        return Path(raw).expanduser()
    local = Path.cwd() / "journeys.yaml"
    return local if local.exists() else _BUNDLED_JOURNEYS


def resolve_lang(value: str | None = None) -> str:
    """``--lang``, ``$QUALITYLAB_LANG``, else the locale (ru_* -> ru), else English."""
    raw = value or os.environ.get(ENV_LANG)
    if not raw:
        for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
            if os.environ.get(var):
                raw = os.environ[var]
                break
        else:
            raw = (locale.getlocale()[0] or "en") if hasattr(locale, "getlocale") else "en"
    code = raw.lower()[:2]
    return code if code in LANGUAGES else "en"


@dataclass(frozen=True)
class Profile:
    """The walker's remembered identity (asked once, on first run)."""

    name: str
    department: str = ""
    anonymous: bool = False
    #: An anonymous walker's own walks: the database holds nothing that links them to each other
    #: or to this computer, so this file is the only way back to an unfinished walk.
    walks: tuple[str, ...] = ()


#: How many of an anonymous walker's walks the profile remembers (the newest).
MAX_REMEMBERED_WALKS = 50


def profile_path() -> Path:
    return config_dir() / "profile.json"


def load_profile() -> Profile | None:
    try:
        data = json.loads(profile_path().read_text(encoding="utf-8"))
        return Profile(
            name=str(data["name"]),
            department=str(data.get("department", "")),
            anonymous=bool(data.get("anonymous", False)),
            walks=tuple(str(w) for w in data.get("walks", []))[-MAX_REMEMBERED_WALKS:],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_profile(profile: Profile) -> None:
    from qualitylab.domain import jsonout  # ~10 ms to import: not on every command's start-up

    path = profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    payload = {"name": profile.name, "department": profile.department}
    payload["anonymous"] = profile.anonymous  # type: ignore[assignment]
    if profile.walks:
        payload["walks"] = list(profile.walks)  # type: ignore[assignment]
    tmp.write_text(jsonout.dumps(payload), encoding="utf-8")
    tmp.replace(path)


_WALKER_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_walker_secret() -> str:
    """A browser walker's secret: 256 random bits, URL-safe (it rides in a cookie and a link)."""
    import secrets

    return secrets.token_urlsafe(32)


def is_walker_secret(value: str) -> bool:
    """Shaped like :func:`new_walker_secret` output; anything else is refused before it is used."""
    return len(value) == 43 and set(value) <= _WALKER_SECRET_CHARS
