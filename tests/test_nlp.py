"""Tests for sitroom.nlp: the line-break sentence rule, the model factory and the actor ruler."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.errors import ConfigError
from sitroom.nlp import ACTOR_LABEL, build_nlp, line_breaks
from sitroom.pipeline import Resources

BLANK = spacy.blank("en")


def starts(text: str) -> list[str]:
    """The words that line_breaks marks as sentence starts (the first token always is)."""
    doc: Doc = line_breaks(BLANK(text))
    return [t.text for t in doc if t.is_sent_start]


def test_a_line_break_starts_a_sentence() -> None:
    assert starts("Rebels seize Saraqib\nGovernment lines collapse") == ["Rebels", "Government"]


def test_a_blank_line_starts_a_sentence() -> None:
    assert starts("Rebels seize Saraqib\n\nThe town fell on Tuesday.") == ["Rebels", "The"]


def test_a_dateline_is_a_sentence_of_its_own() -> None:
    text = "HAMA, Syria — Rebels entered the city on Sunday."
    assert starts(text) == ["HAMA", "Rebels"]


def test_a_dash_inside_a_sentence_is_not_a_dateline() -> None:
    assert starts("The rebels — backed by Turkey — entered Hama.") == ["The"]
    assert starts("the rebels — who hold Idlib — said so.") == ["the"]


def test_a_missing_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not installed"):
        build_nlp("sitroom_no_such_model")


@pytest.mark.slow
def test_pipeline_order(resources: Resources) -> None:
    names = resources.nlp.pipe_names
    assert names.index("sitroom_line_breaks") < names.index("parser")
    assert names.index("sitroom_actors") < names.index("ner")


@pytest.mark.slow
def test_a_known_actor_name_is_one_actor_entity(resources: Resources) -> None:
    doc = resources.nlp("Fighters of Hayat Tahrir al-Sham entered Aleppo.")
    actors = [(e.text, e.ent_id_) for e in doc.ents if e.label_ == ACTOR_LABEL]
    assert actors == [("Hayat Tahrir al-Sham", "HTS")]


@pytest.mark.slow
def test_an_acronym_matches_only_in_capitals(resources: Resources) -> None:
    upper = resources.nlp("The SDF said it repelled the attack.")
    assert [(e.text, e.ent_id_) for e in upper.ents if e.label_ == ACTOR_LABEL] == [("SDF", "SDF")]
    lower = resources.nlp("The sdf said it repelled the attack.")
    assert not [e for e in lower.ents if e.label_ == ACTOR_LABEL]


@pytest.mark.slow
def test_headline_and_dateline_do_not_run_into_the_body(resources: Resources) -> None:
    doc = resources.nlp("Rebels seize Saraqib\nHAMA, Syria — Rebels entered the city on Sunday.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Rebels seize Saraqib"
    assert sentences[-1] == "Rebels entered the city on Sunday."
