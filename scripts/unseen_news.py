"""Events sitroom codes on real news no incident gold holds, to read as an analyst would.

Two samples from ../shared/data, neither scored for incidents:

- the FNC-1 article bodies (scored for stance only) with four or more words of armed conflict
  (the words below), dated 2014-09-15 (their stories are of 2014-15; FNC-1 gives no dates);
- the VOA stories outside the incidents set (health, trade, courts, diplomacy: almost none
  tells an incident of political violence, so nearly every event coded there is spurious).

Prints, per sample, how many reported or claimed events with an ACLED type sitroom codes
(docs/accuracy.md, session 8, quotes these counts); ``--list`` prints each event with its quote.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from sitroom.api import document_from_text
from sitroom.config import Config
from sitroom.pipeline import analyze_docs, load_resources
from sitroom.records import Analysis, Document

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# A body tells of armed conflict when it holds this many of these words.
CONFLICT_WORDS = re.compile(r"\b(killed|attack|militants|airstrike|bomb|fighters|rebels|troops)\b")
MIN_CONFLICT_WORDS = 4
FNC1_DATE = dt.date(2014, 9, 15)
CURRENT = ("reported", "claimed")


def fnc1_bodies(data: Path) -> list[Document]:
    with (data / "fnc1" / "competition_test_bodies.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        document_from_text(r["articleBody"], ref=f"fnc1-{r['Body ID']}", published=FNC1_DATE)
        for r in rows
        if len(CONFLICT_WORDS.findall(r["articleBody"])) >= MIN_CONFLICT_WORDS
    ]


def voa_outside_incidents(data: Path) -> list[Document]:
    with (data / "incidents" / "dev.jsonl").open(encoding="utf-8") as f:
        coded = {json.loads(line)["id"] for line in f if line.strip()}
    with (data / "voa" / "voa_stories.jsonl").open(encoding="utf-8") as f:
        stories = [json.loads(line) for line in f if line.strip()]
    return [
        document_from_text(
            s["text"],
            ref=s["id"],
            title=s.get("title"),
            published=dt.date.fromisoformat(s["published"][:10]),
        )
        for s in stories
        if s["id"] not in coded
    ]


def typed_events(analyses: Iterable[Analysis]) -> list[tuple[str, str, str]]:
    """(document ref, sub-event type, first quote) of each reported or claimed typed event."""
    return [
        (a.document.ref or "", e.sub_event_type or "", e.evidence[0].quote if e.evidence else "")
        for a in analyses
        for e in a.events
        if e.event_type is not None and e.status in CURRENT
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="../shared/data")
    parser.add_argument("--list", action="store_true", help="print each event and its quote")
    args = parser.parse_args(argv)
    resources = load_resources(Config())
    for name, docs in (
        ("FNC-1 bodies of armed conflict", fnc1_bodies(args.data)),
        ("VOA stories outside the incidents set", voa_outside_incidents(args.data)),
    ):
        events = typed_events(analyze_docs(docs, resources=resources))
        print(f"{name}: {len(events)} reported or claimed events with an ACLED type in {len(docs)}")
        if args.list:
            for ref, sub, quote in events:
                print(f"  {ref:40} {sub:36} {quote[:100]}")


if __name__ == "__main__":
    main()
