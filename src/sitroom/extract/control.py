"""Territorial control claims: who took, holds, lost or is advancing on which place, and when."""

from __future__ import annotations

from spacy.tokens import Token

from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts, PlaceHit
from sitroom.records import ControlClaim, Evidence, Location

_CAPTURE_TYPES = frozenset(
    {"NON_STATE_ACTOR_OVERTAKES_TER", "GOV_REGAINS_TERIT", "NON_VIOL_TERRIT_TRANSFER"}
)
_HELD_WORDS = frozenset(
    {"held", "controlled", "hold", "holds", "control", "controls", "holding", "controlling"}
)
_LOSS_WORDS = frozenset(
    {"lose", "lost", "withdraw", "withdrew", "retreat", "retreated", "abandon", "abandoned"}
)


def extract_control(facts: DocFacts, *, events: list[Candidate]) -> list[ControlClaim]:
    """Control claims from capture events, advance cues and "held by" phrases."""
    claims: dict[tuple[int, str, str], ControlClaim] = {}
    doc = facts.doc

    def add(
        hit: PlaceHit, controller: str | None, status: str, token: Token, cand: Candidate | None
    ) -> None:
        if controller is None or hit.mention.place is None:
            return
        place = hit.mention.place
        if place.feature in ("country", "admin1"):
            # a country or province is not a front-line place: "captured towns in Hama
            # province" says nothing of who holds Hama
            return
        sent = token.sent
        quote = sent.text.strip()
        start = sent.start_char + sent.text.find(quote)
        evidence = Evidence(facts.document.id, start, start + len(quote), quote)
        if cand is not None:
            date, precision = cand.event.event_date, cand.event.date_precision
            if cand.event.status in ("background", "denied", "planned"):
                return
        else:
            date, precision = (
                facts.document.published,
                "week" if facts.document.published else "unknown",
            )
        location = Location(
            place.name,
            place.geonameid,
            place.latitude,
            place.longitude,
            place.country,
            place.admin1,
            1,
        )
        key = (place.geonameid or 0, controller, status)
        claims.setdefault(
            key, ControlClaim(location, controller, status, date, precision, (evidence,))
        )

    for cand in events:
        if cand.event_type.label not in _CAPTURE_TYPES or cand.event.actor1 is None:
            continue
        anchor = _anchor_token(facts, cand)
        hits = _places_governed(anchor, facts)
        for hit in hits:
            loss = anchor.lemma_.lower() in _LOSS_WORDS
            add(hit, cand.event.actor1, "lost" if loss else "captured", anchor, cand)
    for cue in facts.cues:
        if cue.concept != "advance" or cue.role != "trigger":
            continue
        token = doc[cue.start]
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and token.dep_ in ("advcl", "xcomp", "conj", "acl", "relcl"):
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"] or (
                [token.head] if token.dep_ in ("acl", "relcl") else []
            )
        actors = [m for s in subjects for m in facts.actors_in(list(s.subtree))]
        for hit in _places_governed(token, facts):
            add(hit, actors[0].actor.id if actors else None, "advancing", token, None)
    for token in doc:
        if token.lower_ not in _HELD_WORDS:
            continue
        # "rebel-held Idlib" / "areas held by the rebels" / "under government control"
        controller = None
        if token.i >= 2 and doc[token.i - 1].text in ("-", "–"):
            mention = facts.actor_index[token.i - 2]
            controller = mention.actor.id if mention else None
        for child in token.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    mention = facts.actor_index[pobj.i]
                    controller = mention.actor.id if mention else controller
        if controller is None:
            continue
        target = token.head if token.dep_ in ("amod", "acl") else token
        for hit in _places_governed(target, facts):
            add(hit, controller, "held", token, None)
    return list(claims.values())


def _anchor_token(facts: DocFacts, cand: Candidate) -> Token:
    start = cand.event.evidence[0].start
    for token in facts.doc:
        if token.idx >= start and token.text == cand.event.trigger:
            return token
    return facts.doc[0]


def _places_governed(token: Token, facts: DocFacts) -> list[PlaceHit]:
    """Places in the token's own phrase: its objects and prepositional objects."""
    indices = {t.i for t in token.subtree}
    hits = []
    for hit in facts.places:
        if hit.start in indices and hit.mention.place is not None:
            hits.append(hit)
    return hits
