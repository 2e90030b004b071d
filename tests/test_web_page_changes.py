"""An open page receives what sitroom watch finds: a new incident arrives while the page is
open (Chromium through Playwright; skipped without /usr/bin/chromium unless
SITROOM_REQUIRE_BROWSER is set, as in tests/test_web_page.py)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from tests.conftest import REPORTS

from sitroom.api import analyze
from sitroom.config import Config
from sitroom.pipeline import Resources, analyze_docs
from sitroom.records import Analysis, Document
from sitroom.store import Store
from sitroom.watch.fetch import Fetcher
from sitroom.watch.sources import parse_watch_config
from sitroom.watch.watcher import Watcher
from sitroom.web import create_app
from sitroom.web.local import HEADLESS_CHROMIUM_ARGS, serve_locally

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():
    if os.environ.get("SITROOM_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing and SITROOM_REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NEW_REPORT = (
    "---\ntitle: Shelling in Maarat al-Numan\nsource: Test Wire\npublished: 2024-12-05\n---\n"
    "Government artillery shelled Maarat al-Numan on Thursday, killing 7 civilians, "
    "a war monitor said.\n"
)


def test_an_open_page_shows_a_new_incident(tmp_path: Path, resources: Resources) -> None:
    db = tmp_path / "live.db"
    first = tmp_path / "first"
    first.mkdir()
    (first / "saraqib.txt").write_text(REPORTS["saraqib.txt"], encoding="utf-8")
    analyze([first], db=db, config=Config())
    drop = tmp_path / "incoming"
    drop.mkdir()
    cfg = parse_watch_config(
        {"source": [{"name": "Drop box", "folder": str(drop)}]}, path=tmp_path / "w.toml"
    )

    def analyse(documents: Sequence[Document]) -> list[Analysis]:
        return list(analyze_docs(documents, resources=resources))

    errors: list[str] = []
    with (
        Store.open(db) as store,
        Fetcher(cfg.fetch) as fetcher,
        serve_locally(create_app(db)) as url,
        sync_playwright() as playwright,
    ):
        watcher = Watcher(store, cfg, analyse=analyse, fetcher=fetcher)
        assert watcher.poll().stored == ()  # the baseline: the picture as the page opens
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(HEADLESS_CHROMIUM_ARGS)
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900})

        def route(request_route: Any) -> None:
            if urlsplit(request_route.request.url).hostname == "127.0.0.1":
                request_route.continue_()
            else:
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready]")
        before = page.get_by_test_id("event-item").count()
        expect(page.get_by_test_id("changes")).to_be_hidden()

        (drop / "maarat.txt").write_text(NEW_REPORT, encoding="utf-8")
        result = watcher.poll(everything=True)
        assert len(result.stored) == 1
        new_event = next(c for c in result.changes if c.kind == "new-event")

        item = page.locator('[data-testid="change-item"][data-kind="new-event"]')
        expect(item.first).to_contain_text("New event", timeout=15_000)
        expect(page.get_by_test_id("changes")).to_be_visible()
        fresh = page.locator(f'[data-testid="event-item"][data-event-id="{new_event.key}"]')
        expect(fresh).to_have_class("event-item fresh", timeout=15_000)
        assert page.get_by_test_id("event-item").count() > before
        context.close()
        browser.close()
    assert errors == []
