"""Shared fixtures: the loaded pipeline (once per session), a small folder of reports, and the
databases the store's tests run on: SQLite and PostgreSQL (a server started for the session)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest

import postgres_server
from sitroom.api import document_from_text, resources_for
from sitroom.config import Config
from sitroom.nlp import parse_one
from sitroom.pipeline import Resources, analyze_doc
from sitroom.records import Analysis

# A Monday: "on Tuesday" in a report published then means 2024-11-26.
PUBLISHED = dt.date(2024, 12, 2)

Analyse = Callable[..., Analysis]

# Two short reports in our own words; each names a place, an actor and an act.
REPORTS = {
    "saraqib.txt": (
        "---\ntitle: Rebels take Saraqib\nsource: Test Wire\npublished: 2024-12-02\n---\n"
        "Rebels captured the town of Saraqib on Tuesday, a war monitor said.\n"
    ),
    "idlib.txt": (
        "---\ntitle: Strikes on Idlib\nsource: Test Wire\npublished: 2024-12-02\n---\n"
        "Russian jets carried out airstrikes on Idlib, killing at least 11 civilians, "
        "the monitor said.\n"
    ),
}


@pytest.fixture(scope="session")
def resources() -> Resources:
    """The spaCy model, knowledge base, gazetteer and lexicons, loaded once (~15 s).

    Loaded through ``sitroom.api.resources_for`` so that ``sitroom.analyze`` and the CLI,
    run in this process with the default config, reuse them instead of loading their own.
    """
    return resources_for(Config())


@pytest.fixture(scope="session")
def analyse(resources: Resources) -> Analyse:
    """Run the whole per-document pipeline on a text: ``analyse(text, published=...)``."""

    def run(text: str, *, published: dt.date | None = PUBLISHED) -> Analysis:
        document = document_from_text(text, published=published)
        doc = parse_one(resources.nlp, document.text, is_name=resources.is_name)
        return analyze_doc(doc, document, resources=resources)

    return run


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    """A folder holding the two small REPORTS as .txt files."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- databases -------------------------------------------------------------------------------

BACKENDS = ("sqlite", "postgresql")


class NewDatabase(Protocol):
    """Makes a new, empty database on the test's backend: an SQLite file name (or ``:memory:``
    unless ``shared``: opened by more than one connection) or a PostgreSQL URL."""

    def __call__(self, *, shared: bool = False) -> str: ...


@pytest.fixture(scope="session")
def postgres() -> Iterator[postgres_server.PostgresServer]:
    """A PostgreSQL server for the session (tests/postgres_server.py). Skips where none can be
    had, unless SITROOM_REQUIRE_POSTGRES=1 (set by .ci/run), where that is a failure."""
    server = postgres_server.start()
    if isinstance(server, str):
        message = f"PostgreSQL tests need a server: {server}"
        if os.environ.get("SITROOM_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " (SITROOM_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each database backend in turn."""
    return str(request.param)


@pytest.fixture
def new_database(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> NewDatabase:
    """Make new, empty databases on the test's backend: SQLite files (or ``:memory:``), or
    schemas of the session's PostgreSQL server."""
    if backend == "sqlite":

        def sqlite(*, shared: bool = False) -> str:
            return str(tmp_path_factory.mktemp("db") / "sitroom.db") if shared else ":memory:"

        return sqlite
    server: postgres_server.PostgresServer = request.getfixturevalue("postgres")

    def postgresql(*, shared: bool = False) -> str:
        return server.fresh()

    return postgresql


@pytest.fixture
def db_target(new_database: NewDatabase) -> str:
    """A new, empty database on each backend in turn, that more than one connection may open:
    an SQLite file name or a PostgreSQL URL."""
    return new_database(shared=True)
