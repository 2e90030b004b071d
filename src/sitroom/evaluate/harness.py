"""One entry to every scorer: ``run`` a dev set into an ``EvalReport``, ``render`` it, check floors.

Gold data is read from ``$SITROOM_SHARED_DATA`` or ``../shared/data`` beside the repository.
``quality_floors.toml`` at the repository root pins each dataset's headline figures; a run that
falls below one fails the quality gate (floors only go up).
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sitroom.errors import ConfigError, InputError
from sitroom.evaluate import case2021, fnc1, geoparsing, plover, wikievents
from sitroom.evaluate.metrics import LabelScore
from sitroom.pipeline import Resources

REPO_ROOT = Path(__file__).resolve().parents[3]
FLOORS_FILE = REPO_ROOT / "quality_floors.toml"
DEFAULT_FILES = {
    "case2021": "case2021/dev.jsonl",
    "geoparsing": "geoparsing/gwn_dev.jsonl",
    "trnews": "geoparsing/trnews.jsonl",  # the second geoparsing set, scored the same way
    "plover": "plover/PLOVER_GSR_CAMEO.json",
    "wikievents": "wikievents/dev.jsonl",
    # a seeded sample of the FNC-1 test pairs, the same number per label (sitroom.evaluate.fnc1)
    "fnc1": "fnc1/competition_test_stances.csv",
}
DATASETS = tuple(DEFAULT_FILES)


@dataclass(frozen=True, slots=True)
class EvalReport:
    """A scored run: headline figures (all in [0, 1]), a P/R/F1 table, typical errors."""

    dataset: str
    path: str
    n_items: int
    seconds: float
    headline: tuple[tuple[str, float], ...]
    table: tuple[LabelScore, ...] = ()
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    limit: int | None = None

    def figure(self, name: str) -> float | None:
        """One headline figure by name, or None."""
        return next((v for k, v in self.headline if k == name), None)


def shared_data_dir() -> Path:
    """Where the gold sets live: ``$SITROOM_SHARED_DATA``, else ``../shared/data``."""
    env = os.environ.get("SITROOM_SHARED_DATA")
    return Path(env) if env else (REPO_ROOT / ".." / "shared" / "data").resolve()


def default_path(dataset: str) -> Path:
    """The dev file of a dataset under the shared data folder."""
    if dataset not in DEFAULT_FILES:
        raise ConfigError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    return shared_data_dir() / DEFAULT_FILES[dataset]


def run(
    dataset: str, path: Path | None = None, *, resources: Resources, limit: int | None = None
) -> EvalReport:
    """Score sitroom on one dataset (its dev file by default; the first ``limit`` items)."""
    path = path or default_path(dataset)  # also rejects an unknown dataset
    if dataset not in DEFAULT_FILES:
        raise ConfigError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    if not path.exists():
        raise InputError("gold data not found (set SITROOM_SHARED_DATA?)", source=str(path))
    started = time.perf_counter()
    if dataset == "case2021":
        report = _case2021(path, resources, limit)
    elif dataset in ("geoparsing", "trnews"):
        report = _geoparsing(path, resources, limit)
    elif dataset == "plover":
        report = _plover(path, resources, limit)
    elif dataset == "fnc1":
        report = _fnc1(path, resources, limit)
    else:
        report = _wikievents(path, resources, limit)
    return replace(report, dataset=dataset, seconds=time.perf_counter() - started, limit=limit)


def _case2021(path: Path, resources: Resources, limit: int | None) -> EvalReport:
    s = case2021.score(path, resources=resources, limit=limit)
    t = s.typing
    return EvalReport(
        "case2021",
        str(path),
        t.n + s.n_non_conflict,
        0.0,
        headline=(
            ("accuracy", t.accuracy),
            ("macro_f1", t.macro_f1),
            ("weighted_f1", t.weighted_f1),
            ("rejection", s.rejection),
        ),
        table=t.labels,
        errors=(
            *(f"{g} -> {p}: {c}x" for g, p, c in s.confusions),
            *(f"{g} -> {p}: {_clip(text)}" for g, p, text in s.examples),
        ),
        notes=(
            f"{t.n} ACLED-labelled snippets scored for typing; {s.n_non_conflict} "
            "non-conflict snippets for rejection",
        ),
    )


def _geoparsing(path: Path, resources: Resources, limit: int | None) -> EvalReport:
    s = geoparsing.score(
        path,
        nlp=resources.nlp,
        gazetteer=resources.gazetteer,
        demonyms=resources.kb.demonym_country,
        is_name=resources.is_name,
        limit=limit,
    )
    median = f"{s.median_km:.1f} km" if s.median_km is not None else "n/a"
    return EvalReport(
        "geoparsing",
        str(path),
        s.n_documents,
        0.0,
        headline=(
            ("precision", s.precision),
            ("recall", s.recall),
            ("f1", s.f1),
            ("acc_161", s.acc_161),
        ),
        table=(LabelScore("toponym", s.precision, s.recall, s.f1, s.n_gold),),
        errors=tuple(f"{e.kind}: {e.document_id} '{e.text}' {e.detail}".rstrip() for e in s.errors),
        notes=(
            f"{s.n_gold} gold, {s.n_pred} predicted, {s.n_matched} matched toponyms; "
            f"median resolution error {median}",
        ),
    )


def _plover(path: Path, resources: Resources, limit: int | None) -> EvalReport:
    s = plover.score(path, resources=resources, limit=limit)
    t = s.typing
    return EvalReport(
        "plover",
        str(path),
        t.n,
        0.0,
        headline=(
            ("accuracy", t.accuracy),
            ("macro_f1", t.macro_f1),
            ("source_accuracy", s.source_accuracy),
            ("target_accuracy", s.target_accuracy),
        ),
        table=t.labels,
        errors=(
            *(f"{g} -> {p}: {c}x" for g, p, c in s.confusions),
            *(f"{e.kind}: {e.record_id} gold '{e.gold}', got '{e.predicted}'" for e in s.errors),
        ),
        notes=(f"{s.n_source} records with a gold source, {s.n_target} with a gold target",),
    )


def _wikievents(path: Path, resources: Resources, limit: int | None) -> EvalReport:
    s = wikievents.score(path, resources=resources, limit=limit)
    figures = (s.trigger, s.trigger_id, s.argument, s.argument_coref)
    return EvalReport(
        "wikievents",
        str(path),
        s.n_documents,
        0.0,
        headline=tuple((f"{f.label}_f1", f.f1) for f in figures),
        table=(
            *s.types,
            *(
                LabelScore(f"arg:{x.label}", x.precision, x.recall, x.f1, x.support)
                for x in s.slots
            ),
        ),
        errors=s.errors,
        notes=tuple(
            f"{f.label}: P {f.precision:.3f} R {f.recall:.3f} over {f.support} gold"
            for f in figures
        ),
    )


def _fnc1(path: Path, resources: Resources, limit: int | None) -> EvalReport:
    s = fnc1.score(path, resources=resources, limit=limit)
    t = s.stance
    drawn = ", ".join(f"{n} {stance}" for stance, n in sorted(s.original.items()))
    return EvalReport(
        "fnc1",
        str(path),
        s.n_pairs,
        0.0,
        headline=(
            ("macro_f1", t.macro_f1),
            ("accuracy", t.accuracy),
            ("related_f1", s.related.f1),
        ),
        table=(*t.labels, replace(s.related, label="related (vs unrelated)")),
        errors=(
            *(f"{g} -> {p}: {c}x" for g, p, c in s.confusions),
            *s.errors,
        ),
        notes=(
            f"seeded sample of {s.n_pairs} pairs ({s.per_label} per label) over {s.n_bodies} "
            f"bodies: {drawn}; gold discuss is scored as agree",
        ),
    )


def _clip(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render(report: EvalReport) -> str:
    """The report as a plain-text table."""
    limit = f", first {report.limit}" if report.limit is not None else ""
    lines = [
        f"{report.dataset}: {report.n_items} items{limit}, {report.seconds:.1f} s  ({report.path})",
        "",
    ]
    width = max((len(k) for k, _ in report.headline), default=0)
    lines += [f"  {name:<{width}}  {value:.3f}" for name, value in report.headline]
    if report.table:
        w = max(12, *(len(s.label) for s in report.table))
        lines += ["", f"  {'label':<{w}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'n':>5}"]
        lines += [
            f"  {s.label:<{w}}  {s.precision:5.3f}  {s.recall:5.3f}  {s.f1:5.3f}  {s.support:5d}"
            for s in report.table
        ]
    if report.notes:
        lines += ["", *(f"  {n}" for n in report.notes)]
    if report.errors:
        lines += ["", "  typical errors:", *(f"    {_clip(e, 120)}" for e in report.errors)]
    return "\n".join(lines) + "\n"


def load_floors(path: Path = FLOORS_FILE) -> dict[str, dict[str, float]]:
    """Floors by dataset and headline figure from a TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read quality floors: {e}") from e
    floors: dict[str, dict[str, float]] = {}
    for dataset, table in data.items():
        if dataset not in DEFAULT_FILES or not isinstance(table, dict):
            raise ConfigError(f"{path}: [{dataset}] is not a known dataset table")
        try:
            floors[dataset] = {str(k): float(v) for k, v in table.items()}
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{path}: [{dataset}] floors must be numbers: {e}") from e
    return floors


def check_floors(report: EvalReport, floors: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One message per headline figure below its floor (floors are pinned on full dev sets)."""
    failures = []
    for name, floor in floors.get(report.dataset, {}).items():
        value = report.figure(name)
        if value is None:
            failures.append(f"{report.dataset}: no figure '{name}' to hold to its floor {floor}")
        elif value < floor:
            failures.append(f"{report.dataset}: {name} {value:.3f} is below its floor {floor:.3f}")
    return failures
