"""Regenerate docs/img/page.png: the page over the example reports, one event's sources open.

    python scripts/screenshot.py [--out docs/img/page.png] [--chromium /usr/bin/chromium]

Analyses examples/reports into a temporary database, serves it on a free localhost port and
photographs the page in Debian's Chromium (through Playwright) with the Idlib air strike of
2 December open: two outlets, eleven dead against twenty-five.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from sitroom.api import analyze
from sitroom.web import create_app
from sitroom.web.local import HEADLESS_CHROMIUM_ARGS, serve_locally

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1600, "height": 1000}


def idlib_strike(url: str) -> str:
    """The id of the merged Idlib air strike of 2 December (the one with two tolls)."""
    params = {"start": "2024-12-02", "end": "2024-12-02", "type": "Air/drone strike"}
    items = httpx.get(f"{url}/api/events", params=params).json()["items"]
    found = [e for e in items if e["location"] and e["location"]["name"] == "Idlib"]
    if not found:
        sys.exit("the example reports no longer yield the Idlib air strike; pick another event")
    # The strike both outlets give a toll for (11 and at least 25), not another Idlib raid.
    return str(max(found, key=lambda e: (e["fatality_range"] is not None, e["sources"]))["id"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "page.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "screenshot.db"
        result = analyze([ROOT / "examples" / "reports"], db=db)
        if result.errors:
            sys.exit(f"could not analyse the example reports: {result.errors[0]}")
        with serve_locally(create_app(db)) as url, sync_playwright() as playwright:
            event_id = idlib_strike(url)
            browser = playwright.chromium.launch(
                executable_path=args.chromium, args=list(HEADLESS_CHROMIUM_ARGS)
            )
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{url}/#event={event_id}")
            page.wait_for_selector("body[data-ready]")
            page.wait_for_selector('[data-testid="source-quote"]')
            # Let the opened cluster's spiderfy animation (200 ms) settle.
            page.wait_for_timeout(600)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
