"""Tests for sitroom.extract.genericity: triggers that name no incident, on hand-built parses."""

from __future__ import annotations

import pytest

from factories import tree
from sitroom.extract.genericity import attempt_only, circumstance, trend
from sitroom.knowledge.cues import CueLexicon


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon.load()


def test_attempt_only_an_attempt_verb_with_an_infinitive(lexicon: CueLexicon) -> None:
    seeks = tree("""
        Turkey    PROPN:NNP nsubj 1
        seeks     VERB:VBZ  ROOT  1 seek
        to        PART:TO   aux   3
        exert     VERB:VB   xcomp 1
        influence NOUN:NN   dobj  3
    """)
    assert attempt_only(seeks[1], lexicon)
    assert not attempt_only(seeks[3], lexicon)  # the infinitive tells the act


def test_circumstance_an_event_noun_as_a_circumstance_verb_s_agent(lexicon: CueLexicon) -> None:
    displaced = tree("""
        millions  NOUN:NNS  nsubjpass 2 million
        were      AUX:VBD   auxpass   2 be
        displaced VERB:VBN  ROOT      2 displace
        by        ADP:IN    agent     2
        the       DET:DT    det       5
        fighting  NOUN:NN   pobj      3
    """)
    assert circumstance(displaced[5], lexicon)
    assert not circumstance(displaced[2], lexicon)  # a verb is no event noun


def test_circumstance_through_a_noun_like_consequences_of(lexicon: CueLexicon) -> None:
    suffer = tree("""
        civilians    NOUN:NNS nsubj 1 civilian
        suffer       VERB:VBP ROOT  1
        consequences NOUN:NNS dobj  1 consequence
        of           ADP:IN   prep  2
        airstrikes   NOUN:NNS pobj  3 airstrike
    """)
    assert circumstance(suffer[4], lexicon)


def test_circumstance_not_under_another_verb(lexicon: CueLexicon) -> None:
    launched = tree("""
        rebels     NOUN:NNS nsubj 1 rebel
        launched   VERB:VBD ROOT  1 launch
        airstrikes NOUN:NNS dobj  1 airstrike
    """)
    assert not circumstance(launched[2], lexicon)


def test_trend_an_event_noun_whose_verb_tells_a_trend(lexicon: CueLexicon) -> None:
    escalate = tree("""
        as         SCONJ:IN mark  2
        airstrikes NOUN:NNS nsubj 2 airstrike
        escalate   VERB:VBP ROOT  2
    """)
    assert trend(escalate[1], lexicon)
    assert not circumstance(escalate[1], lexicon)
