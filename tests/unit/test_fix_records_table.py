"""`fix list` at 80 columns: ids and keys a reader copies into the next command stay whole."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from qualitylab.domain import FixStatus
from qualitylab.fixlist.releases import FixRecord
from qualitylab.reports.fixes_table import render_fix_records

RECORDS = [
    FixRecord(
        cluster_id="c-0c724a679d",
        status=FixStatus.WONT_FIX,
        release="2026.11",
        title="signing code never arrived, blocked, and the retry button does nothing at all",
        note="legal requirement: the code must come by SMS, see the contract's annex 4",
        owner="Payments and e-signature team",
        ticket="ESIGN-12345",
    ),
    FixRecord(cluster_id="one-off-db305614", status=FixStatus.PLANNED, title="bot loop"),
]


@pytest.mark.parametrize("width", [80, 120])
def test_fix_list_never_splits_an_id_or_a_ticket(width: int) -> None:
    out = io.StringIO()
    render_fix_records(Console(file=out, width=width, color_system=None), RECORDS)
    lines = out.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    for whole in ("c-0c724a679d", "one-off-db305614", "ESIGN-12345", "won't fix", "2026.11"):
        assert any(whole in line for line in lines), whole
