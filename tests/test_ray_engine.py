"""Tests for sitroom.ray_engine: analysis on Ray (local mode here) stores what a plain run does."""

from __future__ import annotations

import builtins
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from sitroom import ray_engine
from sitroom.api import analyze
from sitroom.config import load_config
from sitroom.errors import ConfigError, InputError
from sitroom.ingest.jsonl import JsonlPart
from sitroom.records import Document
from sitroom.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports"

pytest.importorskip("ray.data", reason="Ray is an optional extra: pip install 'sitroom[ray]'")


def _inputs(tmp_path: Path) -> list[Path]:
    """The example reports, a JSONL archive that is cut into parts (one line a copy of an
    example, one bad), and an input that does not exist."""
    texts = [
        json.loads(line)["text"] for line in (EXAMPLES / "wire.jsonl").read_text().splitlines()
    ]
    archive = tmp_path / "archive.jsonl"
    archive.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "a1", "text": "Shelling hit Maarat al-Numan on Monday, killing 4."}
                ),
                json.dumps({"id": "a2", "text": texts[0]}),  # a copy of a wire report
                "{not json",
                json.dumps(
                    {"id": "a3", "text": "Rebels captured Saraqib on Tuesday, residents said."}
                ),
            ]
        ),
        encoding="utf-8",
    )
    return [EXAMPLES, archive, tmp_path / "missing.txt"]


def _summary(result: Any) -> tuple[list[str], list[str], list[str]]:
    return (
        [a.document.id for a in result.analyses],
        list(result.already_stored),
        [str(e) for e in result.errors],
    )


@pytest.mark.slow
def test_ray_stores_what_a_plain_run_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ray_engine, "JSONL_LINES_PER_UNIT", 2)
    config = dataclasses.replace(load_config(), batch_size=4)
    inputs = _inputs(tmp_path)
    extra = Document("mem-1", "mem-1", "Airstrikes hit Idlib on Monday, the monitor said.")
    assert any(isinstance(u, JsonlPart) for u in ray_engine.units(inputs, [], config=config))

    plain = analyze(inputs, documents=[extra], db=tmp_path / "plain.db", config=config)
    on_ray = analyze(
        inputs, documents=[extra], db=tmp_path / "ray.db", config=config, workers=2, engine="ray"
    )
    assert _summary(on_ray) == _summary(plain)
    assert len(plain.analyses) == 12 + 2 + 1 and len(plain.already_stored) == 1
    assert [e.line for e in plain.errors] == [3, None]
    with Store.open(tmp_path / "plain.db") as a, Store.open(tmp_path / "ray.db") as b:
        assert a.picture() == b.picture()

    # Run again: every report is known where it is read, nothing is analysed or stored twice.
    again = analyze(inputs, db=tmp_path / "ray.db", config=config, workers=2, engine="ray")
    assert again.analyses == ()
    assert sorted(again.already_stored) == sorted(
        [
            *plain.already_stored,
            *(a.document.ref for a in plain.analyses if a.document.id != "mem-1"),
        ]
    )


def test_units_keep_the_input_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ray_engine, "JSONL_LINES_PER_UNIT", 2)
    config = dataclasses.replace(load_config(), batch_size=2)
    docs = [Document(f"d{i}", f"d{i}", f"Report {i}.") for i in range(3)]
    found = list(ray_engine.units(_inputs(tmp_path), docs, config=config))
    files = [u for u in found if isinstance(u, Path)]
    assert files == sorted(p for p in EXAMPLES.iterdir() if p.name != "README.md")
    parts = [u for u in found if isinstance(u, JsonlPart)]
    assert [(p.path.name, p.first_line) for p in parts] == [
        ("archive.jsonl", 1),
        ("archive.jsonl", 3),
    ]
    assert isinstance(found[-3], InputError) and "missing.txt" in str(found[-3])
    assert found[-2:] == [tuple(docs[:2]), tuple(docs[2:])]


def test_without_ray_the_engine_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_ray(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(ConfigError, match=r"pip install 'sitroom\[ray\]'"):
        analyze([EXAMPLES], db=tmp_path / "x.db", engine="ray")


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(InputError, match="unknown engine"):
        analyze([EXAMPLES], engine="spark")
