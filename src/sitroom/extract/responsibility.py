"""Who owns an incident, read from the whole document: a party that claims responsibility for
it or is blamed for it later in the report ("The BLA quickly claimed responsibility for the
attack") is its perpetrator, and the event is claimed by that party.

A sentence that only claims ("claimed responsibility for *the attack*") tells no incident of its
own: its event is the claim. The act it names refers back to the incident told before, so the
owner is given to the violent events before it that name no perpetrator of their own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Token

from sitroom.extract.arguments import owners
from sitroom.extract.facts import DocFacts
from sitroom.knowledge.cues import CueLexicon

if TYPE_CHECKING:  # events calls this stage last; a runtime import would be circular
    from sitroom.extract.events import Candidate

# ACLED's event types of political violence: what a party claims responsibility for. These are
# the codes' own labels (records), not English words.
_VIOLENT_EVENTS = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_CURRENT = frozenset({"reported", "claimed"})
# Actor kinds (records.ACTOR_KINDS, the code's own vocabulary) of a state and its forces.
_STATE_KINDS = frozenset({"state", "state_forces"})


def claimed_incidents(
    candidates: list[Candidate], facts: DocFacts, *, lexicon: CueLexicon
) -> list[Candidate]:
    """The candidates with the owner of each incident a later claim of responsibility refers to
    back as actor1 and claimant, where the incident names no perpetrator."""
    claims = _claims(facts, lexicon)
    if not claims:
        return candidates
    # A perpetrator the report leaves open: none, or a word for an unnamed armed group
    # ("militants", "gunmen"); not a state's forces, which a generic word names well enough.
    unnamed = {
        m.actor.id for m in facts.actors if m.how == "generic" and m.actor.kind not in _STATE_KINDS
    } - {m.actor.id for m in facts.actors if m.how != "generic"}
    sentences = list(facts.doc.sents)
    out = []
    for cand in candidates:
        event = cand.event
        owner = next((o for at, o in claims if at > cand.trigger), None)
        # A party the event's own sentence names is there in a role of its own (the target
        # of "killed 50 al-Shabab militants in airstrikes"), not an owner the text left out.
        present = {m.actor.id for m in facts.actors_in(sentences[cand.sentence])}
        if (
            owner is not None
            and owner not in present
            and event.event_type in _VIOLENT_EVENTS
            and event.status in _CURRENT
            and (event.actor1 is None or event.actor1 in unnamed)
        ):
            note = "actor1: who claims or is blamed for it later in the report"
            event = replace(
                event,
                actor1=owner,
                assoc_actor_1=(),
                status="claimed",
                claimed_by=owner,
                notes=f"{event.notes}; {note}",
            )
            cand = replace(cand, event=event)
        out.append(cand)
    return out


def _claims(facts: DocFacts, lexicon: CueLexicon) -> list[tuple[int, str]]:
    """(token index, owner's actor id) of each act named as owned that refers back to an act
    told before ("responsibility for *the attack*"), in reading order."""
    dets = lexicon.incident_cues["remention_dets"]
    found: list[tuple[int, str]] = []
    for cue in facts.cues:
        if cue.role == "context":
            continue
        act: Token = facts.doc[cue.start : cue.end].root
        if not any(c.dep_ in ("det", "poss") and c.lower_ in dets for c in act.children):
            continue
        owned = owners(act, facts)
        if owned:
            found.append((act.i, owned[0].actor.id))
    return sorted(found)
