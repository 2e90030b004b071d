"""Shared fixtures: the loaded pipeline (once per session) and a small folder of reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

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
