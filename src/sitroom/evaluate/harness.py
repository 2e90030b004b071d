"""One entry to every scorer: ``run`` a dev set into an ``EvalReport``, ``render`` it, check floors.

Gold data is read from ``$SITROOM_SHARED_DATA`` or ``../shared/data`` beside the repository.
``run_halves`` also reports on each set's tune and check halves (``sitroom.evaluate.split``).
``quality_floors.toml`` at the repository root pins each dataset's headline figures, on the
whole set and on each half; a run that falls below a floor (or above a ``max_`` ceiling) fails
the quality gate (floors only go up, ceilings only down).
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sitroom.errors import ConfigError, InputError
from sitroom.evaluate import case2021, fnc1, geoparsing, incidents, plover, rams, wikievents
from sitroom.evaluate.metrics import LabelScore
from sitroom.evaluate.split import ALL, HALVES, half_of
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
    "incidents": "incidents/dev.jsonl",
    # the windows whose event is violent (conflict.attack, violent deaths, injuries, arrests)
    "rams": "rams/dev.jsonlines",
}
DATASETS = tuple(DEFAULT_FILES)
CEILING = "max_"  # a key of quality_floors.toml that starts so is a ceiling on the figure after it


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
    half: str = ALL  # or one of split.HALVES

    def figure(self, name: str) -> float | None:
        """One headline figure by name, or None."""
        return next((v for k, v in self.headline if k == name), None)

    @property
    def scope(self) -> str:
        """The floors table that holds this report: 'case2021', or 'case2021.tune' for a half."""
        return self.dataset if self.half == ALL else f"{self.dataset}.{self.half}"


def shared_data_dir() -> Path:
    """Where the gold sets live: ``$SITROOM_SHARED_DATA``, else ``../shared/data``."""
    env = os.environ.get("SITROOM_SHARED_DATA")
    return Path(env) if env else (REPO_ROOT / ".." / "shared" / "data").resolve()


def default_path(dataset: str) -> Path:
    """The dev file of a dataset under the shared data folder."""
    if dataset not in DEFAULT_FILES:
        raise ConfigError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    return shared_data_dir() / DEFAULT_FILES[dataset]


# A dataset's scorer, once its items are analysed: (the split ids of the items, and the report
# on a subset of them, given by index). Analysing is the expensive part; scoring a subset is not.
_Scorer = tuple[list[str], Callable[[Sequence[int]], EvalReport]]


def run(
    dataset: str,
    path: Path | None = None,
    *,
    resources: Resources,
    limit: int | None = None,
    all_errors: bool = False,
) -> EvalReport:
    """Score sitroom on one dataset (its dev file by default; the first ``limit`` items)."""
    return run_halves(dataset, path, resources=resources, limit=limit, all_errors=all_errors)[ALL]


def run_halves(
    dataset: str,
    path: Path | None = None,
    *,
    resources: Resources,
    limit: int | None = None,
    all_errors: bool = False,
) -> dict[str, EvalReport]:
    """Reports on the whole set and on its tune and check halves (``sitroom.evaluate.split``),
    keyed 'all', 'tune', 'check'; each item is analysed once. ``all_errors`` lists every error
    (for error analysis) where a report lists a few of each kind."""
    path = path or default_path(dataset)  # also rejects an unknown dataset
    if dataset not in DEFAULT_FILES:
        raise ConfigError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    if not path.exists():
        raise InputError("gold data not found (set SITROOM_SHARED_DATA?)", source=str(path))
    started = time.perf_counter()
    ids, report_on = _SCORERS[dataset](path, resources, limit, all_errors)
    picks = {ALL: list(range(len(ids)))}
    picks.update({h: [i for i, x in enumerate(ids) if half_of(x) == h] for h in HALVES})
    reports = {half: report_on(chosen) for half, chosen in picks.items()}
    seconds = time.perf_counter() - started
    return {
        half: replace(r, dataset=dataset, seconds=seconds, limit=limit, half=half)
        for half, r in reports.items()
    }


def _case2021(path: Path, resources: Resources, limit: int | None, all_errors: bool) -> _Scorer:
    rows = case2021.read_snippets(path)[:limit]
    predictions = case2021.predict(rows, resources=resources)
    labels = sorted(case2021.acled_labels(resources).values())

    def report(chosen: Sequence[int]) -> EvalReport:
        s = case2021.score_predictions(
            [rows[i] for i in chosen],
            [predictions[i] for i in chosen],
            labels=labels,
            examples=None if all_errors else case2021.EXAMPLES,
        )
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

    return [r[0] for r in rows], report


def _geoparsing(path: Path, resources: Resources, limit: int | None, all_errors: bool) -> _Scorer:
    records = geoparsing.read_records(path, limit=limit)
    predictions, stored = geoparsing.predict_both(records, resources=resources)
    per_kind = None if all_errors else geoparsing.ERRORS_PER_KIND

    def report(chosen: Sequence[int]) -> EvalReport:
        golds = [records[i] for i in chosen]
        s = geoparsing.score_predictions(
            golds, [predictions[i] for i in chosen], errors_per_kind=per_kind
        )
        # What users get: the place mentions a picture stores and exports.
        e = geoparsing.score_predictions(golds, [stored[i] for i in chosen], errors_per_kind=0)
        median = f"{s.median_km:.1f} km" if s.median_km is not None else "n/a"
        stored_median = f"{e.median_km:.1f} km" if e.median_km is not None else "n/a"
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
                ("stored_precision", e.precision),
                ("stored_recall", e.recall),
                ("stored_f1", e.f1),
                ("stored_acc_161", e.acc_161),
            ),
            table=(
                LabelScore("toponym", s.precision, s.recall, s.f1, s.n_gold),
                LabelScore("stored place", e.precision, e.recall, e.f1, e.n_gold),
            ),
            errors=tuple(
                f"{e.kind}: {e.document_id} '{e.text}' {e.detail}".rstrip() for e in s.errors
            ),
            notes=(
                f"{s.n_gold} gold, {s.n_pred} predicted, {s.n_matched} matched toponyms; "
                f"median resolution error {median}",
                f"stored places (what a picture keeps and exports): {e.n_pred} predicted, "
                f"{e.n_matched} matched; median resolution error {stored_median}",
                "figures without a prefix score every toponym (find_places(every_toponym=True): "
                "adds adjectives of place, names inside organisation names, regions); stored_ "
                "figures score the stored places",
            ),
        )

    return [str(r.get("id", "")) for r in records], report


def _plover(path: Path, resources: Resources, limit: int | None, all_errors: bool) -> _Scorer:
    records = plover.read_records(path)[:limit]
    predictions = plover.predict(records, resources=resources)
    per_kind = None if all_errors else plover.ERRORS_PER_KIND

    def report(chosen: Sequence[int]) -> EvalReport:
        s = plover.score_predictions(
            [records[i] for i in chosen], [predictions[i] for i in chosen], errors_per_kind=per_kind
        )
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
                *(
                    f"{e.kind}: {e.record_id} gold '{e.gold}', got '{e.predicted}'"
                    for e in s.errors
                ),
            ),
            notes=(f"{s.n_source} records with a gold source, {s.n_target} with a gold target",),
        )

    return [r.id for r in records], report


def _wikievents(path: Path, resources: Resources, limit: int | None, all_errors: bool) -> _Scorer:
    mapping = wikievents.EventMapping.load()
    coref = wikievents.coref_path(path)
    golds = wikievents.read_documents(path, mapping=mapping, coref=coref, limit=limit)
    predictions = wikievents.predict(golds, resources=resources, mapping=mapping)
    per_kind = None if all_errors else wikievents.ERRORS_PER_KIND

    def report(chosen: Sequence[int]) -> EvalReport:
        s = wikievents.score_documents(
            [golds[i] for i in chosen], [predictions[i] for i in chosen], errors_per_kind=per_kind
        )
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

    return [g.id for g in golds], report


def _rams(path: Path, resources: Resources, limit: int | None, all_errors: bool) -> _Scorer:
    mapping = wikievents.EventMapping.load(section=rams.SECTION)
    windows = rams.read_windows(path, mapping=mapping, limit=limit)
    predictions = rams.predict_windows(windows, resources=resources, mapping=mapping)
    per_kind = None if all_errors else wikievents.ERRORS_PER_KIND

    def report(chosen: Sequence[int]) -> EvalReport:
        s = rams.score_windows(
            [windows[i] for i in chosen], [predictions[i] for i in chosen], errors_per_kind=per_kind
        )
        hit = [i for i in chosen if rams.found(windows[i], predictions[i])]
        a = rams.score_windows(
            [windows[i] for i in hit], [predictions[i] for i in hit], errors_per_kind=per_kind
        )
        slots = {x.label: x for x in a.slots}
        return EvalReport(
            "rams",
            str(path),
            s.n_documents,
            0.0,
            headline=(
                ("trigger_recall", s.trigger.recall),
                ("argument_f1", a.argument.f1),
                *((f"{slot}_f1", slots[slot].f1) for slot in wikievents.SLOTS),
            ),
            table=(
                *s.types,
                *(
                    LabelScore(f"arg:{x.label}", x.precision, x.recall, x.f1, x.support)
                    for x in a.slots
                ),
            ),
            errors=(
                *(e for e in s.errors if e.startswith("missed")),
                *(e for e in a.errors if not e.startswith("missed")),
            ),
            notes=(
                f"trigger: {s.trigger.recall:.3f} of {s.trigger.support} gold events found at "
                f"their trigger with their type; {s.trigger.precision:.3f} of the events found "
                "there typed alike (events elsewhere in a window are not scored)",
                f"arguments of the {len(hit)} events found: P {a.argument.precision:.3f} "
                f"R {a.argument.recall:.3f} over {a.argument.support} gold",
            ),
        )

    return [w.article for w in windows], report


def _fnc1(path: Path, resources: Resources, limit: int | None, all_errors: bool) -> _Scorer:
    pairs, bodies, per_label = fnc1.sample(path, limit=limit)
    verdicts = fnc1.predict(pairs, bodies, resources=resources)
    shown = None if all_errors else fnc1.ERRORS_SHOWN

    def report(chosen: Sequence[int]) -> EvalReport:
        some = [pairs[i] for i in chosen]
        s = fnc1.score_verdicts(
            some,
            [verdicts[i] for i in chosen],
            n_bodies=len({p.body_id for p in some}),
            per_label=per_label,
            errors=shown,
        )
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

    # A body is the unit of the split: its pairs share its analysis and its half.
    return [p.body_id for p in pairs], report


def _incidents(path: Path, resources: Resources, limit: int | None, all_errors: bool) -> _Scorer:
    docs = incidents.read_documents(path, limit=limit)
    events, unscored = incidents.predict(docs, resources=resources)
    per_kind = None if all_errors else incidents.ERRORS_PER_KIND

    def report(chosen: Sequence[int]) -> EvalReport:
        s = incidents.score_documents(
            [docs[i] for i in chosen],
            [events[i] for i in chosen],
            unscored=[unscored[i] for i in chosen],
            errors_per_kind=per_kind,
        )
        spurious = dict(s.spurious)
        return EvalReport(
            "incidents",
            str(path),
            s.n_documents,
            0.0,
            headline=(
                ("precision", s.precision),
                ("recall", s.recall),
                ("duplicate_rate", s.duplicate_rate),
                ("spurious_rate", s.spurious_rate),
                *((f"spurious_{k}", s.spurious_share(k)) for k in incidents.SPURIOUS_KINDS),
                *((f.name, f.accuracy) for f in s.fields),
            ),
            table=s.types,
            errors=s.errors,
            notes=(
                f"{s.n_scored} scored events: {s.n_hits} hits, {s.n_duplicates} duplicates, "
                f"{sum(spurious.values())} spurious ({spurious['non_incident']} on listed "
                f"non-incidents, {spurious['background']} on background incidents, "
                f"{spurious['other']} other)",
                f"{s.n_found} of {s.n_current} current incidents hit; {s.n_unscored} events not "
                "scored (no ACLED type, or not reported or claimed)",
                "fields right over hits where the gold gives them: "
                + ", ".join(f"{f.name} {f.right}/{f.n}" for f in s.fields),
                "table: P over the events sitroom types so (a hit of any incident), "
                "R over the incidents the gold types so",
            ),
        )

    return [d.id for d in docs], report


_SCORERS: dict[str, Callable[[Path, Resources, int | None, bool], _Scorer]] = {
    "case2021": _case2021,
    "geoparsing": _geoparsing,
    "trnews": _geoparsing,
    "plover": _plover,
    "wikievents": _wikievents,
    "fnc1": _fnc1,
    "incidents": _incidents,
    "rams": _rams,
}


def _clip(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render(
    report: EvalReport, *, columns: Sequence[EvalReport] = (), width: int | None = 120
) -> str:
    """The report as a plain-text table. ``columns``: reports on the same set (whole and
    halves) whose headline figures stand side by side in place of the report's own; error
    lines are clipped to ``width`` chars (None: whole)."""
    limit = f", first {report.limit}" if report.limit is not None else ""
    shown = f" ({report.half} half)" if report.half != ALL else ""
    split = ", ".join(f"{h.half} {h.n_items}" for h in columns if h.half != report.half)
    split = f" ({split})" if split else ""
    lines = [
        f"{report.dataset}{shown}: {report.n_items} items{split}{limit}, {report.seconds:.1f} s"
        f"  ({report.path})",
        "",
    ]
    width_names = max((len(k) for k, _ in report.headline), default=0)
    if columns:
        heads = "".join(f"  {h.half:>5}" for h in columns)
        lines.append(f"  {'':<{width_names}}{heads}")
    for name, value in report.headline:
        figures = "".join(f"  {_figure(h, name)}" for h in columns) or f"  {value:.3f}"
        lines.append(f"  {name:<{width_names}}{figures}")
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
        errors = (e if width is None else _clip(e, width) for e in report.errors)
        lines += ["", "  typical errors:", *(f"    {e}" for e in errors)]
    return "\n".join(lines) + "\n"


def _figure(report: EvalReport, name: str) -> str:
    value = report.figure(name)
    return "  n/a" if value is None else f"{value:.3f}"


def load_floors(path: Path = FLOORS_FILE) -> dict[str, dict[str, float]]:
    """Floors and ``max_`` ceilings by scope ('case2021', 'case2021.tune', 'case2021.check')
    and headline figure, from a TOML file of ``[dataset]`` and ``[dataset.half]`` tables."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read quality floors: {e}") from e
    floors: dict[str, dict[str, float]] = {}
    for dataset, table in data.items():
        if dataset not in DEFAULT_FILES or not isinstance(table, dict):
            raise ConfigError(f"{path}: [{dataset}] is not a known dataset table")
        halves = {k: v for k, v in table.items() if isinstance(v, dict)}
        unknown = set(halves) - set(HALVES)
        if unknown:
            raise ConfigError(f"{path}: [{dataset}.{min(unknown)}] is not a half ({HALVES})")
        scopes = {dataset: {k: v for k, v in table.items() if k not in halves}}
        scopes.update({f"{dataset}.{half}": t for half, t in halves.items()})
        for scope, figures in scopes.items():
            try:
                floors[scope] = {str(k): float(v) for k, v in figures.items()}
            except (TypeError, ValueError) as e:
                raise ConfigError(f"{path}: [{scope}] floors must be numbers: {e}") from e
    return floors


def check_floors(report: EvalReport, floors: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One message per headline figure below its floor, or above its ceiling (a key named
    ``max_<figure>``, for rates where lower is better), in the report's scope (set or half)."""
    failures = []
    for key, bound in floors.get(report.scope, {}).items():
        ceiling = key.startswith(CEILING)
        name = key.removeprefix(CEILING)
        value = report.figure(name)
        if value is None:
            kind = "ceiling" if ceiling else "floor"
            failures.append(f"{report.scope}: no figure '{name}' to hold to its {kind} {bound}")
        elif ceiling and value > bound:
            failures.append(f"{report.scope}: {name} {value:.3f} is above its ceiling {bound:.3f}")
        elif not ceiling and value < bound:
            failures.append(f"{report.scope}: {name} {value:.3f} is below its floor {bound:.3f}")
    return failures
