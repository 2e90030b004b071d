"""Per-report analysis over several processes on one machine.

Each worker process loads the resources once, when it starts, and analyses batches of documents;
the caller gets the analyses back in input order and stores them itself, so the database keeps
one writer and one transaction per report. A batch is exactly the run of documents that one
process parses as one spaCy batch (``Config.batch_size``), so the analyses are one worker's.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult

from sitroom.config import Config
from sitroom.pipeline import Resources, analyze_docs, load_resources
from sitroom.records import Analysis, Document

# Batches handed out ahead of the one being stored, per worker: enough to keep each busy.
_AHEAD = 2

# The resources of this worker process, loaded by ``_start``; a pool's tasks can only reach
# per-process state through a module global.
_resources: Resources | None = None


def _start(config: Config) -> None:
    global _resources
    _resources = load_resources(config)


def _analyse(batch: list[Document]) -> list[Analysis]:
    if _resources is None:  # pragma: no cover - _start always runs first
        raise RuntimeError("worker started without resources")
    return list(analyze_docs(batch, resources=_resources, batch_size=len(batch)))


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    found = iter(documents)
    while batch := list(islice(found, size)):
        yield batch


def analyze_parallel(
    documents: Iterable[Document], *, config: Config, workers: int
) -> Iterator[Analysis]:
    """One Analysis per document, in input order, from ``workers`` processes.

    ``documents`` is read in the calling thread, a few batches ahead of the analyses returned.
    """
    # spawn, not fork: a forked copy of a process that runs threads (SQLite, spaCy) may hang.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start, initargs=(config,)) as pool:
        pending: deque[AsyncResult[list[Analysis]]] = deque()
        for batch in _batches(documents, max(config.batch_size, 1)):
            pending.append(pool.apply_async(_analyse, (batch,)))
            if len(pending) > _AHEAD * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
