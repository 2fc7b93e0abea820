"""The one CSV reader of every command that reads a user's CSV (``log --from-csv``,
``cluster-texts``): encoding, separator, field limit, quotes and their messages in one place.

Why one reader: two hand-written ones disagreed (issue 9 §5): one stored a runaway quote as a
single 2,297-character text holding the next 50 rows, the other took no ``--encoding``, and an
over-long field read differently in each. Here every problem is one line, ``FILE:LINE: what``,
raised before the caller sees any row, so a broken file imports nothing.

Pure: it reads one file and knows no database or screen.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from qualitylab.errors import InvalidInput

#: Separators tried on the header, in this order when two fit equally well.
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a '|'"}
#: Largest field, in characters: pasted logs easily pass Python's default 128 KiB, but a
#: runaway quote should still stop with an error rather than eat memory.
FIELD_LIMIT = 4 * 1024 * 1024
#: Largest file read (it is read whole, then parsed): a million texts of 500 characters fit. A
#: larger file, a device such as /dev/zero or an endless pipe is refused, not read until the
#: machine runs out of memory.
MAX_CSV_BYTES = 512 * 1024 * 1024
DEFAULT_ENCODING = "utf-8-sig"  # UTF-8, with or without Excel's byte-order mark
ENCODING_HINT = "e.g. --encoding cp1251"


@dataclass(frozen=True)
class CsvRow:
    """One non-blank record of the file, with the physical lines it spans."""

    path: Path
    line: int  # the line it starts on (the header is line 1)
    end: int  # the line it ends on (a quoted field may hold line breaks)
    fields: list[str]
    raw: str  # as written, without its final line break

    @property
    def where(self) -> str:
        """``FILE:LINE`` or ``FILE:FIRST-LAST`` for a record over several lines."""
        lines = str(self.line) if self.line == self.end else f"{self.line}-{self.end}"
        return f"{self.path}:{lines}"


@dataclass(frozen=True)
class CsvFile:
    path: Path
    encoding: str
    delimiter: str  # for a one-column file, a character that is nowhere in it
    header: list[str]  # names stripped of surrounding blanks; [] for an empty file
    rows: list[CsvRow]  # the records after the header, blank ones left out

    @property
    def one_column(self) -> bool:
        return len(self.header) == 1

    def extra_fields(self, row: CsvRow) -> str | None:
        """Why ``row`` cannot be read as the header says, if it has more non-empty fields than
        the header has columns (nearly always a text with an unquoted separator: never cut)."""
        if not any(f.strip() for f in row.fields[len(self.header) :]):
            return None
        sep = self.delimiter if self.delimiter != "\t" else " <tab>"
        return (
            f"{row.where}: this row has {len(row.fields)} fields but the header has "
            f"{len(self.header)}; put texts that contain {DELIMITER_NAMES[self.delimiter]} in "
            f'double quotes ("like{sep} this")'
        )


def text_encoding(name: str) -> str:
    """The codec name for ``--encoding``; only text encodings (``rot13``, ``base64`` or
    ``hex_codec`` decode bytes to bytes or str to str and would fail later, obscurely)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        raise InvalidInput(f"unknown encoding {name!r}; try utf-8 or cp1251") from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidInput(f"{name!r} is not a text encoding; try utf-8 or cp1251")
    return info.name


#: How standard input (``-``) is named in messages.
STDIN = Path("<stdin>")


def read_csv(path: Path, *, encoding: str | None = None, columns: Collection[str] = ()) -> CsvFile:
    """Read a whole CSV file, or raise one InvalidInput line naming the file (and line).

    ``columns``: names the caller looks for; the separator whose header holds most of them wins
    (then the one giving most columns), so texts full of ``;`` cannot fool a comma file. A
    one-column file needs no quoting: each line is a text, commas and all. ``-`` reads standard
    input (``... | qualitylab log --from-csv -``, as ``import -`` reads an export), named
    ``<stdin>`` in messages and in the returned ``CsvFile.path``.
    """
    chosen = text_encoding(encoding) if encoding else None
    data = _read_bytes(path)
    path = STDIN if str(path) == "-" else path
    # Universal newlines, as a text file reads: a "\r\n" or "\r" in a text comes back as "\n".
    raw = _decode(path, data, chosen).replace("\r\n", "\n").replace("\r", "\n")
    old_limit = csv.field_size_limit(max(FIELD_LIMIT, csv.field_size_limit()))
    try:  # the limit is process-wide: put it back for whoever else uses csv
        delimiter, header = _pick_delimiter(raw, columns)
        single = len(header) == 1
        if single:  # read it with a separator that is nowhere in the file
            delimiter = _unused_char(raw)
        records = _records(path, raw, delimiter, strict=not single)
    finally:
        csv.field_size_limit(old_limit)
    if not records:
        return CsvFile(path, chosen or DEFAULT_ENCODING, delimiter, [], [])
    rows = records[1:]
    if single:
        rows = [piece for row in rows for piece in _stray_quote_lines(row)]
    header = [name.strip() for name in records[0].fields]
    return CsvFile(path, chosen or DEFAULT_ENCODING, delimiter, header, rows)


def _read_bytes(path: Path) -> bytes:
    limit = MAX_CSV_BYTES
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(limit + 1)
            path = STDIN
        else:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InvalidInput(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"cannot read {path}: it is a folder, not a CSV file") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        size = f"{limit // 2**20:,} MB" if limit >= 2**20 else f"{limit:,} bytes"
        raise InvalidInput(
            f"cannot read {path}: it is larger than {size}; split it into smaller files"
        )
    return data


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    """The file's text: the given encoding, else what a byte-order mark says (Excel's
    "Unicode text" is UTF-16), else UTF-8."""
    if encoding is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif b"\x00" in data[:65536]:
            raise InvalidInput(f"{path} is not a CSV text file (it holds NUL bytes)")
    try:
        return data.decode(encoding or DEFAULT_ENCODING)
    except UnicodeDecodeError as exc:
        used = encoding or DEFAULT_ENCODING
        # utf-8-sig counts the error's offset from after the byte-order mark it dropped.
        shift = (
            len(codecs.BOM_UTF8) if _is_utf8_sig(used) and data.startswith(codecs.BOM_UTF8) else 0
        )
        before = data[: exc.start + shift].decode(used, "replace")
        line = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1  # as read
        name = "UTF-8" if encoding is None else encoding
        fix = (
            f"save it as UTF-8 or pass --encoding ({ENCODING_HINT})"
            if encoding is None
            else ("check --encoding")
        )
        raise InvalidInput(
            f"{path}:{line}: this is not {name} text ({exc.reason}); {fix}"
        ) from None


def _is_utf8_sig(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8-sig"
    except LookupError:
        return False


def _pick_delimiter(raw: str, columns: Collection[str]) -> tuple[str, list[str]]:
    """The separator (and the header it gives) whose header holds most wanted columns, then
    the most columns: a missing column must not make us blame the wrong one."""
    wanted = {c.strip().lower() for c in columns}
    best: tuple[int, int] = (-1, -1)
    chosen, header = ",", []
    for candidate in DELIMITERS:
        reader = csv.reader(io.StringIO(raw, newline=""), delimiter=candidate)
        try:
            fields = next((row for row in reader if row), [])
        except csv.Error:
            continue
        score = (len({f.strip().lower() for f in fields} & wanted), len(fields))
        if score > best:
            best, chosen, header = score, candidate, fields
    return chosen, header


def _unused_char(raw: str) -> str:
    """A private-use character that is nowhere in ``raw``: a separator that never splits."""
    used = set(raw)
    for first, last in ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)):
        for code in range(first, last + 1):
            if chr(code) not in used:
                return chr(code)
    raise InvalidInput("the file uses every private-use character; it is not a text CSV")


def _records(path: Path, raw: str, delimiter: str, *, strict: bool) -> list[CsvRow]:
    """Every non-blank record with its lines; a runaway quote or a field over FIELD_LIMIT is a
    one-line InvalidInput naming the line where the record starts.

    ``strict`` (files of several columns): a quoted field must end at a separator or a line
    end, so a stray opening quote closed by a quote inside some later text is an error rather
    than rows merged into one text. An end marker is fed after the last line: if a field
    swallows it, a quote was never closed.
    """
    end = f"qualitylab-end-{uuid.uuid4().hex}"
    pending: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(raw, newline=""):
            pending.append(line)
            yield line
        yield end

    reader = csv.reader(lines(), delimiter=delimiter, strict=strict)
    records: list[CsvRow] = []
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InvalidInput(_csv_problem(path, start, str(exc))) from None
        text = "".join(pending)
        pending.clear()
        if fields == [end]:
            break
        if fields and fields[-1].endswith(end):
            raise InvalidInput(_csv_problem(path, start, "unexpected end of data"))
        if fields:  # a blank line is no record; a line holding "" is one empty text
            last = start + max(1, len(text.splitlines())) - 1
            records.append(CsvRow(path, start, last, fields, _chomp(text)))
        start = reader.line_num + 1
    return records


def _csv_problem(path: Path, line: int, error: str) -> str:
    """The csv module's error as one line a user can act on."""
    if "field limit" in error:
        return (
            f"{path}:{line}: a field is longer than {FIELD_LIMIT:,} characters; "
            "shorten it, or close a quote left open"
        )
    if "end of data" in error:
        return (
            f"{path}:{line}: unterminated quote: the quoted field that starts here runs to "
            'the end of the file; close it, and write a quote inside a text as ""'
        )
    if "expected after" in error:
        return (
            f"{path}:{line}: a quote that opens a field here closes in the middle of a later "
            'text; close it right after its text, and write a quote inside a text as ""'
        )
    return f"{path}:{line}: not valid CSV: {error}"


def _chomp(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text


def _stray_quote_lines(row: CsvRow) -> list[CsvRow]:
    """A one-column record is one text, unless a stray quote made it span lines it should not:
    then each of its lines is a text of its own (with its own line number)."""
    field = row.fields[0]
    if row.raw in (field, '"' + field.replace('"', '""') + '"'):
        return [row]
    return [
        CsvRow(row.path, row.line + n, row.line + n, [line], line)
        for n, line in enumerate(row.raw.splitlines())
        if line.strip()
    ]
