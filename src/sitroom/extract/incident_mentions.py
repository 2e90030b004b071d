"""What incident grouping (``extract.incidents``) reads of one event mention: its own day (not
the day a source spoke nor a file photo's), its own place, whether it refers back to an incident
told before ("the attack", "Tuesday's bombing", "killed in the incident"), opens a new one
("another blast"), or tells nothing of its own ("it came under attack").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Token

from sitroom.extract.arguments import own_phrase
from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts
from sitroom.extract.incident_filters import caption, governing_verb
from sitroom.knowledge import loader
from sitroom.records import Location

# Event types whose mentions may tell one incident under different sub-event types ("militants
# attacked a train ... taking hostages", "the blast", "the attack"): violence of one day and place.
VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# ACLED's event types of crowds: a telling of one with nothing of its own is the crowd told before.
CROWDS = frozenset({"Protests", "Riots"})
# Precisions of a date that a mention's own sentence tells (not the publication week).
TOLD_PRECISIONS = frozenset({"day", "month"})
# Dependencies of the clause a verb of telling tells ("said Sunday *that he was wounded*").
_TOLD_CLAUSE_DEPS = loader.labels("syntax.yaml", "told_clause_deps")
# Dependencies of a clause said of a noun ("the girls, *who were taken*").
_NOUN_CLAUSE_DEPS = loader.labels("syntax.yaml", "noun_clause_deps")


@dataclass(frozen=True, slots=True)
class Mention:
    """One candidate with what grouping reads of it."""

    cand: Candidate
    anchor: Token
    told_date: dt.date | None  # a day or month the mention's own text names
    told_precision: str  # 'day' or 'month' where told_date is set
    told_text: str | None  # the sentence's time expression nearest the trigger, lowercased
    place: Location | None  # a place the mention's own text names
    telling: bool = False  # its day is the day a verb of telling names ("said Sunday that")


def _telling_day(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether every day the mention's sentence names dates a verb of telling whose clause holds
    the act ("Iraqi officials *said Sunday* that al-Baghdadi was wounded in an airstrike"): the
    day the act was told, which another telling's own day ("the strikes near Qaim Friday") does
    not contradict; still a detail of the mention's own ("said on Wednesday that they had
    entered the city" is not a vague re-telling)."""
    sent = anchor.sent
    days = [d for d in facts.dates if sent.start <= d.start < sent.end]
    if not days:
        return False
    for day in days:
        verb = next((t for t in facts.doc[day.start].ancestors if t.pos_ == "VERB"), None)
        if verb is None or verb.lemma_.lower() not in cues["telling_verbs"]:
            return False
        told = [
            c
            for c in verb.children
            if c.dep_ in _TOLD_CLAUSE_DEPS and c.left_edge.i <= anchor.i <= c.right_edge.i
        ]
        if not told or any(c.left_edge.i <= day.start <= c.right_edge.i for c in told):
            return False
    return True


def read_mention(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> Mention:
    """The mention of a candidate, with the day, time text and place its own words give."""
    event = cand.event
    anchor = facts.doc[cand.trigger]
    told = event.event_date if event.date_precision in TOLD_PRECISIONS else None
    place = event.location if event.location is not None and not event.location.inferred else None
    in_sentence = [d for d in facts.dates if anchor.sent.start <= d.start < anchor.sent.end]
    nearest = min(in_sentence, key=lambda d: abs(d.start - anchor.i), default=None)
    text = nearest.text.lower() if nearest is not None else None
    if caption(anchor, cues, archive=True):
        told, text = None, None  # "FILE - ... in this photo released May 27, 2017": the photo's
    if re_mention(anchor, cues):
        # "a probe in Paris into the explosion", "a victim died in 1977 of injuries suffered
        # during the attack": a re-mention's sentence tells its own place and day only in the
        # event noun's own phrase ("the attack in Kalat", "Tuesday's attack").
        # A re-mention that is its clause's subject is placed by its verb ("these
        # reinforcements arrived through Iraq", "the blast hit a market in Kirkuk").
        if not _names_place(anchor, facts) and anchor.dep_ != "nsubj":
            place = None
        if not _names_date(anchor, facts):
            told, text = None, None  # a year or a weekday of the sentence is the verb's too
    telling = told is not None and _telling_day(anchor, facts, cues)
    return Mention(cand, anchor, told, event.date_precision, text, place, telling)


def tells_details(mention: Mention) -> bool:
    """Whether a mention tells details of its own (a place, a day, a toll): such a telling of a
    second act of the type must share one with the incident to join it."""
    return bool(mention.place or mention.told_date or mention.cand.event.fatalities)


def vague(mention: Mention, facts: DocFacts) -> bool:
    """Whether a violent mention tells nothing of its own (no place, day, toll or named
    perpetrator: "it came under attack", "a witness heard gunfire"): it cannot be told apart
    from the incident told before it, so it re-tells it."""
    event = mention.cand.event
    if event.event_type not in VIOLENCE | CROWDS or tells_details(mention):
        return False
    return event.actor1 not in named_actors(facts)


def elsewhere(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the mention's sentence places its act in a place beside the one told before
    ("in *neighboring* Shah Wali Kot district"), known to the gazetteer or not."""
    return any(
        t.lower_ in cues["elsewhere_words"] and t.head.lemma_.lower() in cues["territory_nouns"]
        for t in anchor.sent
    )


def _names_place(anchor: Token, facts: DocFacts) -> bool:
    """Whether the event noun's own phrase names a place ("the attack in Kalat")."""
    return any(facts.place_index[t.i] is not None for t in anchor.subtree)


def _names_date(anchor: Token, facts: DocFacts) -> bool:
    """Whether the event noun's own phrase names a time ("Tuesday's attack")."""
    phrase = {t.i for t in anchor.subtree}
    return any(d.start in phrase for d in facts.dates)


def named_actors(facts: DocFacts) -> set[str]:
    """Actors the document names (not only by a generic word like "militants")."""
    return {m.actor.id for m in facts.actors if m.how != "generic"}


def opens_new(mention: Mention, cues: dict[str, frozenset[str]]) -> bool:
    """ "another blast", "a second attack", "days later, a bomb ...": the clause tells a new
    incident. A time word after the subject ("it later claimed") dates the telling, not the act."""
    anchor = mention.anchor
    words = cues["new_incident_words"]
    if any(c.lower_ in words for c in anchor.children):
        return True
    # "the arrest of another five people", not "a counter strike ... wounding another five"
    if any(t.lower_ in cues["new_referent_words"] for t in own_phrase(anchor)):
        return True
    if re_mention(anchor, cues):
        return False  # "Earlier, an official said ... the site of that attack": it refers back
    root = anchor.sent.root
    subjects = [c.i for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    opening = min(subjects, default=anchor.i)
    return any(t.lower_ in words for t in anchor.doc[anchor.sent.start : min(opening, anchor.i)])


def re_mention(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """ "the attack", "that blast", "Tuesday's bombing", "after the explosion": an event noun
    that refers to an act told before."""
    if anchor.pos_ not in ("NOUN", "PROPN"):
        return False
    if _counts_its_patients(anchor):
        return False
    for child in anchor.children:
        if child.dep_ == "det" and child.lower_ in cues["remention_dets"]:
            return True
        if child.dep_ == "poss":
            return True
    return False


def said_of_known(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the act's verb heads a clause said of parties told before: "the release of *the
    girls, who were kidnapped* last Friday" re-tells the kidnapping of the schoolgirls named
    earlier. A clause of a noun that counts them ("the 279 girls") introduces them."""
    if anchor.pos_ != "VERB" or anchor.dep_ not in _NOUN_CLAUSE_DEPS:
        return False
    known = anchor.head
    if any(c.dep_ == "nummod" for c in known.children):
        return False
    return any(c.dep_ == "det" and c.lower_ in cues["remention_dets"] for c in known.children)


def _counts_its_patients(anchor: Token) -> bool:
    """Whether an event noun's "of" phrase counts whom it was done to ("claimed *the killing of
    33 terrorists*", "the arrest of five suspects"): the article introduces the act by what it
    tells, it does not refer back."""
    return any(
        p.dep_ == "prep" and p.lower_ == "of" and any(n.dep_ == "nummod" for n in g.children)
        for p in anchor.children
        for g in p.children
    )


def in_that_incident(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the mention's verb places its act inside an incident told before: "Four
    hostages were killed *in the incident*", "two soldiers died *during that attack*"."""
    verb = governing_verb(anchor)
    return verb is not None and any(
        p.dep_ == "prep"
        and p.lower_ in cues["within_preps"]
        and g.dep_ == "pobj"
        and g.lemma_.lower() in cues["incident_nouns"]
        and any(d.dep_ == "det" and d.lower_ in cues["remention_dets"] for d in g.children)
        for p in verb.children
        for g in p.children
    )
