"""List the place mentions the packaged place ranker reads otherwise than the hand-set rules.

    python scripts/ranker_changes.py [--stories PATH]

Runs ``find_places(every_toponym=True)`` twice over the VOA stories in ``../shared/data`` (news
no gold set holds, so reading its output is fair), once with the rules alone and once with the
packaged model (``data/place_ranker.json``, used even where it is marked unused), and prints
every mention whose reading differs, with some text around it, then how many changed and the
seconds each way took.
"""

# ruff: noqa: E402  (thread limits must be set before numpy is imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import sys
import time
from importlib import resources
from pathlib import Path

from sitroom.api import resources_for
from sitroom.config import Config
from sitroom.evaluate.harness import shared_data_dir
from sitroom.extract.place_ranker import MODEL_FILE, PlaceRanker
from sitroom.extract.places import find_places
from sitroom.nlp import parse
from sitroom.records import Place


def _show(place: Place | None) -> str:
    if place is None:
        return "-"
    where = ", ".join(p for p in (place.admin1, place.country) if p)
    return f"{place.name} ({where}; {place.feature}, {place.population:,})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=Path, default=shared_data_dir() / "voa/voa_stories.jsonl")
    args = parser.parse_args()
    if not args.stories.exists():
        print(f"VOA stories not found at {args.stories}", file=sys.stderr)
        return 1
    text = resources.files("sitroom.data").joinpath(MODEL_FILE).read_text("utf-8")
    ranker = PlaceRanker.from_json(json.loads(text))
    res = resources_for(Config())
    records = [json.loads(line) for line in args.stories.read_text("utf-8").splitlines() if line]
    mentions = changed = 0
    seconds = {"rules": 0.0, "model": 0.0}
    texts = ((str(r["text"]), r) for r in records)
    for doc, record in parse(res.nlp, texts, is_name=res.is_name, batch_size=16):
        read = {}
        for label, how in (("rules", None), ("model", ranker)):
            start = time.perf_counter()
            read[label] = find_places(
                doc,
                document_id=str(record["id"]),
                gazetteer=res.gazetteer,
                demonyms=res.kb.demonym_country,
                every_toponym=True,
                ranker=how,
            )
            seconds[label] += time.perf_counter() - start
        for a, b in zip(read["rules"], read["model"], strict=True):
            mentions += 1
            if a.place == b.place:
                continue
            changed += 1
            around = doc.text[max(0, a.start - 60) : a.end + 40].replace("\n", " ")
            print(f"{record['id']} {a.text!r}: {_show(a.place)} -> {_show(b.place)}")
            print(f"    ...{around}...")
    print(
        f"{len(records)} stories, {mentions} mentions, {changed} read otherwise by the model; "
        f"find_places took {seconds['rules']:.2f} s with the rules, {seconds['model']:.2f} s "
        "with the model"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
