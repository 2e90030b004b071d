"""The package's layering: the picture and the outputs never load the extraction stage or spaCy."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _loaded_after(module: str) -> set[str]:
    """Modules in sys.modules after importing ``module`` in a fresh interpreter."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize(
    "module",
    ["sitroom.web", "sitroom.picture", "sitroom.report", "sitroom.export", "sitroom.store"],
)
def test_reading_the_picture_loads_no_extraction(module: str) -> None:
    loaded = _loaded_after(module)
    assert "spacy" not in loaded
    assert not {m for m in loaded if m.startswith(("sitroom.extract", "sitroom.pipeline"))}


def test_the_extract_stage_does_not_reach_the_picture() -> None:
    loaded = _loaded_after("sitroom.pipeline")
    assert not {
        m for m in loaded if m.startswith(("sitroom.picture", "sitroom.report", "sitroom.web"))
    }
