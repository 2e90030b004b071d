"""The README's commands and Python example run as written, on a fresh database and on one that
`make demo` already filled."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import sitroom

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _python_example() -> str:
    """The README's Python block: the one that imports sitroom."""
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    found = [b for b in blocks if "import sitroom" in b]
    assert len(found) == 1, "the README should have one Python example"
    return found[0]


@pytest.mark.slow
def test_python_example_runs_on_a_fresh_and_on_a_filled_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "examples" / "reports", tmp_path / "examples" / "reports")
    monkeypatch.chdir(tmp_path)
    code = compile(_python_example(), "README.md", "exec")
    exec(code, {"__name__": "readme"})  # a fresh database: every report is new
    first = capsys.readouterr().out.splitlines()
    exec(code, {"__name__": "readme"})  # again, as after `make demo`: all stored already
    second = capsys.readouterr().out.splitlines()
    reports = 12  # the README's "twelve reports" (wire.jsonl holds three)
    assert first[0] == f"{reports} reports analysed, 0 already stored"
    assert second[0] == f"0 reports analysed, {reports} already stored"
    assert len(first) == len(second) == 6  # five events each time, the same ones
    assert first[1:] == second[1:]


def test_readme_names_the_installed_command_and_python_api() -> None:
    assert ".venv/bin/sitroom" in README  # `make demo` puts sitroom there, not on PATH
    assert "load_picture" in sitroom.__all__


def test_readme_use_lists_every_command_and_export_format() -> None:
    from sitroom.cli import app
    from sitroom.export import EXPORT_FORMATS

    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"sitroom {name}" in README, name
    for fmt in EXPORT_FORMATS:
        assert fmt in README, fmt
