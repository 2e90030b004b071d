"""The evaluation harness: rendering, floors, data paths; runs on the shared dev sets (slow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitroom.errors import ConfigError, InputError
from sitroom.evaluate import harness
from sitroom.evaluate.harness import (
    CEILING,
    DATASETS,
    EvalReport,
    check_floors,
    load_floors,
    render,
    run,
    run_halves,
)
from sitroom.evaluate.metrics import LabelScore
from sitroom.evaluate.split import ALL, HALVES

# Every toponym, then the places a picture stores (stored_).
GEOPARSING = {"precision", "recall", "f1", "acc_161"}
GEOPARSING |= {f"stored_{name}" for name in GEOPARSING}
# The headline figures each dataset's report carries, which floors may name.
HEADLINES = {
    "case2021": {"accuracy", "macro_f1", "weighted_f1", "rejection"},
    "geoparsing": GEOPARSING,
    "trnews": GEOPARSING,
    "plover": {"accuracy", "macro_f1", "source_accuracy", "target_accuracy"},
    "wikievents": {"trigger_f1", "trigger_id_f1", "argument_f1", "argument_coref_f1"},
    "fnc1": {"macro_f1", "accuracy", "related_f1"},
    "rams": {"trigger_recall", "argument_f1", "attacker_f1", "target_f1", "place_f1"},
    "incidents": {
        "precision",
        "recall",
        "duplicate_rate",
        "spurious_rate",
        "spurious_non_incident",
        "spurious_background",
        "spurious_other",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "place_50km",
        "country",
        "date",
        "fatalities",
    },
}
# Figures where lower is better: the floors file holds them to ceilings (max_<figure>) only.
RATES = {
    "duplicate_rate",
    "spurious_rate",
    "spurious_non_incident",
    "spurious_background",
    "spurious_other",
}
NO_RESOURCES: Any = None  # run() checks its arguments before it touches resources


def _report(**kw: Any) -> EvalReport:
    base: dict[str, Any] = dict(
        dataset="plover",
        path="/data/plover.json",
        n_items=3,
        seconds=1.25,
        headline=(("accuracy", 0.5), ("macro_f1", 0.25)),
        table=(LabelScore("AGREE", 1.0, 0.5, 2 / 3, 2), LabelScore("FIGHT", 0.0, 0.0, 0.0, 1)),
        errors=("FIGHT -> NONE: 1x",),
        notes=("3 records",),
    )
    base.update(kw)
    return EvalReport(**base)


def test_render_is_a_plain_table() -> None:
    text = render(_report(limit=3))
    assert text.startswith("plover: 3 items, first 3, 1.2 s")
    assert "  accuracy  0.500" in text and "  macro_f1  0.250" in text
    assert "AGREE         1.000  0.500  0.667      2" in text
    assert "FIGHT -> NONE: 1x" in text and "3 records" in text
    assert render(_report(table=(), errors=(), notes=())).count("\n") == 4


def test_render_puts_halves_side_by_side() -> None:
    whole = _report()
    tune = _report(half="tune", n_items=1, headline=(("accuracy", 1.0), ("macro_f1", 1.0)))
    check = _report(half="check", n_items=2, headline=(("accuracy", 0.0),))
    text = render(tune, columns=(whole, tune, check))
    assert text.startswith("plover (tune half): 1 items (all 3, check 2), 1.2 s")
    assert "              all   tune  check" in text
    assert "  accuracy  0.500  1.000  0.000" in text
    assert "  macro_f1  0.250  1.000    n/a" in text
    long = _report(errors=("x" * 200,))
    assert "x" * 200 not in render(long) and "x" * 200 in render(long, width=None)


def test_figure_and_check_floors() -> None:
    report = _report()
    assert report.figure("accuracy") == 0.5 and report.figure("f1") is None
    assert check_floors(report, {"plover": {"accuracy": 0.5, "macro_f1": 0.2}}) == []
    assert check_floors(report, {"case2021": {"accuracy": 0.9}}) == []  # other datasets
    (failure,) = check_floors(report, {"plover": {"accuracy": 0.51}})
    assert "accuracy 0.500 is below its floor 0.510" in failure
    (missing,) = check_floors(report, {"plover": {"f1": 0.1}})
    assert "no figure 'f1'" in missing


def test_check_floors_holds_ceilings_and_halves() -> None:
    rates = (("precision", 0.4), ("duplicate_rate", 0.3))
    report = _report(dataset="incidents", headline=rates)
    assert check_floors(report, {"incidents": {"max_duplicate_rate": 0.3}}) == []
    (above,) = check_floors(report, {"incidents": {"max_duplicate_rate": 0.29}})
    assert "incidents: duplicate_rate 0.300 is above its ceiling 0.290" in above
    (missing,) = check_floors(report, {"incidents": {"max_f1": 0.5}})
    assert "no figure 'f1' to hold to its ceiling" in missing
    # A half is held to its own table only.
    tune = _report(dataset="incidents", headline=rates, half="tune")
    assert tune.scope == "incidents.tune"
    floors = {"incidents": {"precision": 0.5}, "incidents.tune": {"precision": 0.4}}
    assert check_floors(tune, floors) == []
    (below,) = check_floors(report, floors)
    assert below.startswith("incidents: precision 0.400 is below")
    (below,) = check_floors(tune, {"incidents.tune": {"precision": 0.41}})
    assert below.startswith("incidents.tune: precision")


def test_load_floors(tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text("[plover]\naccuracy = 0.3\nmacro_f1 = 0.25\n", encoding="utf-8")
    assert load_floors(path) == {"plover": {"accuracy": 0.3, "macro_f1": 0.25}}
    path.write_text("[mnist]\naccuracy = 0.9\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mnist"):
        load_floors(path)
    path.write_text("[plover]\naccuracy = 'high'\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_floors(path)
    with pytest.raises(ConfigError):
        load_floors(tmp_path / "absent.toml")
    path.write_text(
        "[plover]\naccuracy = 0.3\n[plover.tune]\naccuracy = 0.2\n[plover.check]\nmax_x = 0.5\n",
        encoding="utf-8",
    )
    assert load_floors(path) == {
        "plover": {"accuracy": 0.3},
        "plover.tune": {"accuracy": 0.2},
        "plover.check": {"max_x": 0.5},
    }
    path.write_text("[plover.dev]\naccuracy = 0.3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a half"):
        load_floors(path)


def test_shipped_floors_name_real_figures() -> None:
    floors = load_floors()
    scopes = {d if h == ALL else f"{d}.{h}" for d in DATASETS for h in (ALL, *HALVES)}
    assert set(floors) == scopes
    for scope, table in floors.items():
        dataset = scope.split(".")[0]
        names = {k.removeprefix(CEILING) for k in table}
        assert names <= HEADLINES[dataset], scope
        assert all(0.0 <= v <= 1.0 for v in table.values())
        # Rates are held to ceilings, every other figure to floors.
        assert all(k.startswith(CEILING) == (k.removeprefix(CEILING) in RATES) for k in table)


def test_shared_data_dir_and_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SITROOM_SHARED_DATA", str(tmp_path))
    assert harness.default_path("plover") == tmp_path / "plover" / "PLOVER_GSR_CAMEO.json"
    assert harness.default_path("fnc1") == tmp_path / "fnc1" / "competition_test_stances.csv"
    monkeypatch.delenv("SITROOM_SHARED_DATA")
    assert harness.shared_data_dir() == (harness.REPO_ROOT.parent / "shared" / "data").resolve()
    with pytest.raises(ConfigError, match="unknown dataset"):
        harness.default_path("mnist")


def test_run_checks_its_arguments(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        run("mnist", tmp_path / "x.jsonl", resources=NO_RESOURCES)
    with pytest.raises(InputError, match="not found"):
        run("plover", tmp_path / "absent.json", resources=NO_RESOURCES)


# --- on the shared dev sets -------------------------------------------------------------------


@pytest.fixture(scope="module")
def resources() -> Any:
    data = harness.shared_data_dir()
    if not data.exists():
        pytest.skip(
            f"gold data not found at {data} (needs ../shared beside the repo, "
            "or SITROOM_SHARED_DATA)"
        )
    from sitroom.config import Config
    from sitroom.pipeline import load_resources

    return load_resources(Config())


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("dataset", DATASETS)
def test_run_a_few_items(dataset: str, resources: Any) -> None:
    report = run(dataset, resources=resources, limit=3)
    assert report.dataset == dataset and report.limit == 3
    assert 0 < report.n_items <= 3
    assert {name for name, _ in report.headline} == HEADLINES[dataset]
    assert all(0.0 <= value <= 1.0 for _, value in report.headline), report.headline
    assert render(report).startswith(dataset)


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("dataset", DATASETS)
def test_quality_floors_hold(dataset: str, resources: Any) -> None:
    """The quality gate: each dev set, and each of its halves, holds its pinned floors and
    ceilings."""
    reports = run_halves(dataset, resources=resources)
    assert set(reports) == {ALL, *HALVES}
    assert sum(reports[h].n_items for h in HALVES) == reports[ALL].n_items
    floors = load_floors()
    columns = [reports[ALL], *(reports[h] for h in HALVES)]
    failures = [f for r in columns for f in check_floors(r, floors)]
    assert failures == [], render(reports[ALL], columns=columns)
