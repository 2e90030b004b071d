"""Tests for sitroom.cli: analyze, report, export and version, in process and as the installed
command; bad inputs are one message each, the batch goes on, and the exit code says so."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

import sitroom.cli as cli
from sitroom import __version__
from sitroom.api import RunResult
from sitroom.cli import EXIT_SKIPPED, app
from sitroom.config import Config
from sitroom.export import EXPORT_FORMATS
from sitroom.pipeline import Resources
from sitroom.store import Store

SITROOM = Path(sys.executable).with_name("sitroom")

JSONL_GOOD_1 = {
    "id": "wire-7",
    "text": "Government forces recaptured Palmyra from the Islamic State.",
    "published": "2024-12-02",
}
JSONL_GOOD_3 = {
    "id": "wire-9",
    "text": "The Wagner Group withdrew from Bakhmut.",
    "published": "2024-12-02",
}


Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the CLI in process; error lines are not wrapped, so a long path stays whole."""
    monkeypatch.setattr(cli, "err", Console(stderr=True, soft_wrap=True))
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "160"})

    return invoke


def counts(db: Path) -> dict[str, int]:
    with Store.open(db, read_only=True) as store:
        return store.stats()


def test_version(run: Run) -> None:
    result = run("version")
    assert result.exit_code == 0
    assert result.stdout == f"sitroom {__version__}\n"


def test_no_arguments_shows_help(run: Run) -> None:
    result = run()
    assert "analyze" in result.output and "export" in result.output


def test_report_on_a_missing_database_is_one_clear_error(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    result = run("report", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {db}: no such database"
    assert not db.exists()


def test_analyze_with_a_bad_config_fails_before_reading(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "sitroom.toml"
    config.write_text("colour = true\n", encoding="utf-8")
    db = tmp_path / "x.db"
    result = run("analyze", tmp_path, "--db", db, "--config", config)
    assert result.exit_code == 1
    assert "unknown configuration keys: colour" in result.stderr
    assert not db.exists()


# -- with the model ------------------------------------------------------------------------


@pytest.fixture
def analysed(resources: Resources, run: Run, reports_dir: Path, tmp_path: Path) -> Path:
    """A database holding the two small reports, written by `sitroom analyze`."""
    db = tmp_path / "picture.db"
    result = run("analyze", reports_dir, "--db", db, "--no-report")
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.slow
def test_analyze_writes_the_db_and_prints_the_report(
    resources: Resources,
    run: Run,
    reports_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "custom" / "here.db"
    db.parent.mkdir()
    result = run("analyze", reports_dir, "--db", db)
    assert result.exit_code == 0, result.output
    assert f"2 reports analysed, 0 already stored, 0 skipped → {db}" in result.stderr
    assert "sitroom situation report" in result.stdout
    assert "Saraqib" in result.stdout and "Idlib" in result.stdout
    assert "Air/drone strike" in result.stdout
    stats = counts(db)
    assert stats["documents"] == 2 and stats["events"] >= 2
    assert not (tmp_path / "sitroom.db").exists()  # --db was honoured


@pytest.mark.slow
def test_re_analysing_stores_nothing_new(run: Run, analysed: Path, reports_dir: Path) -> None:
    before = counts(analysed)
    result = run("analyze", reports_dir, "--db", analysed)
    assert result.exit_code == 0, result.output
    assert "0 reports analysed, 2 already stored, 0 skipped" in result.stderr
    assert counts(analysed) == before
    assert "sitroom situation report" in result.stdout  # the stored picture is still shown


@pytest.mark.slow
def test_report_command_prints_the_stored_picture(run: Run, analysed: Path) -> None:
    result = run("report", "--db", analysed, "--quotes")
    assert result.exit_code == 0, result.output
    assert "2 reports" in result.stdout
    assert "Who holds what" in result.stdout


@pytest.mark.slow
def test_bad_inputs_are_skipped_one_message_each(
    run: Run, analysed: Path, reports_dir: Path, tmp_path: Path
) -> None:
    before = counts(analysed)
    batch = tmp_path / "batch"
    batch.mkdir()
    bad = {
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "cp-undefined.txt": b"Rebels \x81\x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d entered",
        "empty.txt": b"",
        "huge.txt": b"Rebels entered the town. " * 220_000,  # 5.5 MB
    }
    for name, data in bad.items():
        (batch / name).write_bytes(data)
    lines = [
        json.dumps(JSONL_GOOD_1),
        '{"id": "wire-8", "text": "unterminated',
        json.dumps(JSONL_GOOD_3),
    ]
    (batch / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (batch / "good.txt").write_text("Rebels advanced towards Hama.\n", encoding="utf-8")

    result = run("analyze", batch, "--db", analysed, "--no-report")

    assert result.exit_code == EXIT_SKIPPED == 3
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 5, result.stderr
    expected = {
        "binary.txt": f"skipped: {batch / 'binary.txt'}: binary file",
        "cp-undefined.txt": f"skipped: {batch / 'cp-undefined.txt'}: not UTF-8 text",
        "empty.txt": f"skipped: {batch / 'empty.txt'}: empty file",
        "huge.txt": f"skipped: {batch / 'huge.txt'}: file is",
        "wire.jsonl": f"skipped: {batch / 'wire.jsonl'}:2: bad JSON",
    }
    for name, start in expected.items():
        [line] = [s for s in skipped if f"{batch / name}:" in s]
        assert line.startswith(start), line
    assert "too large" in next(s for s in skipped if "huge.txt" in s)
    assert "3 reports analysed, 0 already stored, 5 skipped" in result.stderr
    assert "Traceback" not in result.output
    after = counts(analysed)
    assert after["documents"] == before["documents"] + 3  # the good ones, earlier ones kept
    with Store.open(analysed, read_only=True) as store:
        refs = {d.ref for d in store.documents()}
    assert {"wire-7", "wire-9", str(batch / "good.txt"), str(reports_dir / "saraqib.txt")} <= refs


@pytest.mark.slow
def test_a_missing_input_path_is_skipped(run: Run, analysed: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    result = run("analyze", missing, "--db", analysed, "--no-report")
    assert result.exit_code == EXIT_SKIPPED
    assert f"skipped: {missing}: no such file or folder" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_export_to_stdout_and_to_a_file(run: Run, analysed: Path, tmp_path: Path, fmt: str) -> None:
    to_stdout = run("export", "--format", fmt, "--db", analysed)
    assert to_stdout.exit_code == 0, to_stdout.output
    out = tmp_path / f"picture.{fmt}"
    to_file = run("export", "-f", fmt, "--db", analysed, "--out", out)
    assert to_file.exit_code == 0, to_file.output
    assert f"wrote {fmt} to {out}" in to_file.stderr
    assert to_file.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert written == to_stdout.stdout
    assert not out.with_name(out.name + ".part").exists()
    _check_format(fmt, written)


def _check_format(fmt: str, text: str) -> None:
    if fmt == "json":
        data = json.loads(text)
        assert len(data["documents"]) == 2 and data["events"]
    elif fmt == "geojson":
        data = json.loads(text)
        assert data["type"] == "FeatureCollection" and data["features"]
    elif fmt == "plover-jsonl":
        records = [json.loads(line) for line in text.splitlines()]
        assert records
    elif fmt == "acled-csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and "event_type" in rows[0]
    elif fmt == "graphml":
        root = ET.fromstring(text.encode("utf-8"))
        assert root.tag.endswith("graphml")
    else:  # a format added later: at least something was written
        assert text


@pytest.mark.slow
def test_export_unknown_format_is_one_clear_error(run: Run, analysed: Path) -> None:
    result = run("export", "--format", "kml", "--db", analysed)
    assert result.exit_code == 1
    assert "unknown export format 'kml'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_export_to_an_unwritable_place_is_one_clear_error(
    run: Run, analysed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "no-such-folder" / "picture.json"
    result = run("export", "--db", analysed, "--out", out)
    assert result.exit_code == 1
    assert f"error: {out}: cannot write" in result.stderr


# -- the installed command -----------------------------------------------------------------


def test_installed_command_prints_its_version() -> None:
    done = subprocess.run(
        [SITROOM, "version"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"sitroom {__version__}\n"


def installed(
    *args: str | Path, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `sitroom` command (after ``prefix``), 200 columns wide."""
    return subprocess.run(
        [*(prefix or []), SITROOM, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.mark.slow
def test_installed_command_analyses_and_exits_3_on_a_skipped_input(
    reports_dir: Path, tmp_path: Path
) -> None:
    (reports_dir / "zero.txt").write_bytes(b"\x00" * 64)
    db = tmp_path / "sub.db"
    done = installed("analyze", reports_dir, "--db", db)
    assert done.returncode == EXIT_SKIPPED, done.stderr
    assert f"{reports_dir / 'zero.txt'}: binary file" in " ".join(done.stderr.split())
    assert "2 reports analysed, 0 already stored, 1 skipped" in done.stderr
    assert "sitroom situation report" in done.stdout
    assert counts(db)["documents"] == 2


def _unreadable(path: Path) -> list[str]:
    """Make ``path`` unreadable; the command prefix that keeps it so even for root."""
    path.chmod(0)
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


@pytest.mark.slow
def test_an_unreadable_file_is_named_and_the_rest_stored(reports_dir: Path, tmp_path: Path) -> None:
    # Finding: typer refused the whole batch (exit 2) when one named file was not readable.
    locked = tmp_path / "locked.txt"
    locked.write_text("Rebels advanced towards Hama.\n", encoding="utf-8")
    prefix = _unreadable(locked)
    db = tmp_path / "sub.db"
    done = installed("analyze", locked, reports_dir, "--db", db, "--no-report", prefix=prefix)
    assert done.returncode == EXIT_SKIPPED, done.stderr
    assert f"skipped: {locked}: cannot read: Permission denied" in " ".join(done.stderr.split())
    assert "2 reports analysed, 0 already stored, 1 skipped" in done.stderr
    assert counts(db)["documents"] == 2


def test_markup_in_a_file_name_is_printed_as_it_reads(run: Run, tmp_path: Path) -> None:
    # Finding: "skipped: [/]x.txt: ..." was parsed as rich markup and the command exited 1.
    folder = tmp_path / "["  # the paths below read "[/bold]x.txt" and "[/]x.db"
    folder.mkdir()
    bad = folder / "bold]x.txt"
    bad.write_bytes(b"")
    db = folder / "]x.db"
    result = run("analyze", bad, "--db", db, "--no-report")
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert f"skipped: {bad}: empty file" in result.stderr
    assert f"skipped → {db}" in result.stderr
    result = run("report", "--db", folder / "]missing.db")
    assert result.exit_code == 1
    assert f"error: {folder / ']missing.db'}: no such database" in result.stderr


def test_follow_symlinks_flag_reaches_the_configuration(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []

    def fake(paths: object, *, config: Config, **_: object) -> RunResult:
        seen.append(config.follow_symlinks)
        return RunResult()

    monkeypatch.setattr(cli, "run_analyze", fake)
    config = tmp_path / "c.toml"
    config.write_text("follow_symlinks = true\n", encoding="utf-8")
    flags: list[list[str | Path]] = [
        [],
        ["--follow-symlinks"],
        ["--config", config],
        ["--config", config, "--no-follow-symlinks"],
    ]
    for args in flags:
        result = run("analyze", tmp_path, "--db", tmp_path / "x.db", "--no-report", *args)
        assert result.exit_code == 0, result.output
    assert seen == [False, True, True, False]


def test_serve_refuses_a_short_token(run: Run, analysed: Path) -> None:
    result = run("serve", "--db", analysed, "--token", "short")
    assert result.exit_code == 1
    assert "--token must be at least 16 characters" in result.output


def test_serve_warns_on_a_non_loopback_bind_and_checks_host_names(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda web, **options: served.append(web))
    db = tmp_path / "s.db"
    Store.open(db).close()
    result = run("serve", "--db", db, "--host", "0.0.0.0", "--allow-host", "sitroom.lan")
    assert result.exit_code == 0, result.output
    warning = " ".join(result.stderr.split())
    assert "warning: 0.0.0.0 is not a loopback address" in warning
    assert "127.0.0.1, ::1, localhost, sitroom.lan" in warning
    result = run("serve", "--db", db)
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert len(served) == 2


def test_serve_with_workers_hands_uvicorn_a_factory_that_builds_the_same_app(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from sitroom.web import server
    from sitroom.web.server import SETTINGS_VARIABLE, TOKEN_VARIABLE, app_from_environment

    served: list[tuple[str, int, int]] = []
    monkeypatch.setattr(server, "run_workers", lambda *where: served.append(where))
    for variable in (SETTINGS_VARIABLE, TOKEN_VARIABLE):  # restored after the test
        monkeypatch.setenv(variable, "")
    db = tmp_path / "s.db"
    Store.open(db).close()
    token = "a-token-of-sixteen-chars"
    result = run("serve", "--db", db, "--workers", "2", "--token", token, "--allow-host", "x.lan")
    assert result.exit_code == 0, result.output
    assert served == [("127.0.0.1", 8000, 2)]
    client = TestClient(app_from_environment(), base_url="http://x.lan")
    health = client.get("/api/health").json()
    assert health["writable"] is True and health["documents"] == 0
    refused = client.post("/api/reports", headers={"Authorization": "Bearer wrong-token-123456"})
    assert refused.status_code == 401
    assert TestClient(app_from_environment(), base_url="http://y.lan").get("/").status_code == 400


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_installed_command_serves_the_api_on_localhost(analysed: Path, workers: int) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [SITROOM, "serve", "--db", analysed, "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    health = json.load(r)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.communicate()
                    raise AssertionError(f"server did not come up: {output}") from None
                time.sleep(0.2)
        assert health["status"] == "ok" and health["documents"] == 2
        assert health["writable"] is False
    finally:
        server.terminate()
        server.wait(timeout=30)
