"""CLI tests of fix merge / unmerge / move / undo / history and fix set --owner --ticket."""

from __future__ import annotations

import json
from typing import Any

import typer
from test_fixes_cli import RELEASE_10, fake, lab_args, run, seed  # noqa: F401 (fixtures)
from typer.testing import CliRunner

from qualitylab.cli.app import app as qualitylab
from qualitylab.domain import Outcome

HOSTILE = "menu: [bold]x[/bold] \x1b[31m=HYPERLINK()"
MORE = [
    ("w5", "1.0", "a", Outcome.DONE, 6, HOSTILE, 2),
    ("w6", "1.0", "a", Outcome.DONE, 6, "fee: too high", 3),
    ("w7", "1.0", "a", Outcome.DONE, 6, "fee: hidden", 3),
]


def fixes(runner: CliRunner, app: typer.Typer, lab_args: list[str]) -> dict[str, Any]:  # noqa: F811
    result = run(runner, app, "fixes", "--json", *lab_args)
    assert result.exit_code == 0, result.stderr
    return {f["cluster_id"]: f for f in json.loads(result.stdout)["fixes"]}


def test_merge_move_undo_show_in_json_and_table(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    seed(lab_args, RELEASE_10 + MORE)
    before = fixes(runner, app, lab_args)
    assert set(before) == {"c-0", "c-1", "c-2"}  # fee, menu, pay
    db = lab_args[:2]
    merged = run(runner, app, "fix", "merge", "c-2", "c-0", "--by", "anna", "--json", *db)
    assert merged.exit_code == 0, merged.stderr
    (record,) = json.loads(merged.stdout)
    assert (record["kind"], record["subject"], record["target"], record["by"]) == (
        "merge", "c-0", "c-2", "anna",
    )  # fmt: skip
    after = fixes(runner, app, lab_args)
    assert "c-0" not in after and after["c-2"]["merged"] == [{"cluster_id": "c-0", "title": "fee"}]
    assert after["c-2"]["pain_points"] == 4
    hostile = next(r["id"] for r in after["c-1"]["reports"] if r["text"] == HOSTILE)
    moved = run(runner, app, "fix", "move", hostile[:8], "--to", "c-2", *db)
    assert moved.exit_code == 0 and "moved report" in moved.stdout
    table = run(runner, app, "fixes", *lab_args).stdout
    assert "merged: c-0 (fee)" in table and "moved by hand: 1 in" in table
    after = fixes(runner, app, lab_args)
    assert after["c-2"]["moved_in"] == [hostile] and HOSTILE in after["c-2"]["quotes"] + [
        r["text"] for r in after["c-2"]["reports"]
    ]
    history = run(runner, app, "fix", "history", "--json", *db)
    assert [h["kind"] for h in json.loads(history.stdout)] == ["merge", "move"]
    undone = run(runner, app, "fix", "undo", *db)
    assert undone.exit_code == 0 and undone.stdout.startswith("undid: moved report")
    unmerged = run(runner, app, "fix", "unmerge", "c-0", "--json", *db)
    assert json.loads(unmerged.stdout)[0]["undone_at"] is not None
    assert set(fixes(runner, app, lab_args)) == {"c-0", "c-1", "c-2"}


def test_owner_and_ticket_show_in_the_list_the_json_and_the_decisions(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    seed(lab_args, RELEASE_10)
    fixes(runner, app, lab_args)
    db = lab_args[:2]
    owner = ["--owner", "[red]Pay team", "--ticket", "PAY-1"]
    result = run(runner, app, "fix", "set", "c-1", *owner, *db)
    assert result.exit_code == 0, result.stderr
    assert "owner [red]Pay team; ticket PAY-1" in result.stdout
    pay = fixes(runner, app, lab_args)["c-1"]
    assert (pay["owner"], pay["ticket"], pay["status"]) == ("[red]Pay team", "PAY-1", "open")
    assert "PAY-1 [red]Pay team" in run(runner, app, "fixes", *lab_args).stdout
    listed = json.loads(run(runner, app, "fix", "list", "--json", *db).stdout)
    assert (listed[0]["owner"], listed[0]["ticket"]) == ("[red]Pay team", "PAY-1")
    history = json.loads(run(runner, app, "fix", "history", "c-1", "--json", *db).stdout)
    assert "ticket PAY-1" in history[0]["what"]


def test_bad_corrections_are_one_line(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    seed(lab_args, RELEASE_10)
    fixes(runner, app, lab_args)
    db = lab_args[:2]
    for args, message in [
        (["fix", "merge", "c-1", "c-nope"], "no problem 'c-nope'"),
        (["fix", "move", "abcdefgh"], "give one of --to PROBLEM or --out"),
        (["fix", "move", "abcdefgh", "--out"], "no report with id 'abcdefgh'"),
        (["fix", "undo"], "no correction to undo"),
        (["fix", "set", "c-1"], "nothing to set"),
        (["fix", "set", "c-1", "--ticket", "a b"], "not a tracker key"),
        (["fix", "merge", "c-1", "c-0", "--change-id", "again"], "is not a UUID"),
    ]:
        result = run(runner, app, *args, *db)
        assert result.exit_code == 1, args
        assert message in result.stderr and "Traceback" not in result.stderr, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_merge_whose_commit_answer_was_lost_is_stored_once_when_run_again(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
    commit_answer_lost: Any,
) -> None:
    """The connection drops after COMMIT went through: the command cannot know, says so in one
    line (not "nothing was saved"), and a script that runs it again with the same --change-id
    gets the merge (or the decision) stored once."""
    seed(lab_args, RELEASE_10 + MORE)
    fixes(runner, app, lab_args)
    db = lab_args[:2]
    for command, key in [
        (["fix", "merge", "c-2", "c-0"], "3f2a91c4-0d6e-4b8e-9a51-1c2d3e4f5a6b"),
        (["fix", "set", "c-2", "--owner", "Olga"], "6f2a91c4-0d6e-4b8e-9a51-1c2d3e4f5a6b"),
    ]:
        commit_answer_lost.arm()
        lost = run(runner, app, *command, "--change-id", key, *db)
        assert lost.exit_code == 1 and "may or may not be saved" in lost.stderr
        assert len(lost.stderr.strip().splitlines()) == 1, lost.stderr
        again = run(runner, app, *command, "--change-id", key, *db)
        assert again.exit_code == 0, again.stderr
    history = json.loads(run(runner, app, "fix", "history", "c-2", "--json", *db).stdout)
    assert [h["what"] for h in history] == ["merged c-0 into c-2", "set status open, owner Olga"]
    assert commit_answer_lost.lost == 2


def test_explain_lists_similar_problems_and_the_blocker_rule(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    seed(lab_args, RELEASE_10 + MORE)
    listed = fixes(runner, app, lab_args)
    assert all(len(f["similar"]) <= 3 for f in listed.values())
    result = run(runner, app, "fix", "explain", "c-2", "--json", *lab_args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    similar = data["fix"]["similar"]
    assert {s["cluster_id"] for s in similar} == {"c-0", "c-1"}  # fee and menu, same step
    assert all(s["same_step"] and 0 <= s["similarity"] <= 1 for s in similar)
    assert any("blocker group" in line for line in data["explanation"]["lines"])
    table = run(runner, app, "fix", "explain", "c-2", *lab_args).stdout
    assert "Like this one" in table and "c-0" in table and "same step" in table
    merged = run(runner, app, "fix", "merge", "c-2", "c-0", *lab_args[:2])
    assert merged.exit_code == 0
    gone = run(runner, app, "fix", "explain", "c-0", *lab_args)
    assert gone.exit_code == 1 and "c-0 was merged into c-2" in gone.stderr


def test_split_makes_a_new_problem(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    seed(lab_args, RELEASE_10 + MORE)
    menu = fixes(runner, app, lab_args)["c-1"]
    hostile = next(r["id"] for r in menu["reports"] if r["text"] == HOSTILE)
    result = run(runner, app, "fix", "split", hostile[:8], "--json", *lab_args[:2])
    assert result.exit_code == 0, result.stderr
    new = json.loads(result.stdout)[0]["target"]
    after = fixes(runner, app, lab_args)
    assert after[new]["title"] == HOSTILE and after[new]["moved_in"] == [hostile]
    table = run(runner, app, "fixes", *lab_args).stdout
    assert "[bold]x[/bold]" in table and "\x1b" not in table  # user text stays literal


def test_export_import_export_is_byte_identical_with_the_decision_history(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
    tmp_path: Any,
) -> None:
    """Moving a lab keeps every decision of ``fix history``, not only the latest (issue 11)."""
    seed(lab_args, RELEASE_10 + MORE)
    fixes(runner, app, lab_args)
    db = lab_args[:2]
    for args in (
        ["c-1", "--status", "planned", "--note", "sprint 12", "--by", "anna"],
        ["c-1", "--owner", "Pay team", "--ticket", "PAY-1", "--by", "boris"],
    ):
        result = run(runner, app, "fix", "set", *args, *db)
        assert result.exit_code == 0, result.stderr
    assert run(runner, app, "fix", "merge", "c-2", "c-0", *db).exit_code == 0
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    other = ["--db", str(tmp_path / "other.db")]
    assert run(runner, qualitylab, "export", "-o", str(first), *db).exit_code == 0
    imported = run(runner, qualitylab, "import", str(first), "--json", *other)
    assert imported.exit_code == 0, imported.stderr
    assert json.loads(imported.stdout)["added"]["fix_decision_event"] == 2
    assert run(runner, qualitylab, "export", "-o", str(second), *other).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    history = ["fix", "history", "c-1", "--json"]
    here = json.loads(run(runner, app, *history, *db).stdout)
    assert [h["by"] for h in here] == ["anna", "boris"]
    assert json.loads(run(runner, app, *history, *other).stdout) == here


def test_history_of_a_lab_with_no_correction_says_so(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    """`fix history` on a lab where nobody merged or moved anything printed nothing at all: a
    product owner could not tell an empty history from a command that failed to read it."""
    seed(lab_args, RELEASE_10)
    db = lab_args[:2]
    result = run(runner, app, "fix", "history", *db)
    assert result.exit_code == 0, result.stderr
    assert "No merge, move or split recorded yet" in result.stdout
    assert "qualitylab fix history ID" in result.stdout  # where a problem's decisions are
    as_json = run(runner, app, "fix", "history", "--json", *db)
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == []


def test_an_undo_says_what_it_undid_once(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    """`fix undo` printed "undid: merged c-0 into c-2 (undone)" and the triage app "Undone:
    merged ... (undone)": the same fact twice in one line."""
    from qualitylab.services import Lab
    from qualitylab.services.triage import undo_last

    seed(lab_args, RELEASE_10 + MORE)
    assert set(fixes(runner, app, lab_args)) == {"c-0", "c-1", "c-2"}
    db = lab_args[:2]
    assert run(runner, app, "fix", "merge", "c-2", "c-0", *db).exit_code == 0
    undone = run(runner, app, "fix", "undo", *db)
    assert undone.exit_code == 0, undone.stderr
    assert (
        undone.stdout.startswith("undid: merged c-0 into c-2") and "(undone)" not in undone.stdout
    )
    assert run(runner, app, "fix", "merge", "c-2", "c-0", *db).exit_code == 0
    lab = Lab.open(db=lab_args[1], journeys=lab_args[3])
    try:
        assert undo_last(lab) == "merged c-0 into c-2"  # the triage app shows "Undone: " + this
    finally:
        lab.close()


def test_history_of_an_id_no_fix_list_holds_is_an_error_not_an_empty_history(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    """`fix history c-typo` printed "Nothing recorded for c-typo yet." and exit 0, the same as a
    real problem nobody has decided on: a mistyped id read as "nothing happened"."""
    seed(lab_args, RELEASE_10)
    assert "c-1" in fixes(runner, app, lab_args)
    db = lab_args[:2]
    known = run(runner, app, "fix", "history", "c-1", *db)
    assert known.exit_code == 0 and "Nothing recorded for c-1 yet." in known.stdout
    typo = run(runner, app, "fix", "history", "c-19", *db)
    assert typo.exit_code == 1 and typo.stdout == ""
    assert typo.stderr.count("\n") == 1 and "no problem 'c-19' in the last fix lists" in typo.stderr
    as_json = run(runner, app, "fix", "history", "c-19", "--json", *db)
    assert as_json.exit_code == 1 and "no problem 'c-19'" in json.loads(as_json.stdout)["error"]


def test_one_undo_takes_back_a_split_or_a_move_of_several_whole(
    runner: CliRunner,
    app: typer.Typer,
    lab_args: list[str],  # noqa: F811
) -> None:
    """A split of two reports is stored as two moves, and `fix undo` (and the triage's u) took
    back one of them: the owner pressed undo and was left with a one-report problem."""
    from qualitylab.services import Lab
    from qualitylab.services.corrections import list_corrections

    seed(lab_args, RELEASE_10 + MORE)
    fee = [r["id"] for r in fixes(runner, app, lab_args)["c-0"]["reports"]]
    db = lab_args[:2]
    for change in (["split", *fee[:2]], ["move", *fee[:2], "--out"]):
        assert run(runner, app, "fix", *change, *db).exit_code == 0
        undone = run(runner, app, "fix", "undo", "--json", *db)
        assert undone.exit_code == 0, undone.stderr
        assert len(json.loads(undone.stdout)) == 2
        lab = Lab.open(db=lab_args[1])
        try:
            assert not [c for c in list_corrections(lab) if c.active]
        finally:
            lab.close()
    assert set(fixes(runner, app, lab_args)) == {"c-0", "c-1", "c-2"}
