"""A database that refused a write for lack of rights, told in one line that says what to change.

QA found a PostgreSQL user granted SELECT only meeting "unexpected ProgrammingError ... permission
denied" on `log` and `fix set`, and a read-only SQLite lab answering "attempt to write a readonly
database" with no hint. Both are lasting (waiting will not help, write access will), so they
become ``ReadOnlyLab``: the CLI prints the line, the walk app words it for the walker.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from qualitylab.config import mask_db_url
from qualitylab.errors import ReadOnlyLab
from qualitylab.store.location import refuse_if_read_only, sqlite_file, sqlite_refusal, write_block

#: SQLite's primary result code for "attempt to write a readonly database" (its extended codes,
#: e.g. SQLITE_READONLY_DIRECTORY, share the low byte).
SQLITE_READONLY = 8
#: PostgreSQL: insufficient_privilege (a table, sequence or schema not granted).
PG_NO_PRIVILEGE = "42501"
#: PostgreSQL: read_only_sql_transaction (a standby, or the user's default_transaction_read_only).
PG_READ_ONLY_TRANSACTION = "25006"
#: Statements that change data: a refusal of any other (SELECT) is a refusal to read.
_WRITES = ("INSERT", "UPDATE", "DELETE")


def refusal(exc: DBAPIError, url: str, *, upgrading: bool = False) -> ReadOnlyLab | None:
    """``exc`` as a ``ReadOnlyLab`` if the database refused it for lack of rights, else None.

    ``upgrading``: the refused statement was the lab's migration to this qualitylab's schema."""
    orig = exc.orig
    if (getattr(orig, "sqlite_errorcode", None) or 0) & 0xFF == SQLITE_READONLY:
        path = sqlite_file(url)
        if path is None:
            return None
        return sqlite_refusal(path, write_block(path), first_line(exc), upgrading=upgrading)
    state = getattr(orig, "sqlstate", None)
    if state not in (PG_NO_PRIVILEGE, PG_READ_ONLY_TRANSACTION):
        return None
    where, who, detail = mask_db_url(url), _who(url), first_line(exc)
    if upgrading:
        return ReadOnlyLab(
            f"lab {where} must be upgraded once to this qualitylab's schema, and {who} may not "
            f"change it ({detail}): run any qualitylab command on it once as the user that owns "
            "the lab's tables"
        )
    if state == PG_READ_ONLY_TRANSACTION:
        return ReadOnlyLab(
            f"lab {where} is read-only for {who} ({detail}: a standby server, or "
            "default_transaction_read_only): point --db at the primary server, or use a user "
            "that may write"
        )
    statement = (exc.statement or "").lstrip().upper()
    if not statement.startswith(_WRITES):
        return ReadOnlyLab(
            f"{who} may not read lab {where} ({detail}): grant it USAGE on the lab's schema and "
            "SELECT on all its tables, or use a user that may"
        )
    return _may_not_write(url)


def _who(url: str) -> str:
    """The PostgreSQL user of ``url``, for a message (its password never)."""
    user = make_url(url).username
    return f"the database user {user!r}" if user else "the database user"


def _may_not_write(url: str) -> ReadOnlyLab:
    return ReadOnlyLab(
        f"{_who(url)} may read lab {mask_db_url(url)} but not write to it: grant it INSERT, "
        "UPDATE, DELETE on all tables and USAGE on all sequences in the lab's schema, or use a "
        "user that may write"
    )


def refuse_unless_writable(connection: Connection, table: str) -> None:
    """Raise ``ReadOnlyLab`` if this user may not add rows to ``table`` of the lab.

    For a use-case about to answer "not found" where a reader's own fix list could not be
    stored: `fix set` with an id from the list a reader's `fixes` printed (and did not store)
    said "no cluster ...; run `qualitylab fixes`", which running it again never changes."""
    url = connection.engine.url.render_as_string(hide_password=False)
    if connection.dialect.name == "postgresql":
        query = text("SELECT has_table_privilege(CAST(:table AS text), 'INSERT')")
        if not connection.execute(query, {"table": table}).scalar():
            raise _may_not_write(url)
        return
    refuse_if_read_only(sqlite_file(url))


def first_line(exc: BaseException) -> str:
    """The first line of the database's own words (the driver's error, not SQLAlchemy's)."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__
