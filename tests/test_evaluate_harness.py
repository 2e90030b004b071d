"""The evaluation harness: rendering, floors, data paths; runs on the shared dev sets (slow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitroom.errors import ConfigError, InputError
from sitroom.evaluate import harness
from sitroom.evaluate.harness import (
    DATASETS,
    EvalReport,
    check_floors,
    load_floors,
    render,
    run,
)
from sitroom.evaluate.metrics import LabelScore

# The headline figures each dataset's report carries, which floors may name.
HEADLINES = {
    "case2021": {"accuracy", "macro_f1", "weighted_f1", "rejection"},
    "geoparsing": {"precision", "recall", "f1", "acc_161"},
    "trnews": {"precision", "recall", "f1", "acc_161"},
    "plover": {"accuracy", "macro_f1", "source_accuracy", "target_accuracy"},
    "wikievents": {"trigger_f1", "trigger_id_f1", "argument_f1", "argument_coref_f1"},
    "fnc1": {"macro_f1", "accuracy", "related_f1"},
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


def test_figure_and_check_floors() -> None:
    report = _report()
    assert report.figure("accuracy") == 0.5 and report.figure("f1") is None
    assert check_floors(report, {"plover": {"accuracy": 0.5, "macro_f1": 0.2}}) == []
    assert check_floors(report, {"case2021": {"accuracy": 0.9}}) == []  # other datasets
    (failure,) = check_floors(report, {"plover": {"accuracy": 0.51}})
    assert "accuracy 0.500 is below its floor 0.510" in failure
    (missing,) = check_floors(report, {"plover": {"f1": 0.1}})
    assert "no figure 'f1'" in missing


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


def test_shipped_floors_name_real_figures() -> None:
    floors = load_floors()
    assert set(floors) == set(DATASETS)
    for dataset, table in floors.items():
        assert set(table) <= HEADLINES[dataset], dataset
        assert all(0.0 <= v <= 1.0 for v in table.values())


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
    """The quality gate: each full dev set scores at or above its pinned floors."""
    report = run(dataset, resources=resources)
    assert check_floors(report, load_floors()) == [], render(report)
