"""Per-report analysis on a Ray cluster: ``sitroom analyze --engine ray`` (``sitroom[ray]``).

Ray Data runs the per-document stage. The inputs become units of work (a report file, a run of
lines of a large JSONL file, a run of in-memory documents); ``map_batches`` hands them to a pool
of actors, each of which loads the resources once, reads its units where it runs and analyses
them; the outcomes come back to this process in input order, and the caller stores them, one
writer and one transaction per report, exactly as a plain run does. The stored picture does not
depend on the engine (``tests/test_ray_engine.py`` checks it on the example reports).

Ray joins the cluster that ``RAY_ADDRESS`` names (``ray start --head`` on one machine, ``ray
start --address=HEAD:6379`` on the others) and otherwise starts one on this machine. On a
cluster, sitroom must be installed on every node and the report files readable at the same path
(a shared file system); the database stays with this process.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitroom.config import Config
from sitroom.errors import ConfigError, InputError
from sitroom.ingest.jsonl import JsonlPart, jsonl_parts, read_jsonl_part
from sitroom.ingest.readers import list_inputs, read_input
from sitroom.records import Analysis, Document

if TYPE_CHECKING:
    from sitroom.pipeline import Resources

log = logging.getLogger(__name__)

# A JSONL file is shared between actors in runs of this many lines (about a spaCy batch's work
# a few times over); a smaller file is one unit.
JSONL_LINES_PER_UNIT = 256
_INSTALL_HINT = "the Ray engine needs Ray: pip install 'sitroom[ray]'"


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    """A report whose text the database holds already (recognised where it was read)."""

    ref: str


Outcome = Analysis | InputError | AlreadyStored
# A unit of work: a report file, a run of lines of a JSONL file, or documents given in memory.
Unit = Path | JsonlPart | tuple[Document, ...] | InputError


def units(
    paths: Iterable[Path], documents: Iterable[Document], *, config: Config
) -> Iterator[Unit]:
    """The units of work of an ``analyze`` call, in its input order (inputs that cannot be
    listed are units too, so that their errors come back in place)."""
    for item in list_inputs(paths, follow_symlinks=config.follow_symlinks):
        if isinstance(item, Path) and item.suffix.lower() == ".jsonl":
            parts = jsonl_parts(item, lines=JSONL_LINES_PER_UNIT, max_chars=config.max_chars)
            if parts:
                yield from parts
                continue
        yield item
    given = iter(documents)
    while run := tuple(islice(given, max(config.batch_size, 1))):
        yield run


def analyze_ray(
    paths: Iterable[Path],
    documents: Iterable[Document] = (),
    *,
    config: Config,
    workers: int,
    stored: Iterable[str] = (),
) -> Iterator[Outcome]:
    """The outcome of every report of ``paths`` and ``documents``, in input order, analysed by
    ``workers`` Ray actors; a report whose id is in ``stored`` comes back as ``AlreadyStored``
    without being analysed."""
    ray = _ray()
    listed = [pickle.dumps(unit) for unit in units(paths, documents, config=config)]
    if not listed:
        return
    started = _connect(ray, workers)
    try:
        _quiet(ray)
        known = ray.put(frozenset(stored))
        dataset = ray.data.from_items([{"unit": u} for u in listed]).map_batches(
            _Analyser,
            batch_size=max(1, min(config.batch_size, -(-len(listed) // workers))),
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
            # In a list, so that each actor fetches the set itself.
            fn_constructor_kwargs={"config": config, "known": [known]},
        )
        for row in dataset.iter_rows():
            yield pickle.loads(row["outcome"])
    finally:
        if started:
            ray.shutdown()


class _Analyser:
    """A Ray actor: the resources loaded once, then batches of units read and analysed."""

    def __init__(self, config: Config, known: list[Any]) -> None:
        import ray

        from sitroom.pipeline import load_resources

        self._config = config
        self._resources: Resources = load_resources(config)
        self._known: frozenset[str] = ray.get(known[0])

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        from sitroom.pipeline import analyze_docs

        outcomes: list[Outcome | None] = []
        fresh: list[tuple[int, Document]] = []
        for raw in batch["unit"]:
            for item in _read(pickle.loads(raw), self._config.max_chars):
                if isinstance(item, Document) and item.id in self._known:
                    outcomes.append(AlreadyStored(item.ref))
                elif isinstance(item, Document):
                    fresh.append((len(outcomes), item))
                    outcomes.append(None)
                else:
                    outcomes.append(item)
        analysed = analyze_docs(
            (d for _, d in fresh),
            resources=self._resources,
            batch_size=max(self._config.batch_size, 1),
        )
        for (slot, _), analysis in zip(fresh, analysed, strict=True):
            outcomes[slot] = analysis
        column = np.empty(len(outcomes), dtype=object)
        column[:] = [pickle.dumps(o) for o in outcomes]
        return {"outcome": column}


def _read(unit: Unit, max_chars: int) -> Iterator[Document | InputError]:
    if isinstance(unit, InputError):
        yield unit
    elif isinstance(unit, JsonlPart):
        yield from read_jsonl_part(unit, max_chars=max_chars)
    elif isinstance(unit, Path):
        yield from read_input(unit, max_chars=max_chars)
    else:
        yield from unit


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as e:
        raise ConfigError(f"{_INSTALL_HINT} ({e})") from e
    return ray


def _connect(ray: Any, workers: int) -> bool:
    """Join ``RAY_ADDRESS``'s cluster, or start one here; True where this call started Ray."""
    if ray.is_initialized():
        return False
    address = os.environ.get("RAY_ADDRESS") or None
    log.info("Ray: %s", f"joining {address}" if address else f"starting here ({workers} CPUs)")
    ray.init(
        address=address,
        num_cpus=None if address else workers,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    return True


def _quiet(ray: Any) -> None:
    """Ray Data's progress report only with ``--verbose`` (sitroom's own progress is shown)."""
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the outcomes in input order
    if not log.isEnabledFor(logging.INFO):
        logging.getLogger("ray.data").setLevel(logging.WARNING)
