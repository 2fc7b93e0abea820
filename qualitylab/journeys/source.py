"""Read one YAML file safely into plain Python data plus the position of every value in it.

PyYAML's own loaders forget where a value came from, accept duplicate keys silently and expand
aliases without limit. Here the text is composed into nodes (safe tags only), then converted by hand
so that every path (``("journeys", 2, "steps", 0, "title")``) keeps its line and column, duplicate
keys are reported, and alias expansion is capped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qualitylab.errors import CatalogError

MAX_BYTES = 2 * 1024 * 1024
#: All the files of one catalog together (each file is also capped, at MAX_BYTES).
MAX_TOTAL_BYTES = 5 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
MAX_DEPTH = 50
#: Extra nodes that aliases may add when expanded; a real catalog needs a few hundred at most.
MAX_ALIAS_EXPANSION = 10_000

Path_ = tuple[str | int, ...]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with line breaks and control characters escaped, so a problem stays one line."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def quote(value: object, limit: int = 40) -> str:
    """A user's value for a message: quoted, on one line, and cut if it is long."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{one_line(text)}'"


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file, the way editors count them."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def problem(self, message: str) -> Problem:
        return Problem(self, message)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the catalog, printed as ``file:line:col: message``."""

    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {one_line(self.message)}"


@dataclass
class Document:
    """One parsed file: its data and where each path's key and value start."""

    file: str
    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    #: The literal text of each scalar, to quote it back in messages ("5.0", not 5.0).
    raw: dict[Path_, str] = field(default_factory=dict)
    #: Problems that did not stop the conversion (duplicate keys): reported with the schema ones.
    problems: list[Problem] = field(default_factory=list)

    def value_at(self, path: Path_) -> Position:
        """Position of the value at ``path``, or of its nearest enclosing value that exists."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Position(self.file, 1, 1)

    def key_at(self, path: Path_) -> Position:
        """Position of the key that names ``path`` (falls back to its value)."""
        return self.keys.get(path) or self.value_at(path)


class SourceError(Exception):
    """Problems that stop one file from being read at all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("nesting too deep")
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader that remembers alias uses and refuses absurd nesting while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.alias_marks: list[Any] = []  # yaml.Mark (the stubs also allow the C Mark)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            if event.start_mark is not None:
                self.alias_marks.append(event.start_mark)
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def catalog_files(path: Path) -> list[Path]:
    """The files a catalog path stands for; a missing path or an empty folder is an error."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in YAML_SUFFIXES and p.is_file() and not p.name.startswith(".")
        )
        if not files:
            raise CatalogError([f"{path}: no *.yaml or *.yml files in this folder"])
        return files
    if not path.exists():
        raise CatalogError([f"{path}: journeys file not found; check the path or pass --journeys"])
    return [path]


def read_text(path: Path, shown: str) -> str:
    """The file's text, refusing files over the size limit and bytes that are not UTF-8."""
    here = Position(shown, 1, 1)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise SourceError([here.problem(f"cannot read the file: {err.strerror or err}")]) from None
    if len(raw) > MAX_BYTES:
        raise SourceError(
            [
                here.problem(
                    "file is larger than 2 MB; split the catalog into several files in one folder"
                )
            ]
        )
    return decode(raw, shown)


def decode(raw: bytes, shown: str) -> str:
    """Strict UTF-8 (a leading BOM is allowed) with the offending byte's offset and line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        line = raw.count(b"\n", 0, err.start) + 1
        column = len(raw[line_start : err.start].decode("utf-8", "replace")) + 1
        where = Position(shown, line, column)
        raise SourceError(
            [
                where.problem(
                    f"byte 0x{raw[err.start]:02x} at byte offset {err.start} is not valid UTF-8; "
                    "save the file with UTF-8 encoding"
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def parse(text: str, shown: str) -> Document:
    """Compose ``text`` and convert it to data, keeping every position; raises SourceError."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise SourceError(
            [_unclosed_problem(err, text, shown) or _syntax_problem(err, shown)]
        ) from None
    except yaml.reader.ReaderError as err:
        raise SourceError([_reader_problem(err, text, shown)]) from None
    except yaml.YAMLError as err:  # pragma: no cover - every PyYAML error above is marked
        raise SourceError([Position(shown, 1, 1).problem(f"cannot read the YAML: {err}")]) from None
    except _TooDeep as err:
        raise SourceError(
            [
                _at(shown, err.mark).problem(
                    f"values are nested more than {MAX_DEPTH} levels deep; "
                    "a catalog needs only a few levels"
                )
            ]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise SourceError([Position(shown, 1, 1).problem(_EMPTY)])
    assert loader is not None
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise SourceError(
            [
                _at(shown, root.start_mark).problem(
                    "the top level must be a mapping with 'products:' and 'journeys:' keys, "
                    f"not {kind}"
                )
            ]
        )
    converter = _Converter(shown, loader)
    data = converter.convert(root, ())
    if converter.bomb or converter.fatal:
        raise SourceError(converter.problems)
    return Document(
        shown, data, converter.values, converter.keys, converter.raw, converter.problems
    )


_EMPTY = "file is empty; a catalog is a mapping with 'products:' and 'journeys:' lists"


def _at(shown: str, mark: yaml.Mark) -> Position:
    return Position(shown, mark.line + 1, mark.column + 1)


_HINTS = {
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "mapping values are not allowed here": (
        "is there a ':' inside a value? Put the value in quotes, or check the indentation"
    ),
    "could not find expected ':'": "check the indentation and that every key ends with ':'",
    "did not find expected key": "check the indentation of this line",
    "found undefined alias": "define the &anchor before using the *alias",
    "expected ',' or ']'": "is the closing ']' of a [list] missing?",
    "expected ',' or '}'": "is the closing '}' of a {mapping} missing?",
}


def _syntax_problem(err: yaml.MarkedYAMLError, shown: str) -> Problem:
    mark = err.problem_mark or err.context_mark
    where = _at(shown, mark) if mark is not None else Position(shown, 1, 1)
    problem = err.problem or err.context or "cannot read the YAML"
    if problem == "but found another document":
        return where.problem(
            "the file holds a second YAML document ('---'); keep one catalog per file"
        )
    message = f"YAML syntax error: {problem}"
    if err.context and err.problem and err.context_mark is not None:
        message += f" ({err.context} at line {err.context_mark.line + 1})"
    for start, hint in _HINTS.items():
        if problem.startswith(start):
            message += f"; {hint}"
            break
    return where.problem(message)


_CLOSERS = {"[": ("]", "list"), "{": ("}", "mapping")}


def _unclosed_problem(err: yaml.MarkedYAMLError, text: str, shown: str) -> Problem | None:
    """A bracket or quote left open, pointed at where it opens (PyYAML notices at file end)."""
    quoted = err.context == "while scanning a quoted scalar"
    if quoted and "end of stream" in str(err.problem) and err.context_mark is not None:
        index = err.context_mark.index
        quote_char = text[index] if 0 <= index < len(text) else '"'
        return _at(shown, err.context_mark).problem(
            f"YAML syntax error: the quote {quote_char} here is never closed; "
            f"add the closing {quote_char} where the text ends"
        )
    if "<stream end>" not in str(err.problem):
        return None
    opener = _innermost_unclosed(text)
    if opener is None:
        return None
    char = "[" if isinstance(opener, yaml.FlowSequenceStartToken) else "{"
    closer, kind = _CLOSERS[char]
    return _at(shown, opener.start_mark).problem(
        f"YAML syntax error: the '{char}' here is never closed; "
        f"add the closing '{closer}' where the {kind} ends"
    )


def _innermost_unclosed(text: str) -> yaml.Token | None:
    """The last ``[`` or ``{`` still open when the text (or its readable part) ends."""
    stack: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                stack.append(token)
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and stack:
                stack.pop()
    except yaml.YAMLError:
        pass  # the tokens up to the error are all that is known
    return stack[-1] if stack else None


def _reader_problem(err: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    position = min(max(err.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = err.character if isinstance(err.character, int) else 0
    return Position(shown, line, column).problem(
        f"control character U+{char:04X} is not allowed in YAML; remove it "
        '(write it as an escape like "\\t" inside double quotes if you really need it)'
    )


class _Converter:
    """Node tree -> plain data, recording positions, duplicate keys and alias expansion."""

    def __init__(self, shown: str, loader: _Loader) -> None:
        self.shown = shown
        self.loader = loader
        self.values: dict[Path_, Position] = {}
        self.keys: dict[Path_, Position] = {}
        self.raw: dict[Path_, str] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.expanded = 0
        self.stack: set[int] = set()
        self.bomb = False  # data is incomplete: stop converting
        self.fatal = False  # data is wrong in a way the schema would report twice

    def pos(self, node: Node) -> Position:
        return _at(self.shown, node.start_mark)

    def convert(self, node: Node, path: Path_) -> Any:
        if self.bomb:
            return None
        self.values.setdefault(path, self.pos(node))
        if id(node) in self.stack:
            self.problems.append(
                self.pos(node).problem(
                    "an alias refers to the value that contains it; remove the loop"
                )
            )
            self.bomb = True
            return None
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                first = self.loader.alias_marks[0] if self.loader.alias_marks else node.start_mark
                self.problems.append(
                    _at(self.shown, first).problem(
                        f"aliases (*name) expand to more than {MAX_ALIAS_EXPANSION} extra values, "
                        "which looks like an alias bomb; write the values out "
                        "instead of reusing them"
                    )
                )
                self.bomb = True
                return None
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self.problems.append(
                self.pos(node).problem(f"values are nested more than {MAX_DEPTH} levels deep")
            )
            self.bomb = True
            return None
        if isinstance(node, ScalarNode):
            self.raw[path] = node.value
            return self.scalar(node)
        self.stack.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ_TAG:
                    return self.bad_tag(node)
                return [self.convert(child, (*path, i)) for i, child in enumerate(node.value)]
            if isinstance(node, MappingNode):
                if node.tag != _MAP_TAG:
                    return self.bad_tag(node)
                return self.mapping(node, path)
        finally:
            self.stack.discard(id(node))
        return None  # pragma: no cover - PyYAML has only the three node kinds

    def bad_tag(self, node: Node) -> None:
        self.fatal = True
        self.problems.append(
            self.pos(node).problem(f"the tag {quote(node.tag, 80)} is not supported; remove it")
        )

    def scalar(self, node: ScalarNode) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as err:
            self.fatal = True
            problem = err.problem or "cannot read this value"
            self.problems.append(
                self.pos(node).problem(f"{problem}; remove the tag or quote the value")
            )
        except Exception:  # any tagged text can fail in its own way (int('x'), bool_values[...])
            self.fatal = True
            self.problems.append(
                self.pos(node).problem(
                    f"cannot read {quote(node.value)} as {node.tag.rsplit(':', 1)[-1]}; "
                    "put it in quotes"
                )
            )
        return None

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        where: dict[str, Position] = {}
        merged: set[str] = set()
        for key_node, value_node in self.pairs(node):
            if self.bomb:
                break
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE_TAG:
                self.merge(value_node, path, result, where, merged)
                continue
            if not isinstance(key_node, ScalarNode):
                self.fatal = True
                self.problems.append(
                    self.pos(key_node).problem("a key must be plain text, not a list or mapping")
                )
                continue
            key = str(key_node.value)  # the literal text: 'yes:' stays "yes", '1:' stays "1"
            if key in where and key not in merged:
                first = where[key]
                self.problems.append(
                    self.pos(key_node).problem(
                        f"key {quote(key)} appears twice in the same mapping "
                        f"(first on line {first.line}); keep only one"
                    )
                )
                continue
            merged.discard(key)
            where[key] = self.pos(key_node)
            self.keys[(*path, key)] = self.pos(key_node)
            self.values.pop((*path, key), None)
            result[key] = self.convert(value_node, (*path, key))
        return result

    def pairs(self, node: MappingNode) -> Iterator[tuple[Node, Node]]:
        yield from node.value

    def merge(
        self,
        value: Node,
        path: Path_,
        result: dict[str, Any],
        where: dict[str, Position],
        merged: set[str],
    ) -> None:
        """``<<: *base`` copies keys the mapping does not set itself (YAML merge keys)."""
        sources = value.value if isinstance(value, SequenceNode) else [value]
        for source in sources:
            if not isinstance(source, MappingNode):
                self.fatal = True
                self.problems.append(
                    self.pos(source).problem("'<<' must be followed by a mapping alias like *base")
                )
                continue
            data = self.convert(source, (*path, "<<"))
            if not isinstance(data, dict):
                continue
            for key, item in data.items():
                if key in result:
                    continue
                result[key] = item
                where[key] = self.pos(source)
                merged.add(key)
                self.values[(*path, key)] = self.values.get((*path, "<<", key), self.pos(source))
