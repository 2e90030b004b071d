"""Triggers that name no incident: an attempt's verb, a war's circumstance, a trend.

"Turkey seeks to exert influence" asks nothing of anyone; "millions are displaced by the
fighting" and "civilians suffer the consequences of airstrikes" tell what the war does to
people, not a strike or a battle that happened somewhere, to someone, on some day.
"""

from __future__ import annotations

from spacy.tokens import Token

from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueLexicon

# Dependencies and tags the rules read (data/syntax.yaml; each is commented there).
_NOMINAL_POS = loader.labels("syntax.yaml", "nominal_pos")
_BY_PHRASE_DEPS = loader.labels("syntax.yaml", "by_phrase_deps")
# A verb's subject or direct object, active or passive: "fighting *displaced* thousands".
_ARGUMENT_DEPS = loader.labels("syntax.yaml", "subject_deps", "direct_object_deps")

# How far up the tree a circumstance verb may govern the event noun ("the consequences of
# relentless airstrikes and violent clashes": clashes -> airstrikes -> of -> consequences).
_MAX_STEPS = 6


def attempt_only(anchor: Token, lexicon: CueLexicon) -> bool:
    """An attempt verb with an infinitive ("seeks to exert"): the infinitive tells the act."""
    return anchor.lemma_.lower() in lexicon.attempt_verbs and any(
        c.dep_ == "xcomp" for c in anchor.children
    )


def circumstance(anchor: Token, lexicon: CueLexicon) -> bool:
    """An event noun that a circumstance verb governs: as its agent ("displaced by the
    fighting"), subject, object, or through a noun like "consequences of"."""
    return _governed(
        anchor, lexicon.circumstance_verbs, lexicon.circumstance_nouns, lexicon.cause_preps
    )


def trend(anchor: Token, lexicon: CueLexicon) -> bool:
    """An event noun whose verb tells a trend ("as airstrikes escalate")."""
    return _governed(anchor, lexicon.trend_verbs, frozenset(), lexicon.cause_preps)


def _governed(
    anchor: Token, verbs: frozenset[str], nouns: frozenset[str], preps: frozenset[str]
) -> bool:
    """Whether one of ``verbs`` governs the event noun, through conjuncts, ``nouns`` ("the
    consequences *of*") and ``preps`` ("displaced *by*")."""
    if anchor.pos_ not in _NOMINAL_POS:
        return False
    token = anchor
    for _ in range(_MAX_STEPS):
        head = token.head
        if head.i == token.i:
            return False
        if token.dep_ == "conj":
            token = head
        elif token.dep_ == "pobj" and head.lower_ == "of" and _is(head.head, nouns):
            token = head.head
        elif token.dep_ == "pobj" and head.dep_ in _BY_PHRASE_DEPS:
            return head.lower_ in preps and _is(head.head, verbs)
        elif token.dep_ in _ARGUMENT_DEPS:
            return _is(head, verbs)
        else:
            return False
    return False


def _is(token: Token, words: frozenset[str]) -> bool:
    return token.lemma_.lower() in words or token.lower_ in words
