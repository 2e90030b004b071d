"""sitroom watch --once, sitroom sources and sitroom changes from the command line (a drop
folder and a local server on 127.0.0.1; no other address is asked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from tests.conftest import REPORTS
from tests.watch_server import Reply, fixture_server
from typer.testing import CliRunner, Result

import sitroom.cli as cli
from sitroom.cli import EXIT_SKIPPED, app
from sitroom.pipeline import Resources


def invoke(monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> Result:
    monkeypatch.setattr(cli, "err", Console(stderr=True, soft_wrap=True, width=200))
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_sources_add_list_remove(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    added = invoke(
        monkeypatch,
        "sources",
        "add",
        "Levant Monitor",
        "https://levant.example/rss",
        "--language",
        "en",
        "--country",
        "SY",
        "--interval",
        "600",
        "--db",
        db,
    )
    assert added.exit_code == 0, added.output
    listed = invoke(monkeypatch, "sources", "list", "--db", db)
    assert listed.stdout.splitlines() == [
        "Levant Monitor\tfeed\thttps://levant.example/rss\tevery 600 s en SY\tnever polled"
    ]
    twice = invoke(
        monkeypatch, "sources", "add", "Levant Monitor", "https://x.example/", "--db", db
    )
    assert twice.exit_code == 1 and "already followed" in twice.stderr
    bad = invoke(monkeypatch, "sources", "add", "X", "ftp://x.example/", "--db", db)
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.stderr
    assert invoke(monkeypatch, "sources", "remove", "Levant Monitor", "--db", db).exit_code == 0
    gone = invoke(monkeypatch, "sources", "remove", "Levant Monitor", "--db", db)
    assert gone.exit_code == 1 and "no source named" in gone.stderr
    assert invoke(monkeypatch, "sources", "list", "--db", db).stdout == ""


def test_a_bad_watch_file_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "watch.toml"
    path.write_text('[[source]]\nname = "A"\nfeed = "https://a.example/"\ncolour = "red"\n')
    result = invoke(monkeypatch, "watch", path, "--once", "--db", tmp_path / "w.db")
    assert result.exit_code == 1
    assert f"{path}: unknown key source 'A': colour" in result.stderr


@pytest.mark.slow
def test_watch_once_over_a_folder_and_a_failing_feed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, resources: Resources
) -> None:
    drop = tmp_path / "incoming"
    drop.mkdir()
    for name, text in REPORTS.items():
        (drop / name).write_text(text, encoding="utf-8")
    (drop / "empty.txt").write_text("", encoding="utf-8")
    db = tmp_path / "w.db"
    with fixture_server() as server:
        server.routes["/rss"] = Reply(503, b"busy")
        path = tmp_path / "watch.toml"
        path.write_text(
            f'[fetch]\nallow_hosts = ["127.0.0.1"]\nretries = 0\ntimeout_s = 1\n'
            f'[[source]]\nname = "Drop box"\nfolder = "incoming"\n'
            f'[[source]]\nname = "Busy Desk"\nfeed = "{server.url("/rss")}"\n',
            encoding="utf-8",
        )
        result = invoke(monkeypatch, "watch", path, "--once", "--db", db)
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert "polled 2 sources: 2 new reports" in result.stderr
    assert f"failed: Busy Desk: {server.url('/rss')}: HTTP 503" in result.stderr
    assert "failed: Drop box:" in result.stderr and "empty.txt" in result.stderr
    assert "+ New event:" in result.stdout and "~ Control: Saraqib" in result.stdout

    logged = invoke(monkeypatch, "changes", "--db", db, "--json")
    assert logged.exit_code == 0
    changes = [json.loads(line) for line in logged.stdout.splitlines()]
    assert any(c["kind"] == "control-change" for c in changes)
    assert invoke(monkeypatch, "changes", "--db", db, "--since", "2999-01-01").stdout == ""
    bad = invoke(monkeypatch, "changes", "--db", db, "--since", "yesterday")
    assert bad.exit_code == 1 and "not an ISO date" in bad.stderr

    # Again: the folder's files are stored already, nothing changes.
    again = invoke(monkeypatch, "watch", path, "--once", "--db", db)
    assert "0 new reports" in again.stderr and "+ New event" not in again.stdout
