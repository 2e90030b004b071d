"""Tests for ``sitroom compare``: two reports side by side, from a database or from files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

import sitroom.cli as cli
from sitroom.ids import document_id
from sitroom.pipeline import Resources
from sitroom.records import (
    Actor,
    Analysis,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
)
from sitroom.store import Store

Run = Callable[..., Result]

HAMA = Location("Hama", 170017, 35.1318, 36.7578, "SY", "Hama", 1)
WEDNESDAY = dt.date(2024, 12, 4)
ACTORS = (
    Actor("HTS", "Hayat Tahrir al-Sham", kind="armed_group"),
    Actor("MIL-SY", "Military Forces of Syria", kind="state_forces"),
)
REBELS_TEXT = "Rebels captured the city of Hama on Wednesday, a war monitor said."
ARMY_TEXT = "The army holds Hama and repelled a rebel assault on Wednesday, the ministry said."


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the CLI in process, 120 columns wide; error lines are not wrapped."""
    monkeypatch.setattr(cli, "err", Console(stderr=True, soft_wrap=True))
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(cli.app, [str(a) for a in args], env={"COLUMNS": "120"})

    return invoke


def _analysis(text: str, ref: str, source: str, *, status: str, controller: str) -> Analysis:
    """A report of the Hama assault: ``status`` of the capture, ``controller`` holding Hama."""
    document = Document(document_id(text), ref, text, source=source, published=WEDNESDAY)
    evidence = (Evidence(document.id, 0, len(text), text),)
    capture = Event(
        id=f"{source}-capture",
        document_id=document.id,
        status=status,
        event_date=WEDNESDAY,
        date_precision="day",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        plover_type="FIGHT",
        plover_mode=None,
        actor1="HTS",
        actor2="MIL-SY",
        location=HAMA,
        evidence=evidence,
    )
    held = "captured" if controller == "HTS" else "held"
    claim = ControlClaim(HAMA, controller, held, WEDNESDAY, "day", evidence)
    return Analysis(document, actors=ACTORS, events=(capture,), control=(claim,))


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A database holding the two hand-made reports (no model needed)."""
    db = tmp_path / "two.db"
    with Store.open(db) as store:
        store.save(_analysis(REBELS_TEXT, "in/rebels.txt", "Monitor", status="reported",
                             controller="HTS"))  # fmt: skip
        store.save(_analysis(ARMY_TEXT, "in/army.txt", "Ministry", status="denied",
                             controller="MIL-SY"))  # fmt: skip
    return db


def section(text: str, title: str, end: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title)
    return lines[start + 1 : lines.index(end, start)]


def test_compare_stored_reports_by_ref_stem_and_id(run: Run, stored: Path) -> None:
    army_id = document_id(ARMY_TEXT)
    for first, second in (("in/rebels.txt", army_id), ("rebels", "army.txt")):
        result = run("compare", first, second, "--db", stored)
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert out.startswith("A: in/rebels.txt · Monitor · 2024-12-04\nB: in/army.txt")
        differ = section(out, "They differ", "Only A says")
        # The capture's status and who holds Hama, each report's side in its own column.
        assert any("│ reported “Rebels captured" in x and "│ denied “The army" in x for x in differ)
        assert any(
            "A: Hayat Tahrir al-Sham captured" in x and "B: Military Forces of Syria held" in x
            for x in differ
        )
        agree = section(out, "Both say", "They differ")
        assert any("place: Hama (Monitor; Ministry)" in x for x in agree)
        assert section(out, "Only A says", "Only B says") == ["  nothing"]


def test_compare_an_unknown_ref_is_one_clear_error(run: Run, stored: Path) -> None:
    result = run("compare", "rebels", "nope", "--db", stored)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: nope: no stored report has this id or ref"


def test_compare_a_missing_file_is_one_clear_error(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "none.txt"
    result = run("compare", missing, missing)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {missing}")


# -- with the model ------------------------------------------------------------------------

REPORT_A = (
    "---\ntitle: Rebels capture Hama\nsource: Wire A\npublished: 2024-12-05\n---\n"
    "Rebels captured the city of Hama on Wednesday after days of fighting, a war monitor said.\n"
)
REPORT_B = (
    "---\ntitle: Army holds Hama\nsource: Wire B\npublished: 2024-12-05\n---\n"
    "The Syrian army denied that rebels had captured Hama on Wednesday and said its forces "
    "remain in full control of the city, the defence ministry said.\n"
)


@pytest.mark.slow
def test_compare_two_report_files(resources: Resources, run: Run, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(REPORT_A, encoding="utf-8")
    b.write_text(REPORT_B, encoding="utf-8")
    result = run("compare", a, b)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"A: {a} · Wire A · 2024-12-05\nB: {b} · Wire B · 2024-12-05\n")
    for title in ("Both say", "They differ", "Only A says", "Only B says"):
        assert title in out.splitlines()
    # Both tell the rebels' capture of Hama on Wednesday; B's army denies it, and the two stand
    # on one line: the report in A's column, the denial in B's.
    agree = section(out, "Both say", "They differ")
    assert any("Hama" in x or "Ḩamāh" in x for x in agree)
    differ = section(out, "They differ", "Only A says")
    side_by_side = [x for x in differ if x.count("│") >= 3]
    assert any("reported" in x and "denied" in x for x in side_by_side)
