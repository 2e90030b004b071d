"""The watch's schedule and loop without the model: empty drop folders, a fake clock, and a
stop that ends the loop (every loop here ends by itself)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from sitroom.cli_watch import stop_on_signal
from sitroom.errors import ConfigError
from sitroom.records import Analysis, Document
from sitroom.store import Store
from sitroom.watch import state
from sitroom.watch.fetch import Fetcher
from sitroom.watch.sources import parse_watch_config
from sitroom.watch.watcher import PollResult, Watcher, wait_for_stop

T0 = dt.datetime(2024, 12, 6, 12, 0, tzinfo=dt.UTC)


def nothing(documents: Sequence[Document]) -> list[Analysis]:
    raise AssertionError("empty folders bring no report to analyse")


def watcher_for(tmp_path: Path, store: Store, clock: list[dt.datetime]) -> Watcher:
    for name in ("a", "b"):
        (tmp_path / name).mkdir(exist_ok=True)
    cfg = parse_watch_config(
        {"source": [{"name": "A", "folder": "a", "interval_s": 60},
                    {"name": "B", "folder": "b", "interval_s": 600}]},
        path=tmp_path / "w.toml",
    )  # fmt: skip
    return Watcher(store, cfg, analyse=nothing, fetcher=Fetcher(cfg.fetch), now=lambda: clock[0])


def test_each_source_is_polled_on_its_own_interval(tmp_path: Path) -> None:
    clock = [T0]
    with Store.open(tmp_path / "w.db") as store:
        watcher = watcher_for(tmp_path, store, clock)
        assert watcher.poll().polled == ("A", "B")
        clock[0] = T0 + dt.timedelta(seconds=30)
        assert watcher.poll().polled == ()
        assert watcher._seconds_to_next(3600) == 30
        clock[0] = T0 + dt.timedelta(seconds=61)
        assert watcher.poll().polled == ("A",)
        clock[0] = T0 + dt.timedelta(seconds=601)
        assert watcher.poll().polled == ("A", "B")
        assert watcher.poll(everything=True).polled == ("A", "B")
        assert state.source_states(store)["B"].failures == 0


def test_run_polls_until_stopped(tmp_path: Path) -> None:
    clock = [T0]
    stop = threading.Event()
    seen: list[PollResult] = []

    def on_poll(result: PollResult) -> None:
        seen.append(result)
        clock[0] += dt.timedelta(seconds=61)
        if len(seen) == 3:
            stop.set()

    with Store.open(tmp_path / "w.db") as store:
        started = time.monotonic()
        watcher_for(tmp_path, store, clock).run(stop=stop, on_poll=on_poll, longest_wait_s=0.05)
    assert len(seen) == 3 and time.monotonic() - started < 10
    assert [r.polled for r in seen] == [("A", "B"), ("A",), ("A",)]


def test_a_name_in_the_file_and_the_database_is_an_error(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        watcher = watcher_for(tmp_path, store, [T0])
        state.add_source(store, watcher.config.sources[0], now=T0)
        with pytest.raises(ConfigError, match="both in the watch file and in the database"):
            watcher.poll()


def test_sigterm_stops_a_running_watch(tmp_path: Path) -> None:
    (tmp_path / "drop").mkdir()
    path = tmp_path / "watch.toml"
    path.write_text('[[source]]\nname = "Drop"\nfolder = "drop"\ninterval_s = 3600\n')
    process = subprocess.Popen(
        [sys.executable, "-m", "sitroom.cli", "watch", str(path), "--db", str(tmp_path / "w.db")],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        assert process.stderr is not None
        assert "watching 1 source into" in process.stderr.readline()
        assert "polled 1 source" in process.stderr.readline()  # then it waits an hour
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert "stopping" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)


def test_a_signal_delivered_to_another_thread_still_stops_the_wait() -> None:
    # CI saw SIGTERM ignored: the kernel may hand a process's signal to any thread that does not
    # block it (a BLAS worker), and the main thread, asleep in one long Event.wait, never ran
    # the handler. Here the signal goes to a helper thread on purpose.
    stop = threading.Event()
    handler = stop_on_signal(stop, lambda: None)
    previous = signal.signal(signal.SIGUSR1, lambda s, f: None if stop.is_set() else handler(s, f))
    rescue = threading.Event()

    def signal_from_another_thread() -> None:
        time.sleep(0.2)
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
        if not rescue.wait(10):
            stop.set()  # keep a failing test from hanging; the assertion below still fails

    helper = threading.Thread(target=signal_from_another_thread, daemon=True)
    try:
        started = time.monotonic()
        helper.start()
        assert wait_for_stop(stop, 3600)
        assert time.monotonic() - started < 5
    finally:
        rescue.set()
        helper.join(5)
        signal.signal(signal.SIGUSR1, previous)


def test_a_signal_landing_while_the_main_thread_enters_the_wait_still_stops_it() -> None:
    # The race behind a watch that ignored SIGTERM: the handler ran while the main thread held
    # the stop event's lock on its way into stop.wait, and setting the event there deadlocked.
    stop = threading.Event()
    announced: list[bool] = []
    handler = stop_on_signal(stop, lambda: announced.append(True))
    done = threading.Event()

    def main_thread_entering_wait() -> None:
        with stop._cond:  # what Event.wait holds before it sleeps
            handler(signal.SIGTERM, None)
        done.set()

    threading.Thread(target=main_thread_entering_wait, daemon=True).start()
    assert done.wait(5), "the handler waited for the lock its own thread holds"
    assert stop.wait(5) and announced == [True]
    with pytest.raises(KeyboardInterrupt):  # a second signal stops at once
        handler(signal.SIGTERM, None)
