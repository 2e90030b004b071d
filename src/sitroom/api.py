"""The Python API: ``sitroom.analyze`` reads reports, extracts, stores and returns typed records."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from sitroom.config import Config, load_config
from sitroom.errors import InputError
from sitroom.ids import document_id
from sitroom.ingest import read_inputs
from sitroom.knowledge import loader
from sitroom.knowledge.gazetteer import Gazetteer, cache_path
from sitroom.pipeline import Resources, analyze_docs, load_resources
from sitroom.records import Analysis, Document, Picture
from sitroom.store import Store
from sitroom.workers import analyze_parallel

log = logging.getLogger(__name__)

_RESOURCES: dict[Config, Resources] = {}
# Where reports are analysed: processes of this machine, or actors of a Ray cluster.
ENGINES = ("local", "ray")


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one ``analyze`` call did: new analyses, reports already stored, bad inputs."""

    analyses: tuple[Analysis, ...] = ()  # empty where ``analyze(keep=False)``
    already_stored: tuple[str, ...] = ()  # refs of reports whose text was stored before
    errors: tuple[InputError, ...] = field(default=())
    analysed: int = 0  # reports analysed by the call, kept or not


def load_picture(db: str | Path) -> Picture:
    """Everything stored in ``db`` (reports analysed now or by an earlier run) as one picture."""
    with Store.open(db, read_only=True) as store:
        return store.picture()


def resources_for(config: Config) -> Resources:
    """Load (once per process and configuration) the model, knowledge base and gazetteer."""
    if config not in _RESOURCES:
        _RESOURCES[config] = load_resources(config)
    loader.install(config.overrides())  # the process-wide files of this configuration
    return _RESOURCES[config]


def gazetteer_is_built(config: Config) -> bool:
    """Whether the gazetteer index is in the cache (else the first analysis builds it)."""
    return cache_path(config.cache_dir, config.overrides()).exists()


def build_gazetteer(
    config: Config, *, on_progress: Callable[[int, int], None] | None = None
) -> None:
    """Build the gazetteer index into the cache now (about a minute, once per data version);
    ``on_progress(done, total)`` follows it."""
    Gazetteer.load(
        cache_dir=config.cache_dir, overrides=config.overrides(), on_progress=on_progress
    )


def document_from_text(
    text: str,
    *,
    ref: str | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
) -> Document:
    """A Document for text given in memory; ``ref`` defaults to its id."""
    text = text.replace("\r\n", "\n")
    doc_id = document_id(text)
    return Document(doc_id, ref or doc_id, text, title, source, url, published)


def analyze(
    paths: Iterable[str | Path] = (),
    *,
    documents: Iterable[Document] = (),
    db: str | Path | None = None,
    config: Config | None = None,
    on_document: Callable[[str], None] | None = None,
    workers: int = 1,
    engine: str = "local",
    keep: bool = True,
) -> RunResult:
    """Analyse report files/folders and in-memory documents; store them when ``db`` is given.

    A report whose text is already in the store is not analysed again. Bad inputs are returned
    as errors; the rest of the batch goes on. ``workers`` processes analyse (this one stores):
    on this machine (``engine="local"``) or as actors of a Ray cluster (``engine="ray"``,
    ``sitroom.ray_engine``); the analyses are the same for any number of them and either engine.
    With ``keep=False`` the result counts the analyses instead of holding them, so that memory
    does not grow with the batch (an archive stored in ``db``).
    """
    if workers < 1:
        raise InputError("must be at least 1", source=f"workers={workers}")
    if engine not in ENGINES:
        raise InputError(f"unknown engine; expected one of {', '.join(ENGINES)}", source=engine)
    config = config or load_config()
    errors: list[InputError] = []
    skipped: list[str] = []
    store = Store.open(db) if db is not None else None

    def fresh() -> Iterator[Document]:
        seen: set[str] = set()
        found = read_inputs(
            [Path(p) for p in paths],
            max_chars=config.max_chars,
            follow_symlinks=config.follow_symlinks,
        )
        items = chain(found, documents)
        for item in items:
            if isinstance(item, InputError):
                log.warning("%s", item)
                errors.append(item)
                if on_document:
                    on_document(item.source)
            elif item.id in seen or (store is not None and store.has_document(item.id)):
                skipped.append(item.ref)
                if on_document:
                    on_document(item.ref)
            else:
                seen.add(item.id)
                yield item

    try:
        if engine == "ray":
            return _analyze_on_ray(paths, documents, store, config, on_document, workers, keep)
        analyses: list[Analysis] = []
        count = 0
        pending = fresh()
        first = next(pending, None)
        stream: Iterable[Analysis] = ()
        if first is not None and workers > 1:
            stream = analyze_parallel(chain([first], pending), config=config, workers=workers)
        elif first is not None:
            stream = analyze_docs(
                chain([first], pending),
                resources=resources_for(config),
                batch_size=config.batch_size,
            )
        for analysis in stream:
            if store is not None:
                store.save(analysis)
            count += 1
            if keep:
                analyses.append(analysis)
            if on_document:
                on_document(analysis.document.ref)
        return RunResult(tuple(analyses), tuple(skipped), tuple(errors), analysed=count)
    finally:
        if store is not None:
            store.close()


def _analyze_on_ray(
    paths: Iterable[str | Path],
    documents: Iterable[Document],
    store: Store | None,
    config: Config,
    on_document: Callable[[str], None] | None,
    workers: int,
    keep: bool,
) -> RunResult:
    """``analyze`` with the Ray engine: the same checks and the same stored result, the reports
    read and analysed by Ray actors (``sitroom.ray_engine``)."""
    from sitroom.ray_engine import AlreadyStored, analyze_ray  # Ray is an optional extra

    analyses: list[Analysis] = []
    skipped: list[str] = []
    errors: list[InputError] = []
    seen: set[str] = set()
    count = 0
    outcomes = analyze_ray(
        [Path(p) for p in paths],
        documents,
        config=config,
        workers=workers,
        stored=store.document_ids() if store is not None else (),
    )
    for outcome in outcomes:
        if isinstance(outcome, InputError):
            log.warning("%s", outcome)
            errors.append(outcome)
            ref = outcome.source
        elif isinstance(outcome, AlreadyStored) or outcome.document.id in seen:
            ref = outcome.ref if isinstance(outcome, AlreadyStored) else outcome.document.ref
            skipped.append(ref)
        else:
            seen.add(outcome.document.id)
            if store is not None:
                store.save(outcome)
            count += 1
            if keep:
                analyses.append(outcome)
            ref = outcome.document.ref
        if on_document:
            on_document(ref)
    return RunResult(tuple(analyses), tuple(skipped), tuple(errors), analysed=count)
