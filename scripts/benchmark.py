"""Speed and memory of `sitroom analyze` next to the bare spaCy pipeline it uses.

Prints, on one core: words per second of the bare spaCy model and of the whole sitroom job
(spaCy, extraction and storage into a fresh SQLite file) over the same VOA stories, their
ratio, the peak resident memory of this process, and the wall time of the command line on one
report once caches are built. Run it with `make bench`; the targets live in the README.

    python scripts/benchmark.py [--stories PATH] [--report PATH]
"""

# ruff: noqa: E402  (thread limits must be set before numpy/spaCy are imported)
from __future__ import annotations

import os

# One core: BLAS and thinc must not spread over others before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from sitroom.api import analyze, document_from_text, resources_for
from sitroom.config import Config
from sitroom.picture import build_ledger
from sitroom.records import Document
from sitroom.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
DEFAULT_REPORT = ROOT / "examples" / "reports" / "07_rebels_enter_hama.txt"
TARGET_RATIO = 0.5
TARGET_PEAK_MB = 1536
TARGET_CLI_S = 5.0


def read_stories(path: Path) -> list[Document]:
    """The VOA stories as documents (their own ids as refs)."""
    documents = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                documents.append(document_from_text(item["text"], ref=str(item["id"])))
    return documents


def words(documents: list[Document]) -> int:
    return sum(len(d.text.split()) for d in documents)


def bare_spacy(model: str, documents: list[Document], batch_size: int) -> float:
    """Seconds for the model's own pipeline over the texts (loading not counted)."""
    nlp = spacy.load(model)
    start = time.perf_counter()
    for _ in nlp.pipe((d.text for d in documents), batch_size=batch_size):
        pass
    return time.perf_counter() - start


def whole_job(config: Config, documents: list[Document], db: Path) -> float:
    """Seconds for analyse-and-store of the same texts (resources loaded beforehand)."""
    resources_for(config)  # loaded once per process, as in a long batch
    start = time.perf_counter()
    result = analyze(documents=documents, db=db, config=config)
    elapsed = time.perf_counter() - start
    if len(result.analyses) != len(documents):
        raise SystemExit(f"only {len(result.analyses)} of {len(documents)} stories analysed")
    return elapsed


def picture_seconds(db: Path) -> tuple[float, int]:
    """Seconds to read the stored picture and merge it into the ledger (what `report`, `export`
    and the server do once per change of the database), and the merged events it holds."""
    start = time.perf_counter()
    with Store.open(db, read_only=True) as store:
        ledger = build_ledger(store.picture())
    return time.perf_counter() - start, len(ledger.events)


def cli_seconds(report: Path) -> float:
    """Wall time of `sitroom analyze REPORT` in a fresh process (caches already built)."""
    exe = Path(sys.executable).with_name("sitroom")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [str(exe), "analyze", str(report), "--db", str(Path(tmp) / "one.db"), "--no-report"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    args = parser.parse_args()
    if not args.stories.exists():
        print(f"VOA stories not found at {args.stories} (needs ../shared beside the repo)")
        return 2
    config = Config()
    documents = read_stories(args.stories)
    n_words = words(documents)
    spacy_s = bare_spacy(config.model, documents, config.batch_size)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        job_s = whole_job(config, documents, db)
        ledger_s, merged = picture_seconds(db)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cli_s = cli_seconds(args.report)
    ratio = (n_words / job_s) / (n_words / spacy_s)
    rows = [
        ("stories", f"{len(documents)} ({n_words} words)", ""),
        ("bare spaCy", f"{n_words / spacy_s:,.0f} words/s", ""),
        ("sitroom analyze", f"{n_words / job_s:,.0f} words/s", ""),
        ("ratio", f"{ratio:.2f}", _mark(ratio >= TARGET_RATIO, f">= {TARGET_RATIO}")),
        ("peak memory", f"{peak_mb:,.0f} MB", _mark(peak_mb < TARGET_PEAK_MB, "< 1.5 GB")),
        ("one report, CLI", f"{cli_s:.1f} s", _mark(cli_s < TARGET_CLI_S, f"< {TARGET_CLI_S} s")),
        ("merged picture", f"{ledger_s:.1f} s ({merged:,} merged events)", ""),
    ]
    for name, value, verdict in rows:
        print(f"{name:<18}{value:<28}{verdict}")
    return 0


def _mark(ok: bool, target: str) -> str:
    return f"{'ok' if ok else 'MISSED'} (target {target})"


if __name__ == "__main__":
    sys.exit(main())
