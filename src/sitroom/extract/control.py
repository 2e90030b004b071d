"""Territorial control claims: who took, holds, lost or is advancing on which place, and when.

A claim's place is one named in the act's own phrase ("took control of Hama", "withdrew from
Bakhmut"), not one that only locates something else ("villages north of Aleppo", "the road to
Homs") or belongs to a clause of its own ("..., days after they seized Aleppo"). Where the phrase
names no place, "the city" or "its neighbourhoods" stand for the town named last before them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Token

from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts, PlaceHit
from sitroom.extract.places import location_of
from sitroom.extract.status import act_status
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueLexicon
from sitroom.knowledge.loader import Overrides
from sitroom.records import DATE_PRECISIONS, ControlClaim

# Event types whose actor takes ground: labels defined in event_cues.yaml (test_knowledge_data
# checks them), named here because the rule is about them.
_CAPTURE_TYPES = frozenset(
    {"NON_STATE_ACTOR_OVERTAKES_TER", "GOV_REGAINS_TERIT", "NON_VIOL_TERRIT_TRANSFER"}
)
# Dependencies that open a clause of its own: a place inside it belongs to that clause's act.
_CLAUSE_DEPS = loader.labels("syntax.yaml", "own_clause_deps")
# Other dependencies, parts of speech and token texts the rules read (data/syntax.yaml).
_SUBJECT_DEPS = loader.labels("syntax.yaml", "subject_deps")
_BORROWING_DEPS = loader.labels("syntax.yaml", "borrowing_deps")
_NOUN_CLAUSE_DEPS = loader.labels("syntax.yaml", "noun_clause_deps")
_ADJECTIVAL_DEPS = loader.labels("syntax.yaml", "adjectival_deps")
_NOMINAL = loader.labels("syntax.yaml", "nominal_pos")
_VERBAL = loader.labels("syntax.yaml", "verbal_pos")
_HYPHENS = loader.labels("syntax.yaml", "hyphens")
# The cue words (held, loss and keep words, state and time prepositions, parts of a town) are in
# data/control_cues.yaml, read with the user's overrides through ``_cues``.

# Statuses (sitroom.records' vocabulary, not words) of an act that say nothing about who holds a
# place now.
_NOT_CURRENT = frozenset({"background", "denied", "planned"})

_When = tuple[dt.date | None, str]  # a claim's date and its precision


def _cues(key: str, overrides: Overrides = ()) -> frozenset[str]:
    """The control_cues.yaml list ``key`` with the user's overrides (cached by the loader)."""
    return loader.words("control_cues.yaml", key, overrides)


@dataclass(frozen=True, slots=True)
class _Told:
    """A control claim as one rule finds it told: a place, who, what, at which word, when."""

    hit: PlaceHit
    controller: str | None
    status: str
    token: Token
    when: _When | None


def extract_control(
    facts: DocFacts, *, events: list[Candidate], lexicon: CueLexicon
) -> list[ControlClaim]:
    """Control claims from capture events, advance cues and "held by" phrases."""
    anchors = {cand.trigger: cand for cand in events}
    claims: dict[tuple[int | str, str, str], ControlClaim] = {}
    told = [
        *captures(facts, events),
        *advances(facts, anchors, lexicon),
        *holdings(facts, anchors, lexicon),
    ]
    for one in told:
        _add(claims, one, facts)
    return list(claims.values())


def _add(
    claims: dict[tuple[int | str, str, str], ControlClaim], told: _Told, facts: DocFacts
) -> None:
    """Keep one claim per place, controller and status: the best-dated telling of it (a headline
    takes the publication week; the lead gives the day)."""
    place = told.hit.mention.place
    if told.controller is None or place is None or told.when is None:
        return
    if place.feature in ("country", "admin1", "admin2"):
        # a country, province or county is not a front-line place: "captured towns in Hama
        # province" says nothing of who holds Hama
        return
    evidence = facts.sentence_evidence(told.token.sent)
    location = location_of(place, precision=1)
    # an airport has no GeoNames id: its name tells it from another
    key = (place.geonameid or place.name, told.controller, told.status)
    when = told.when
    claim = ControlClaim(location, told.controller, told.status, when[0], when[1], (evidence,))
    if key not in claims or _finer(claim, claims[key]):
        claims[key] = claim


def captures(facts: DocFacts, events: list[Candidate]) -> list[_Told]:
    """ "Rebels *captured* Hama", "the army *withdrew* from Bakhmut": a current capture event
    claims the places of its trigger's phrase for its actor, dated like the event."""
    out: list[_Told] = []
    for cand in events:
        event = cand.event
        if cand.event_type.label not in _CAPTURE_TYPES or event.actor1 is None:
            continue
        if event.status in _NOT_CURRENT:
            continue
        anchor = facts.doc[cand.trigger]
        if anchor.pos_ in _NOMINAL and _under_time_prep(anchor, facts.overrides):
            continue
        when = (event.event_date, event.date_precision)
        status = _capture_status(anchor, facts.overrides)
        out += [
            _Told(h, event.actor1, status, anchor, when) for h in _places_governed(anchor, facts)
        ]
    return out


def advances(facts: DocFacts, anchors: dict[int, Candidate], lexicon: CueLexicon) -> list[_Told]:
    """ "Rebels *advanced* towards Hama": an advance cue claims its phrase's places as
    'advancing' for its subject."""
    out: list[_Told] = []
    for cue in facts.cues:
        if cue.concept != "advance" or cue.role != "trigger":
            continue
        token = facts.doc[cue.start]
        actors = [m for s in advance_subjects(token) for m in facts.actors_in(list(s.subtree))]
        controller = actors[0].actor.id if actors else None
        when = _when(token, facts, anchors, lexicon)
        out += [
            _Told(h, controller, "advancing", token, when) for h in _places_governed(token, facts)
        ]
    return out


def advance_subjects(token: Token) -> list[Token]:
    """Who advances: the verb's subject ("rebels *advanced*"), a noun's possessor ("the rebels'
    *advance*"), else the subject of the clause it hangs from ("rebels pressed on, *advancing*")
    or the noun a relative clause or participle modifies ("fighters *advancing* on Hama")."""
    subjects = [c for c in token.children if c.dep_ in _SUBJECT_DEPS]
    if not subjects and token.pos_ == "NOUN":
        subjects = [c for c in token.children if c.dep_ == "poss"]
    if not subjects and token.dep_ in _BORROWING_DEPS:
        subjects = [c for c in token.head.children if c.dep_ == "nsubj"] or (
            [token.head] if token.dep_ in _NOUN_CLAUSE_DEPS else []
        )
    return subjects


def holdings(facts: DocFacts, anchors: dict[int, Candidate], lexicon: CueLexicon) -> list[_Told]:
    """ "rebel-*held* Idlib", "Idlib is *held* by HTS": a holding word with a named holder claims
    the places it modifies or governs as 'held'."""
    out: list[_Told] = []
    held_words = _cues("held_words", facts.overrides)
    for token in facts.doc:
        if token.lower_ not in held_words:
            continue
        controller = holder(token, facts)
        if controller is None:
            continue
        target = token.head if token.dep_ in _ADJECTIVAL_DEPS else token
        when = _when(token, facts, anchors, lexicon)
        out += [_Told(h, controller, "held", token, when) for h in _places_governed(target, facts)]
    return out


def holder(token: Token, facts: DocFacts) -> str | None:
    """The actor id a holding word names: its prefix ("*rebel*-held") or, overriding it, its
    passive's agent ("held by *HTS*")."""
    doc = facts.doc
    controller = None
    if token.i >= 2 and doc[token.i - 1].text in _HYPHENS:
        mention = facts.actor_index[token.i - 2]
        controller = mention.actor.id if mention else None
    for child in token.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                mention = facts.actor_index[pobj.i]
                controller = mention.actor.id if mention else controller
    return controller


def _finer(new: ControlClaim, old: ControlClaim) -> bool:
    rank = {p: i for i, p in enumerate(DATE_PRECISIONS)}
    return rank.get(new.date_precision, len(rank)) < rank.get(old.date_precision, len(rank))


def _under_time_prep(token: Token, overrides: Overrides = ()) -> bool:
    return token.dep_ == "pobj" and token.head.lower_ in _cues("time_preps", overrides)


def _capture_status(anchor: Token, overrides: Overrides = ()) -> str:
    """'lost' for a withdrawal, 'held' for control kept ("remains in control"), else 'captured'."""
    chain = [anchor]
    while chain[-1].pos_ not in _VERBAL and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
        if len(chain) > 3:
            break
    lemmas = {t.lemma_.lower() for t in chain}
    if lemmas & _cues("loss_lemmas", overrides):
        return "lost"
    in_state = anchor.dep_ == "pobj" and anchor.head.lower_ in _cues("state_preps", overrides)
    return "held" if in_state or lemmas & _cues("keep_lemmas", overrides) else "captured"


def _when(
    token: Token, facts: DocFacts, anchors: dict[int, Candidate], lexicon: CueLexicon
) -> _When | None:
    """The date of a claim stated at ``token`` (an advance, "rebel-held"): a date in its own
    phrase, else that of the event it belongs to, else the publication week. None where the act
    itself or the event it belongs to is planned, denied or background, or the date long past."""
    # The act's own status first: "vowed to march on Homs" is planned even where the event
    # that governs it (the vow, a verbal act) is reported.
    if act_status(token, token.sent, facts, lexicon, None)[0] in _NOT_CURRENT:
        return None
    governing = next((anchors[t.i] for t in (token, *token.ancestors) if t.i in anchors), None)
    if governing is not None and governing.event.status in _NOT_CURRENT:
        return None
    phrase = {t.i for t in token.subtree}
    for hit in facts.dates:
        if hit.start in phrase and _reaches(facts.doc[hit.start], token, facts, None):
            if hit.background:
                return None
            if hit.date is not None:
                return hit.date, hit.precision
    if governing is not None:
        return governing.event.event_date, governing.event.date_precision
    published = facts.document.published
    return published, "week" if published else "unknown"


def _places_governed(token: Token, facts: DocFacts) -> list[PlaceHit]:
    """Places in the token's own phrase; else the town that "the city" or "its" in it stands
    for."""
    indices = {t.i for t in token.subtree}
    hits = [
        hit
        for hit in facts.places
        if hit.start in indices
        and hit.mention.place is not None
        and _reaches(_head_word(hit, facts), token, facts, hit)
    ]
    if hits:
        return hits
    for word in token.subtree:
        its = word.lower_ == "its" and word.dep_ == "poss"
        if (its or facts.is_town_noun(word)) and _reaches(word, token, facts, None):
            antecedent = facts.town_before(word, sentence_only=its)
            if antecedent is not None:
                return [antecedent]
    return []


def _head_word(hit: PlaceHit, facts: DocFacts) -> Token:
    """The word a place name hangs from the sentence by; trailing punctuation left aside
    (a mention may run on over "Hama.\n")."""
    words = [t for t in facts.doc[hit.start : hit.end] if not (t.is_punct or t.is_space)]
    words = words or [facts.doc[hit.start]]
    inside = {t.i for t in words}
    return next((t for t in words if t.head.i not in inside or t.head.i == t.i), words[0])


def _reaches(word: Token, anchor: Token, facts: DocFacts, own: PlaceHit | None) -> bool:
    """Whether ``word`` belongs to the anchor's own phrase: reached from it without crossing
    into a clause of its own, an apposition, another place or a locating word."""
    town_parts = _cues("town_parts", facts.overrides)
    if word.dep_ == "poss" and word.head.lemma_.lower() not in town_parts:
        return False  # "Hama's airport" is not Hama; "its neighbourhoods" are part of the town
    locators = loader.words("place_rules.yaml", "locator_lemmas", facts.overrides)
    current, below = word, word
    while current.i != anchor.i:
        if current.head.i == current.i:
            return False  # the sentence root: the anchor was not on the way
        if current.i != word.i:
            hit = facts.place_index[current.i]
            # "Hama and Idlib": a place reached from its conjunct is coordinated, not located.
            other_place = hit is not None and hit is not own and below.dep_ != "conj"
            if other_place or current.dep_ == "appos" or current.lemma_.lower() in locators:
                return False
        verbal_conj = current.dep_ == "conj" and current.pos_ in _VERBAL
        if current.dep_ in _CLAUSE_DEPS or verbal_conj:
            return False
        below, current = current, current.head
    return True
