"""Broken catalogs: every kind of problem is reported at its exact line:col with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualitylab.domain import Catalog
from qualitylab.errors import CatalogError
from qualitylab.journeys import load_catalog, load_catalog_text
from qualitylab.journeys.source import MAX_ALIAS_EXPANSION, MAX_BYTES

# Line numbers matter: the cases below edit this text line by line.
BASE = """\
products:
  - id: esim
    name: eSIM
    release: "1.2"
journeys:
  - id: activate
    title: Activate an eSIM
    product: esim
    persona: Anna, 34
    channel: app
    goal: Get online
    estimated_minutes: 10
    steps:
      - id: open
        title: Open the app
        instructions: Tap the icon.
      - id: pay
        title: Pay
        instructions: Pay with the test card.
"""

SECOND_JOURNEY = """\
  - id: {id}
    title: Second
    product: esim
    persona: Bob
    channel: web
    goal: Pay a bill
    estimated_minutes: 5
    steps:
      - id: start
        title: Start
        instructions: Start.
"""


def edit(*changes: tuple[int, str | None], text: str = BASE) -> str:
    """BASE with line N replaced (or deleted when the new text is None)."""
    lines = text.splitlines()
    for number, new in sorted(changes, reverse=True):
        if new is None:
            del lines[number - 1]
        else:
            lines[number - 1] = new
    return "\n".join(lines) + "\n"


def problems_of(text: str | bytes) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog_text(text)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


CASES: list[tuple[str, str | bytes, list[str]]] = [
    (
        "typo key",
        edit((11, "    gaol: Get online")),
        [
            "journeys.yaml:6:5: journey 'activate' is missing 'goal'; add 'goal: ...' to it",
            "journeys.yaml:11:5: unknown key 'gaol' (did you mean 'goal'?)",
        ],
    ),
    (
        "typo key in a step, nothing close",
        edit((16, "        instructions: Tap the icon.\n        colour: red")),
        [
            "journeys.yaml:17:9: unknown key 'colour' in step 'open' in journey 'activate'; "
            "allowed keys: id, title, instructions, expected, watch_for, tags, skippable"
        ],
    ),
    (
        "typo key at the top level",
        edit((5, "jouneys:")),
        [
            "journeys.yaml:1:1: the catalog has no 'journeys' list; "
            "add 'journeys:' with at least one item",
            "journeys.yaml:5:1: unknown key 'jouneys' (did you mean 'journeys'?)",
        ],
    ),
    (
        "missing field",
        edit((11, None)),
        ["journeys.yaml:6:5: journey 'activate' is missing 'goal'; add 'goal: ...' to it"],
    ),
    (
        "missing field in a step",
        edit((18, None)),
        [
            "journeys.yaml:17:9: step 'pay' in journey 'activate' is missing 'title'; "
            "add 'title: ...' to it"
        ],
    ),
    (
        "duplicate step id",
        edit((17, "      - id: open")),
        [
            "journeys.yaml:17:13: step id 'open' is used twice in journey 'activate' "
            "(first on line 14); give each step its own id"
        ],
    ),
    (
        "duplicate journey id",
        BASE + SECOND_JOURNEY.format(id="activate"),
        [
            "journeys.yaml:20:9: journey id 'activate' is used twice (first on line 6); "
            "give each journey its own id"
        ],
    ),
    (
        "duplicate product id",
        edit((4, '    release: "1.2"\n  - id: esim\n    name: Again\n    release: "2"')),
        [
            "journeys.yaml:5:9: product id 'esim' is used twice (first on line 2); "
            "give each product its own id"
        ],
    ),
    (
        "unknown product",
        edit((8, "    product: esin")),
        [
            "journeys.yaml:8:14: journey 'activate' names product 'esin', which is not in "
            "'products'; use one of: esim (did you mean 'esim'?)"
        ],
    ),
    (
        "bad enum",
        edit((10, "    channel: phone")),
        [
            "journeys.yaml:10:14: 'channel' of journey 'activate' is 'phone', which is not "
            "allowed; use one of: app, web, shop, call-centre, sms, other"
        ],
    ),
    (
        "bad enum, close to a value",
        edit((10, "    channel: callcentre")),
        [
            "journeys.yaml:10:14: 'channel' of journey 'activate' is 'callcentre', which is not "
            "allowed; use one of: app, web, shop, call-centre, sms, other "
            "(did you mean 'call-centre'?)"
        ],
    ),
    (
        "wrong type: word for a number",
        edit((12, "    estimated_minutes: ten")),
        [
            "journeys.yaml:12:24: 'estimated_minutes' of journey 'activate' must be a whole "
            "number (e.g. 10), not 'ten'"
        ],
    ),
    (
        "wrong type: unquoted version number",
        edit((4, "    release: 1.20")),
        [
            "journeys.yaml:4:14: 'release' of product 'esim' must be text, but YAML reads 1.20 "
            'as a number; put it in quotes: "1.20"'
        ],
    ),
    (
        "release with a tab: the one rule every release follows",
        edit((4, '    release: "1.2\\tbeta"')),
        [
            "journeys.yaml:4:14: product 'esim': the release holds a tab (at 4); a release is "
            "one line of up to 64 printable characters, such as 2.1, 2026.11 or 5.0-rc1"
        ],
    ),
    (
        "release longer than the database keeps",
        edit((4, f'    release: "{"9" * 65}"')),
        ["journeys.yaml:4:14: 'release' of product 'esim' is too long; keep it to 64 characters"],
    ),
    (
        "wrong type: YAML 1.1 boolean word",
        edit((7, "    title: yes")),
        [
            "journeys.yaml:7:12: 'title' of journey 'activate' must be text, but YAML reads yes "
            'as true/false; put it in quotes: "yes"'
        ],
    ),
    (
        "wrong type: date",
        edit((7, "    title: 2026-01-01")),
        [
            "journeys.yaml:7:12: 'title' of journey 'activate' must be text, but YAML reads "
            '2026-01-01 as a date; put it in quotes: "2026-01-01"'
        ],
    ),
    (
        "wrong type: nothing after the colon",
        edit((13, "    steps:"), *[(n, None) for n in range(14, 20)]),
        [
            "journeys.yaml:13:11: 'steps' of journey 'activate' must be a list with one '- item' "
            "per line, not an empty value"
        ],
    ),
    (
        "no journeys",
        edit((5, "journeys: []"), *[(n, None) for n in range(6, 20)]),
        ["journeys.yaml:5:11: the catalog needs at least one journey under 'journeys:'"],
    ),
    (
        "wrong type: list where text belongs",
        edit((7, "    title: [a, b]")),
        ["journeys.yaml:7:12: 'title' of journey 'activate' must be text, not a list"],
    ),
    (
        "wrong type: colon inside text",
        edit((9, "    persona: Anna: 34")),
        [
            "journeys.yaml:9:18: YAML syntax error: mapping values are not allowed here; "
            "is there a ':' inside a value? Put the value in quotes, or check the indentation"
        ],
    ),
    (
        "wrong type: text where a step belongs",
        edit((17, "      - pay"), (18, None), (19, None)),
        [
            "journeys.yaml:17:9: step #2 in journey 'activate' must be a mapping of keys "
            "(id:, title:, instructions: ...), not text"
        ],
    ),
    (
        "wrong type: boolean",
        edit((16, "        instructions: Tap the icon.\n        skippable: maybe")),
        [
            "journeys.yaml:17:20: 'skippable' of step 'open' in journey 'activate' must be "
            "true or false, not 'maybe'"
        ],
    ),
    (
        "out of range",
        edit((12, "    estimated_minutes: 0")),
        [
            "journeys.yaml:12:24: 'estimated_minutes' of journey 'activate' must be at least 1, "
            "not 0"
        ],
    ),
    (
        "bad id",
        edit((6, "  - id: Activate eSIM")),
        [
            "journeys.yaml:6:9: the id of journey #1 is 'Activate eSIM'; ids use only lower-case "
            "letters, digits, '-' and '_' and start with a letter or digit; try 'activate-esim'"
        ],
    ),
    (
        "empty text",
        edit((7, '    title: "  "')),
        ["journeys.yaml:7:12: 'title' of journey 'activate' must not be empty"],
    ),
    (
        "no steps",
        edit((13, "    steps: []"), *[(n, None) for n in range(14, 20)]),
        ["journeys.yaml:13:12: journey 'activate' has no steps; add at least one under 'steps:'"],
    ),
    (
        "duplicate key in a mapping",
        edit((7, "    title: Activate an eSIM\n    title: Activate eSIM")),
        [
            "journeys.yaml:8:5: key 'title' appears twice in the same mapping (first on line 7); "
            "keep only one"
        ],
    ),
    (
        "YAML syntax error",
        edit((15, "        title: [Open the app")),
        [
            "journeys.yaml:16:21: YAML syntax error: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence at line 15); is the closing ']' of a [list] missing?"
        ],
    ),
    (
        "unclosed '[' at the end of the file points at the bracket",
        BASE + "categories: [tone\n",
        [
            "journeys.yaml:20:13: YAML syntax error: the '[' here is never closed; "
            "add the closing ']' where the list ends"
        ],
    ),
    (
        "unclosed '[' with nothing after it",
        BASE + "categories: [\n",
        [
            "journeys.yaml:20:13: YAML syntax error: the '[' here is never closed; "
            "add the closing ']' where the list ends"
        ],
    ),
    (
        "unclosed '{' inside a closed-off '[': the innermost one first",
        BASE + "categories: [a,\n  {b: c\n",
        [
            "journeys.yaml:21:3: YAML syntax error: the '{' here is never closed; "
            "add the closing '}' where the mapping ends"
        ],
    ),
    (
        "unclosed quote",
        edit((9, '    persona: "Anna, 34')),
        [
            'journeys.yaml:9:14: YAML syntax error: the quote " here is never closed; '
            'add the closing " where the text ends'
        ],
    ),
    (
        "tab indentation",
        edit((3, "\tname: eSIM")),
        [
            "journeys.yaml:3:1: YAML syntax error: found character '\\t' that cannot start any "
            "token; indent with spaces, not tabs"
        ],
    ),
    (
        "two documents",
        BASE + "---\nproducts: []\n",
        [
            "journeys.yaml:20:1: the file holds a second YAML document ('---'); "
            "keep one catalog per file"
        ],
    ),
    (
        "unsafe tag",
        edit((9, "    persona: !!python/object/apply:os.system [ls]")),
        [
            "journeys.yaml:9:14: the tag 'tag:yaml.org,2002:python/object/apply:os.system' "
            "is not supported; remove it"
        ],
    ),
    (
        "alias bomb",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
        [
            f"journeys.yaml:2:8: aliases (*name) expand to more than {MAX_ALIAS_EXPANSION} "
            "extra values, which looks like an alias bomb; write the values out instead of "
            "reusing them"
        ],
    ),
    (
        "alias loop",
        "a: &a [1, *a]\n",
        ["journeys.yaml:1:4: an alias refers to the value that contains it; remove the loop"],
    ),
    (
        "undefined alias",
        edit((9, "    persona: *anna")),
        [
            "journeys.yaml:9:14: YAML syntax error: found undefined alias 'anna'; "
            "define the &anchor before using the *alias"
        ],
    ),
    (
        "deep nesting",
        "a: " + "[" * 60 + "]" * 60 + "\n",
        [
            "journeys.yaml:1:53: values are nested more than 50 levels deep; "
            "a catalog needs only a few levels"
        ],
    ),
    (
        "non-UTF-8 bytes",
        BASE.replace("Anna", "Ann\xe4").encode("latin-1"),
        [
            "journeys.yaml:9:17: byte 0xe4 at byte offset 146 is not valid UTF-8; "
            "save the file with UTF-8 encoding"
        ],
    ),
    (
        "control character",
        edit((9, "    persona: Anna\x07")),
        [
            "journeys.yaml:9:18: control character U+0007 is not allowed in YAML; remove it "
            '(write it as an escape like "\\t" inside double quotes if you really need it)'
        ],
    ),
    (
        "empty",
        "# nothing here yet\n\n",
        [
            "journeys.yaml:1:1: file is empty; a catalog is a mapping with 'products:' and "
            "'journeys:' lists"
        ],
    ),
    (
        "top level is a list",
        "- id: esim\n- id: activate\n",
        [
            "journeys.yaml:1:1: the top level must be a mapping with 'products:' and "
            "'journeys:' keys, not a list"
        ],
    ),
    (
        "a list key holding one value",
        edit((1, "products: esim"), (2, None), (3, None), (4, None)),
        [
            "journeys.yaml:1:11: 'products' must be a list with one '- ' item per line, "
            "not a single value"
        ],
    ),
    (
        "many problems at once",
        edit(
            (4, "    release: 1.2"),
            (10, "    channel: ap"),
            (11, "    gaol: Get online"),
            (17, "      - id: open"),
        ),
        [
            "journeys.yaml:4:14: 'release' of product 'esim' must be text, but YAML reads 1.2 "
            'as a number; put it in quotes: "1.2"',
            "journeys.yaml:6:5: journey 'activate' is missing 'goal'; add 'goal: ...' to it",
            "journeys.yaml:10:14: 'channel' of journey 'activate' is 'ap', which is not allowed; "
            "use one of: app, web, shop, call-centre, sms, other (did you mean 'app'?)",
            "journeys.yaml:11:5: unknown key 'gaol' (did you mean 'goal'?)",
            "journeys.yaml:17:13: step id 'open' is used twice in journey 'activate' "
            "(first on line 14); give each step its own id",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_catalog_reports_each_problem_at_its_line_and_column(
    text: str | bytes, expected: list[str]
) -> None:
    assert problems_of(text) == expected


def test_the_base_catalog_itself_is_valid() -> None:
    catalog = load_catalog_text(BASE)
    assert [s.id for s in catalog.journey("activate").steps] == ["open", "pay"]


def test_anchors_and_merge_keys_within_limits_are_fine() -> None:
    text = edit(
        (9, "    persona: &who Anna, 34"),
        (17, "      - <<: &base {title: Pay, instructions: Pay with the test card.}"),
        (18, "        id: pay"),
        (19, "      - {<<: *base, id: pay-again, title: Pay again}"),
    )
    text += SECOND_JOURNEY.format(id="second").replace("persona: Bob", "persona: *who")
    catalog = load_catalog_text(text)
    steps = catalog.journey("activate").steps
    assert [(s.id, s.title, s.instructions) for s in steps[1:]] == [
        ("pay", "Pay", "Pay with the test card."),
        ("pay-again", "Pay again", "Pay with the test card."),
    ]
    assert catalog.journey("second").persona == "Anna, 34"


def test_yes_and_numbers_as_keys_stay_the_words_written() -> None:
    # YAML 1.1 reads a bare `yes:` key as True; an unknown key must still be quoted as written.
    assert problems_of(edit((11, "    goal: Get online\n    yes: 1"))) == [
        "journeys.yaml:12:5: unknown key 'yes' in journey 'activate'; allowed keys: id, title, "
        "product, persona, channel, goal, description, language, estimated_minutes, "
        "have_at_hand, steps"
    ]


def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "journeys.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.problems == [
        f"{path}:1:1: file is larger than 2 MB; split the catalog into several files in one folder"
    ]


def test_oversize_text_is_refused() -> None:
    assert problems_of("#" * (MAX_BYTES + 1)) == [
        "journeys.yaml:1:1: file is larger than 2 MB; split the catalog into several files"
    ]


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(CatalogError) as caught:
        load_catalog(missing)
    assert caught.value.problems == [
        f"{missing}: journeys file not found; check the path or pass --journeys"
    ]


def test_folder_without_yaml_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    assert caught.value.problems == [f"{tmp_path}: no *.yaml or *.yml files in this folder"]


def test_utf8_bom_is_accepted() -> None:
    assert load_catalog_text(b"\xef\xbb\xbf" + BASE.encode()).products[0].id == "esim"


# ---- a folder of files is one catalog ------------------------------------------------------------

PRODUCTS = """\
categories: [tone of voice]
products:
  - id: esim
    name: eSIM
    release: "1.2"
"""
JOURNEYS_A = "journeys:\n" + SECOND_JOURNEY.format(id="first")
JOURNEYS_B = "version: 1\ncategories: [legal]\njourneys:\n" + SECOND_JOURNEY.format(id="second")


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_folder_files_merge_in_name_order(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "catalog",
        {
            "00-products.yaml": PRODUCTS,
            "10-a.yml": JOURNEYS_A,
            "20-b.yaml": JOURNEYS_B,
            "README.md": "not yaml",
            ".hidden.yaml": "broken: [",
        },
    )
    catalog = load_catalog(folder)
    assert isinstance(catalog, Catalog)
    assert [j.id for j in catalog.journeys] == ["first", "second"]
    assert catalog.categories == ["tone of voice", "legal"]


def test_folder_problems_name_their_own_file_and_duplicates_across_files(
    tmp_path: Path,
) -> None:
    folder = write(
        tmp_path / "catalog",
        {
            "00-products.yaml": PRODUCTS,
            "10-a.yaml": JOURNEYS_A,
            "20-b.yaml": JOURNEYS_B.replace("second", "first").replace(
                "channel: web", "channel: x"
            ),
        },
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    a, b = folder / "10-a.yaml", folder / "20-b.yaml"
    assert caught.value.problems == [
        f"{b}:4:9: journey id 'first' is used twice (first in {a} line 2); "
        "give each journey its own id",
        f"{b}:8:14: 'channel' of journey 'first' is 'x', which is not allowed; "
        "use one of: app, web, shop, call-centre, sms, other",
    ]


def test_folder_reports_every_unreadable_file(tmp_path: Path) -> None:
    folder = write(tmp_path / "catalog", {"a.yaml": "", "b.yaml": "x: [", "c.yaml": PRODUCTS})
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    assert caught.value.problems == [
        f"{folder / 'a.yaml'}:1:1: file is empty; a catalog is a mapping with 'products:' and "
        "'journeys:' lists",
        f"{folder / 'b.yaml'}:1:4: YAML syntax error: the '[' here is never closed; "
        "add the closing ']' where the list ends",
    ]


def test_folder_with_different_versions_is_an_error(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "catalog",
        {
            "a.yaml": "version: 1\n" + PRODUCTS,
            "b.yaml": JOURNEYS_B.replace("version: 1", "version: 2"),
        },
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    assert caught.value.problems == [
        f"{folder / 'b.yaml'}:1:10: version '2' differs from version '1' in {folder / 'a.yaml'}; "
        "use one version in every file"
    ]


UNCLOSED = (
    "1:11: YAML syntax error: the '[' here is never closed; add the closing ']' where the list ends"
)


def test_folder_with_an_unreadable_file_still_reports_the_others(tmp_path: Path) -> None:
    """Regression: one YAML syntax error used to hide every problem in the other files."""
    broken_journey = edit((7, "    titel: Activate an eSIM"), (11, None))
    folder = write(tmp_path / "d", {"a.yaml": broken_journey, "z.yaml": "products: [\n"})
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    a, z = folder / "a.yaml", folder / "z.yaml"
    assert caught.value.problems == [
        f"{a}:6:5: journey 'activate' is missing 'title'; add 'title: ...' to it",
        f"{a}:6:5: journey 'activate' is missing 'goal'; add 'goal: ...' to it",
        f"{a}:7:5: unknown key 'titel' (did you mean 'title'?)",
        f"{z}:{UNCLOSED}",
    ]


def test_folder_with_an_unreadable_file_checks_ids_but_not_what_it_may_hold(
    tmp_path: Path,
) -> None:
    """Duplicates among the readable files are real; a missing product or list may be unread."""
    folder = write(
        tmp_path / "d",
        {
            "00-products.yaml": "products: [\n",
            "10-a.yaml": JOURNEYS_A,
            "20-b.yaml": JOURNEYS_A.replace("channel: web", "channel: x"),
        },
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    p, b = folder / "00-products.yaml", folder / "20-b.yaml"
    assert caught.value.problems == [
        f"{p}:{UNCLOSED}",
        f"{b}:2:9: journey id 'first' is used twice (first in {folder / '10-a.yaml'} line 2); "
        "give each journey its own id",
        f"{b}:6:14: 'channel' of journey 'first' is 'x', which is not allowed; "
        "use one of: app, web, shop, call-centre, sms, other",
    ]
