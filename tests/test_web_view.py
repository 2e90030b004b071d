"""Tests for sitroom.web.view: the cached picture, rebuilt aside so that no reader waits (on
SQLite and PostgreSQL: another process's write moves the store's revision on both)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from sitroom.picture.ledger import Ledger
from sitroom.records import Analysis, Document, Picture
from sitroom.store import Store
from sitroom.web.errors import ApiError
from sitroom.web.view import ViewCache


def _save(path: str, name: str) -> None:
    with Store.open(path) as writer:
        writer.save(Analysis(Document(name, name, f"text of {name}")))


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reads of the stored picture wait until the event is set (at most 10 s): a slow read."""
    opened = threading.Event()
    opened.set()
    real: Callable[[Store], tuple[Picture, Ledger]] = Store.picture_with_ledger

    def slow(store: Store) -> tuple[Picture, Ledger]:
        opened.wait(10)
        return real(store)

    monkeypatch.setattr(Store, "picture_with_ledger", slow)
    yield opened
    opened.set()


def test_readers_keep_the_last_picture_while_a_new_one_is_built(
    db_target: str, gate: threading.Event
) -> None:
    # Finding: after one POST to a big database every reader waited ~115 s for the rebuild.
    path = db_target  # on each backend
    _save(path, "a")
    with Store.open(path) as store:
        cache = ViewCache(store)
        first = cache.get()
        gate.clear()  # the next build takes until the gate opens
        _save(path, "b")  # another process stores a report
        started = time.monotonic()
        readers = [cache.get() for _ in range(20)]
        assert time.monotonic() - started < 1.0
        assert all(view is first for view in readers)
        gate.set()
        deadline = time.monotonic() + 10
        while len(cache.get().documents) != 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert set(cache.get().documents) == {"a", "b"}


def test_the_writer_s_refresh_shows_its_report_at_once(db_target: str) -> None:
    path = db_target  # on each backend
    _save(path, "a")
    with Store.open(path) as store:
        cache = ViewCache(store)
        assert set(cache.get().documents) == {"a"}
        _save(path, "b")
        assert set(cache.refresh().documents) == {"a", "b"}
        assert cache.get() is cache.get()


def test_before_the_first_picture_a_reader_waits_a_bounded_time(
    db_target: str, gate: threading.Event
) -> None:
    path = db_target  # on each backend
    _save(path, "a")
    with Store.open(path) as store:
        cache = ViewCache(store, wait_s=0.2)
        gate.clear()
        first = threading.Thread(target=cache.get)
        first.start()
        time.sleep(0.1)  # the first reader is building
        with pytest.raises(ApiError) as raised:
            cache.get()
        assert raised.value.status_code == 503
        gate.set()
        first.join(10)
        assert set(cache.get().documents) == {"a"}
