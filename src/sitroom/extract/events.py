"""Events: triggers from the cue lexicon, typed ACLED and PLOVER, with who, whom, where, when.

One clause yields at most one event: its triggers are pooled and the type that best fits the
concepts around them wins (ACLED's precedence breaks ties), so one incident gets one type.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Span, Token

from sitroom.extract.actors import ActorMention
from sitroom.extract.facts import DateHit, DocFacts, PlaceHit
from sitroom.ids import content_id
from sitroom.lexicon import CueLexicon, CueMatch, EventType
from sitroom.records import Event, Evidence, Location

# Below this score a clause's cues are too weak to call an event.
MIN_SCORE = 2.8
_CLAUSE_DEPS = frozenset(
    {"ROOT", "conj", "advcl", "ccomp", "relcl", "parataxis", "xcomp", "acl", "pcomp"}
)
_AGENT_PREPS = frozenset({"by"})
_PATIENT_PREPS = frozenset({"against", "on", "upon", "targeting", "at"})
_NEAR_WORDS = frozenset(
    {
        "near",
        "outskirts",
        "countryside",
        "around",
        "outside",
        "suburb",
        "suburbs",
        "province",
        "region",
        "district",
        "vicinity",
        "north",
        "south",
        "east",
        "west",
    }
)
# Parties to a fight: a claim they make is a 'claimed' status; others only report.
_PARTY_KINDS = frozenset({"state", "state_forces", "armed_group", "militia", "political", "person"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """An extracted event with its typing score (for choosing a report's main event)."""

    event: Event
    score: float
    sentence: int
    event_type: EventType


def extract_events(facts: DocFacts, *, lexicon: CueLexicon) -> list[Candidate]:
    """Events in reading order, one per clause that carries a strong enough trigger."""
    by_sentence: dict[int, list[CueMatch]] = defaultdict(list)
    sentence_of = {}
    sentences = list(facts.doc.sents)
    for n, sent in enumerate(sentences):
        for i in range(sent.start, sent.end):
            sentence_of[i] = n
    for cue in facts.cues:
        by_sentence[sentence_of[cue.start]].append(cue)
    candidates: list[Candidate] = []
    for n, cues in sorted(by_sentence.items()):
        candidates.extend(_sentence_events(facts, sentences[n], n, cues, lexicon))
    return candidates


def _clause_head(token: Token) -> Token:
    while token.dep_ not in _CLAUSE_DEPS and token.head.i != token.i:
        token = token.head
    if token.dep_ in ("xcomp", "acl", "pcomp") and token.head.i != token.i:
        return _clause_head(token.head)
    return token


def _sentence_events(
    facts: DocFacts, sent: Span, n: int, cues: list[CueMatch], lexicon: CueLexicon
) -> list[Candidate]:
    doc = facts.doc
    cues = [c for c in cues if not _in_modifier(doc, c)]
    triggers = [c for c in cues if c.role == "trigger"]
    if not triggers:
        triggers = [c for c in cues if c.role == "secondary"]
    groups: dict[int, list[CueMatch]] = defaultdict(list)
    for cue in triggers:
        groups[_clause_head(doc[cue.start]).i].append(cue)
    secondaries = [c for c in cues if c.role == "secondary"]
    sentence_concepts = {c.concept for c in cues}
    out: list[Candidate] = []
    clauses = {head_i: {t.i for t in doc[head_i].subtree} for head_i in groups}
    for head_i, group in sorted(groups.items()):
        clause = clauses[head_i]
        others = set().union(*(c for h, c in clauses.items() if h != head_i)) - clause
        present: dict[str, float] = {}
        for cue in cues:
            in_clause = cue.start in clause
            factor = (1.0 if cue.role != "context" else 0.7) if in_clause else 0.5
            if cue in group:
                factor = 1.0
            present[cue.concept] = max(present.get(cue.concept, 0.0), factor)
        present.update(_scene(facts, sent, clause))
        # A type must be named by one of this clause's own triggers, not only coloured by
        # context words or by a trigger that anchors a clause of its own.
        anchored = {c.concept for c in group}
        best = _best_type(present, anchored, lexicon)
        if best is None:
            continue
        event_type, score = best
        if score < MIN_SCORE:
            continue
        anchor = _anchor(group, event_type, doc)
        event = _build_event(
            facts, sent, anchor, group, secondaries, event_type, lexicon, clause, others
        )
        if event is not None:
            out.append(Candidate(event, score, n, event_type))
    del sentence_concepts
    return _one_per_type(out)


def _in_modifier(doc, cue: CueMatch) -> bool:
    """A cue word inside a hyphenated modifier ("Iran-backed", "rebel-held") or a participle
    used as an adjective ("destroyed homes") names a state, not an act."""
    if cue.role == "context":
        return False
    token = doc[cue.start]
    hyphenated = cue.start > 0 and doc[cue.start - 1].text == "-"
    participle = cue.end - cue.start == 1 and token.dep_ == "amod" and token.tag_ == "VBN"
    return hyphenated or participle


def _scene(facts: DocFacts, sent: Span, clause: set[int]) -> dict[str, float]:
    """Pseudo-concepts from what the clause is about: a town, or only a whole country."""
    features = [
        h.mention.place.feature
        for h in facts.places_in(sent.start, sent.end)
        if h.mention.place is not None and h.start in clause
    ]
    if not features:
        return {}
    if any(f != "country" for f in features):  # a province is taken like a town
        return {"scene_town": 1.0}
    return {"scene_country": 1.0}


def _one_per_type(candidates: list[Candidate]) -> list[Candidate]:
    """Clauses of one sentence that tell the same kind of act by the same actor are one event."""
    best: dict[tuple[str, str | None], Candidate] = {}
    for cand in candidates:
        key = (cand.event_type.label, cand.event.actor1)
        if key not in best or cand.score > best[key].score:
            best[key] = cand
    kept = {id(c) for c in best.values()}
    return [c for c in candidates if id(c) in kept]


def _best_type(
    present: dict[str, float], anchored: set[str], lexicon: CueLexicon
) -> tuple[EventType, float] | None:
    best: tuple[float, int, EventType] | None = None
    for event_type in lexicon.types.values():
        named = any(c in anchored for c in event_type.requires) or (
            any(c in anchored for c in event_type.anchored_by)
            and any(present.get(c, 0.0) >= 0.7 for c in event_type.requires)
        )
        if event_type.requires and not named:
            continue
        if event_type.needs_all and not all(c in present for c in event_type.needs_all):
            continue
        score = sum(w * present[c] for c, w in event_type.weights.items() if c in present)
        key = (score, -event_type.rank, event_type)
        if best is None or key[:2] > best[:2]:
            best = key
    return None if best is None else (best[2], best[0])


def _anchor(group: list[CueMatch], event_type: EventType, doc) -> Token:
    """The trigger token that names the chosen type best: its own concept first."""
    wanted = set(event_type.requires) | set(event_type.weights)
    ranked = sorted(
        group,
        key=lambda c: (c.concept not in event_type.requires, c.concept not in wanted, c.start),
    )
    cue = ranked[0]
    span = doc[cue.start : cue.end]
    return span.root


def _build_event(
    facts: DocFacts,
    sent: Span,
    anchor: Token,
    group: list[CueMatch],
    secondaries: list[CueMatch],
    event_type: EventType,
    lexicon: CueLexicon,
    clause: set[int],
    others: set[int],
) -> Event | None:
    """``clause``: token indices of the event's clause; ``others``: those of the sentence's
    other event clauses, whose tolls are not this event's."""
    if any(child.dep_ == "neg" for child in anchor.children) and not _governed_by(
        anchor, lexicon.status_cues.get("denied", frozenset())
    ):
        return None  # "no clashes were reported": not an event
    if event_type.acled is None and event_type.plover is None:
        return None  # a flood or a crash: typed only so that it is not coded as an attack
    document = facts.document
    agents, patients = _arguments(anchor, facts, lexicon)
    for cue in group:  # pooled triggers of one clause share their arguments
        if agents and patients:
            break
        other_agents, other_patients = _arguments(
            facts.doc[cue.start : cue.end].root, facts, lexicon
        )
        agents = agents or [m for m in other_agents if m not in patients]
        patients = patients or [m for m in other_patients if m not in agents]
    if agents and agents[0].actor.kind in event_type.by_actor_kind:
        event_type = lexicon.types[event_type.by_actor_kind[agents[0].actor.kind]]
    actor1 = agents[0].actor.id if agents else None
    assoc1 = tuple(dict.fromkeys(m.actor.id for m in agents[1:] if m.actor.id != actor1))
    patients = [m for m in patients if m.actor.id != actor1]
    actor2 = patients[0].actor.id if patients else None
    assoc2 = tuple(dict.fromkeys(m.actor.id for m in patients[1:] if m.actor.id != actor2))
    date_hit = _nearest(facts.dates, anchor.i, sent, clause)
    published = document.published
    if date_hit is not None and (date_hit.date is not None or date_hit.background):
        event_date, precision = date_hit.date, date_hit.precision
        date_note = f"date from '{date_hit.text}'"
    else:
        event_date, precision = published, "week" if published else "unknown"
        date_note = "date: publication date (no date in the sentence)" if published else ""
    status, claimed_by = _status(anchor, sent, facts, lexicon, date_hit)
    location = _location(facts, anchor, sent, clause, group)
    fatalities, fatalities_text = _fatalities(facts, anchor, sent, event_type, clause, others)
    plover = event_type.plover
    if event_type.label == "DIPLO":
        trigger_key = next((c.phrase for c in group + secondaries if c.concept == "diplomacy"), "")
        plover = lexicon.plover_by_trigger.get(trigger_key, plover)
    acled = event_type.acled
    quote = sent.text.strip()
    offset = sent.text.find(quote)
    evidence = Evidence(
        document.id, sent.start_char + offset, sent.start_char + offset + len(quote), quote
    )
    notes = "; ".join(x for x in (f"trigger '{anchor.text}'", date_note) if x)
    event_id = content_id("event", document.id, sent.start_char, anchor.idx)
    return Event(
        id=event_id,
        document_id=document.id,
        status=status,
        event_date=event_date,
        date_precision=precision,
        event_type=acled[0] if acled else None,
        sub_event_type=acled[1] if acled else None,
        plover_type=plover[0] if plover else "OTHER",
        plover_mode=plover[1] if plover else None,
        actor1=actor1,
        actor2=actor2,
        assoc_actor_1=assoc1,
        assoc_actor_2=assoc2,
        location=location,
        fatalities=fatalities,
        fatalities_text=fatalities_text,
        trigger=anchor.text,
        claimed_by=claimed_by,
        evidence=(evidence,),
        notes=notes,
    )


def _arguments(
    anchor: Token, facts: DocFacts, lexicon: CueLexicon
) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who acted (agents) and who was acted on (patients), from the dependency tree."""
    agent_preps = (
        _AGENT_PREPS | {"from"} | lexicon.agent_preps.get(anchor.lemma_.lower(), frozenset())
    )
    agent_tokens: list[Token] = []
    patient_tokens: list[Token] = []
    verb = anchor
    if anchor.pos_ in ("NOUN", "PROPN"):
        for child in anchor.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                agent_tokens.append(child)
            elif child.dep_ == "prep" and child.lower_ in agent_preps:
                agent_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "prep" and child.lower_ in _PATIENT_PREPS:
                patient_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "acl":  # "airstrikes conducted by Russian jets, targeting rebels"
                _verb_arguments(child, agent_tokens, patient_tokens)
        if anchor.dep_ in ("dobj", "nsubjpass", "attr") and anchor.head.pos_ in ("VERB", "AUX"):
            verb = anchor.head
        elif anchor.dep_ in ("nsubj",) and anchor.head.pos_ in ("VERB", "AUX"):
            for child in anchor.head.children:
                if child.dep_ == "dobj":
                    patient_tokens.append(child)
            verb = anchor
        elif anchor.dep_ == "pobj" and anchor.head.head.pos_ in ("VERB", "AUX", "NOUN"):
            verb = anchor.head.head
    if verb.i != anchor.i or anchor.pos_ in ("VERB", "AUX", "ADJ"):
        _verb_arguments(
            verb, agent_tokens, patient_tokens, skip=anchor if verb.i != anchor.i else None
        )
    agents = _mentions_for(agent_tokens, facts)
    patients = [m for m in _mentions_for(patient_tokens, facts) if m not in agents]
    return agents, patients


def _verb_arguments(
    verb: Token, agents: list[Token], patients: list[Token], skip: Token | None = None
) -> None:
    subject_found = False
    for child in verb.children:
        if skip is not None and child.i == skip.i:
            continue
        if child.dep_ in ("nsubj", "csubj") and child.tag_ in ("WDT", "WP"):
            if verb.dep_ == "relcl":  # "the rebels, who captured ...": the antecedent acts
                agents.append(verb.head)
                subject_found = True
        elif child.dep_ in ("nsubj", "csubj"):
            agents.append(child)
            subject_found = True
        elif child.dep_ == "agent":
            agents.extend(c for c in child.children if c.dep_ == "pobj")
            subject_found = True
        elif child.dep_ in ("dobj", "nsubjpass", "dative"):
            patients.append(child)
        elif child.dep_ == "prep" and child.lower_ in _PATIENT_PREPS:
            patients.extend(c for c in child.children if c.dep_ == "pobj")
    # Participles and infinitives borrow the subject of the verb they hang from.
    if not subject_found and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        # "Iran responded by sending reinforcements": the subject of the verb the "by" hangs on.
        governor = verb.head.head
        agents.extend(c for c in governor.children if c.dep_ == "nsubj")
        return
    finite_advcl = verb.dep_ == "advcl" and verb.tag_ not in ("VBG", "VBN")  # has its own subject
    if (
        not subject_found
        and not finite_advcl
        and verb.dep_ in ("xcomp", "advcl", "conj", "acl", "relcl")
        and verb.head.i != verb.i
    ):
        head = verb.head
        if verb.dep_ in ("acl", "relcl"):
            agents.append(head)
        else:
            agents.extend(
                c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != verb.i
            )


def _mentions_for(tokens: list[Token], facts: DocFacts) -> list[ActorMention]:
    found: list[ActorMention] = []
    for token in tokens:
        mention = facts.actor_index[token.i]
        if mention is not None:
            # "Syrian and Russian warplanes": the head's own mention, then its modifiers'.
            modifiers = [t for t in token.subtree if _modifies(t, token)]
            candidates = [mention, *facts.actors_in(modifiers)]
        else:
            # The phrase the token heads, without relative clauses that may name others.
            subtree = [t for t in token.subtree if not _in_clause(t, token)]
            candidates = facts.actors_in(subtree)
        for cand in candidates:
            if cand not in found:
                found.append(cand)
    return found


def _modifies(token: Token, head: Token) -> bool:
    """Whether ``token`` hangs on ``head`` through adjectives, compounds and conjuncts only."""
    while token.i != head.i:
        if token.dep_ not in ("amod", "compound", "conj", "cc", "nmod") or token.head.i == token.i:
            return False
        token = token.head
    return True


def _in_clause(token: Token, root: Token) -> bool:
    while token.i != root.i:
        if token.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def _nearest(dates: list[DateHit], i: int, sent: Span, clause: set[int]) -> DateHit | None:
    inside = [d for d in dates if sent.start <= d.start < sent.end]
    if not inside:
        return None
    return min(inside, key=lambda d: (d.start not in clause, abs(d.start - i)))


def _governed_by(token: Token, lemmas: frozenset[str]) -> bool:
    for ancestor in [token, *token.ancestors]:
        if ancestor.lemma_.lower() in lemmas or ancestor.lower_ in lemmas:
            return True
    return False


def _status(
    anchor: Token, sent: Span, facts: DocFacts, lexicon: CueLexicon, date_hit: DateHit | None
) -> tuple[str, str | None]:
    cues = lexicon.status_cues
    published = facts.document.published
    if date_hit is not None and date_hit.background:
        return "background", None
    if (
        published is not None
        and date_hit is not None
        and date_hit.date is not None
        and (published - date_hit.date > dt.timedelta(days=365))
    ):
        return "background", None
    if any(t.lower_ in cues.get("background", ()) for t in sent[:4]):
        return "background", None
    claimant = _claimant(anchor, sent, facts, cues.get("claim_verbs", frozenset()))
    if _governed_by(anchor, cues.get("denied", frozenset())):
        return "denied", claimant.id if claimant else None
    planned = cues.get("planned", frozenset())
    for token in [anchor, *anchor.ancestors]:
        if any(c.dep_ == "aux" and c.lower_ in planned for c in token.children):
            return "planned", claimant.id if claimant else None
        if token.i != anchor.i and token.lemma_.lower() in planned:
            return "planned", claimant.id if claimant else None
        if token.dep_ in ("ROOT",):
            break
    if claimant is not None:
        return ("claimed" if claimant.kind in _PARTY_KINDS else "reported"), claimant.id
    return "reported", None


def _claimant(anchor: Token, sent: Span, facts: DocFacts, claim_verbs: frozenset[str]):
    """The actor a report attributes the event to: "the army said", "according to HTS"."""
    for ancestor in anchor.ancestors:
        if ancestor.lemma_.lower() in claim_verbs:
            subjects = [c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")]
            found = _mentions_for(subjects, facts)
            if found:
                return found[0].actor
    for token in sent:
        if (
            token.lower_ == "according"
            and token.i + 1 < len(sent.doc)
            and sent.doc[token.i + 1].lower_ == "to"
        ):
            prep = sent.doc[token.i + 1]
            found = _mentions_for([c for c in prep.children if c.dep_ == "pobj"], facts)
            if found:
                return found[0].actor
    return None


def _location(
    facts: DocFacts, anchor: Token, sent: Span, clause: set[int], group: list[CueMatch]
) -> Location | None:
    """The most specific resolved place in the trigger's clause, else in its sentence."""
    doc = facts.doc
    subtree = {t.i for cue in group for t in doc[cue.start : cue.end].root.subtree}
    subtree |= {t.i for t in anchor.subtree}
    # A place inside another act's phrase ("seized the city, advancing towards Hama") is that
    # act's place, not this one's.
    elsewhere: set[int] = set()
    for cue in facts.cues:
        other = doc[cue.start]
        if (
            sent.start <= cue.start < sent.end
            and cue.role != "context"
            and other.i not in subtree
            and cue not in group
        ):
            elsewhere |= {t.i for t in other.subtree} - subtree
    hits = [
        h
        for h in facts.places_in(sent.start, sent.end)
        if h.mention.place is not None and not _modifier(doc, h) and h.start not in elsewhere
    ]
    if not hits:
        return None

    def key(hit: PlaceHit) -> tuple[int, int, int, int]:
        place = hit.mention.place
        assert place is not None  # filtered above
        level = {"city": 0, "admin1": 1, "country": 2}.get(place.feature, 1)
        return (hit.start not in subtree, hit.start not in clause, level, abs(hit.start - anchor.i))

    best = min(hits, key=key)
    place = best.mention.place
    assert place is not None
    before = facts.doc[max(sent.start, best.start - 3) : best.start]
    near = any(t.lower_ in _NEAR_WORDS for t in before)
    precision = 3 if place.feature in ("country", "admin1") else (2 if near else 1)
    return Location(
        name=place.name,
        geonameid=place.geonameid,
        latitude=place.latitude,
        longitude=place.longitude,
        country=place.country,
        admin1=place.admin1 if place.feature != "admin1" else place.name,
        geo_precision=precision,
    )


def _modifier(doc, hit: PlaceHit) -> bool:
    """A name used as a modifier ("Iran-backed", "Idlib-based") says who, not where."""
    return (
        hit.end + 1 < len(doc)
        and doc[hit.end].text == "-"
        and doc[hit.end + 1].tag_ in ("VBN", "VBD", "JJ")
    )


def _fatalities(
    facts: DocFacts,
    anchor: Token,
    sent: Span,
    event_type: EventType,
    clause: set[int],
    others: set[int],
) -> tuple[int | None, str | None]:
    """The toll in the event's clause, else one in its sentence outside the other events'
    clauses: "having seized the city" does not take the "over 300 killed in clashes"."""
    killed = [
        c
        for c in facts.casualties
        if sent.start <= c.start < sent.end and c.kind == "killed" and c.start not in others
    ]
    if any(c.start in clause for c in killed):
        killed = [c for c in killed if c.start in clause]
    if not killed or (event_type.acled is None and event_type.label not in ("ORG_CRIME",)):
        return None, None
    best = min(killed, key=lambda c: abs(c.start - anchor.i))
    return best.number, best.number_text
