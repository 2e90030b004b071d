"""Tests for sitroom.workers: analysis over several processes equals one process's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sitroom.api import analyze
from sitroom.config import load_config
from sitroom.errors import InputError
from sitroom.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports"


@pytest.mark.slow
def test_two_workers_give_what_one_gives_and_store_the_same(tmp_path: Path) -> None:
    # Batches of three: the twelve reports spread over both workers.
    config = dataclasses.replace(load_config(), batch_size=3)
    one = analyze([EXAMPLES], db=tmp_path / "one.db", config=config)
    two = analyze([EXAMPLES], db=tmp_path / "two.db", config=config, workers=2)
    assert len(one.analyses) == 12 and two.analyses == one.analyses
    with Store.open(tmp_path / "one.db") as a, Store.open(tmp_path / "two.db") as b:
        assert a.picture() == b.picture()


def test_fewer_than_one_worker_is_refused() -> None:
    with pytest.raises(InputError, match="at least 1"):
        analyze(workers=0)
