"""Incidents: a document's event mentions grouped into the real-world incidents they tell of.

A report tells one incident many times: the headline, the lead, "the attack", "the blast that
killed 3", a witness's account. ACLED codes one event per type, day, place and actor pair, so
mentions join the nearest earlier incident they are compatible with (type family, day, place
and actors not in conflict) when they re-tell it; a mention that tells no incident at all (a
habit, a wave of attacks, a bomber rather than a bombing, a heading) is dropped first. The
stored event is read from the incident as a whole: every mention is its evidence, and each
field comes from the mention that states it best.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts
from sitroom.extract.incident_filters import (
    CURRENT,
    activity,
    caption,
    cumulative,
    first_line,
    going_on,
    held,
    judged,
    patient_only,
    recalled,
    summed,
    taken,
    tells_incident,
)
from sitroom.extract.incident_mentions import (
    CROWDS,
    TOLD_PRECISIONS,
    VIOLENCE,
    Mention,
    elsewhere,
    in_that_incident,
    named_actors,
    opens_new,
    re_mention,
    read_mention,
    said_of_known,
    tells_details,
    vague,
)
from sitroom.extract.word_senses import (
    a_whole_country,
    allegiance,
    campaign,
    civil_fight,
    compound_modifier,
    crowd_target,
    figurative,
    fought_for,
    no_accord,
    no_side,
    not_a_group,
    not_a_target,
    not_assembling,
    not_forces,
    other_sense,
    role,
    standing_accord,
)
from sitroom.geometry import haversine_km
from sitroom.knowledge.actors import ActorKB
from sitroom.knowledge.cues import CueLexicon
from sitroom.records import ARMED_KINDS, Event, Location, one_line

# Two places this far apart (km) are two incidents.
_SAME_PLACE_KM = 30.0
# Two dates this far apart (days) are two incidents; a report dates one incident by the day
# its fighting began and by the day a party spoke of it.
_SAME_DAY_SLACK = 1
_CLASH = "armed clash"  # ACLED's sub-event type, lowercased
# A toll this large told twice in one report tells one incident twice ("killing 25 and injuring
# five" ... "a counter strike on his attackers killing 25 militants"); small tolls recur by chance.
_TELLING_TOLL = 3
# ... when told within this many sentences of the incident's last telling: a report's roundup
# further on ("a car bomb killed eight in Sadr City") tells other incidents with tolls of their own.
# Further on, the toll joins only a telling of the same sub-event type ("last week's attack that
# left 12 people dead" ... "the killing of 12 people in an attack on the magazine").
_TOLL_REACH = 3


# Rules that find a mention telling no incident of its own (extract/incident_filters.py,
# extract/word_senses.py).
_NO_INCIDENT = (
    other_sense,
    a_whole_country,
    summed,
    not_forces,
    not_a_group,
    no_side,
    allegiance,
    civil_fight,
    figurative,
    cumulative,
    role,
    standing_accord,
    no_accord,
    held,
    recalled,
    crowd_target,
    not_assembling,
    not_a_target,
    compound_modifier,
    fought_for,
    going_on,
    activity,
    judged,
)


def group_incidents(
    candidates: list[Candidate], facts: DocFacts, *, lexicon: CueLexicon, kb: ActorKB
) -> list[Candidate]:
    """Candidates become incidents: those that tell none are dropped, re-mentions join the
    incident they tell of; each incident is one candidate whose event holds every quote."""
    cues = lexicon.incident_cues
    mentions = [
        read_mention(c, facts, cues)
        for c in candidates
        if c.event.event_type is None
        or (
            tells_incident(facts.doc[c.trigger], facts, cues)
            and not any(rule(c, facts, cues) for rule in _NO_INCIDENT)
        )
    ]
    groups: list[list[Mention]] = []
    for mention in mentions:
        home = _incident_for(mention, groups, facts, cues)
        if home is None:
            groups.append([mention])
        else:
            home.append(mention)
    # Captives that no other mention tells taken are no kidnapping of their own; a campaign
    # ("the fight against the insurgents") or a photo's caption may tell again an incident the
    # story tells, not one of its own.
    groups = [
        g
        for g in groups
        if not all(
            patient_only(m.anchor, facts, cues)
            or campaign(m.cand, facts, cues)
            or caption(m.anchor, cues)
            for m in g
        )
    ]
    out = [_incident(group, facts, kb=kb, cues=cues) for group in groups]
    return sorted(out, key=lambda c: (c.sentence, c.trigger))


# -- which incident a mention tells ---------------------------------------------------------


def _incident_for(
    mention: Mention,
    groups: list[list[Mention]],
    facts: DocFacts,
    cues: dict[str, frozenset[str]],
) -> list[Mention] | None:
    """The nearest earlier incident this mention re-tells, if any; for a mention that names its
    perpetrator, the nearest by that perpetrator (or a part or whole of it) before the nearest
    whose perpetrator is unknown: "the US-led strikes were a further sign of pressure" re-tells
    the coalition's airstrikes near Mosul, not the car bombings in Baghdad told after them."""
    event = mention.cand.event
    if event.event_type is None or event.status not in CURRENT:
        return None
    retold = (g for g in reversed(groups) if _retells(mention, g, facts, cues))
    nearest = next(retold, None)
    a1 = event.actor1
    if nearest is None or a1 is None or a1 not in named_actors(facts):
        return nearest
    if any(m.cand.event.actor1 is not None for m in nearest):
        return nearest  # its own perpetrator or another, which _in_conflict allowed

    def by_a1(group: list[Mention]) -> bool:
        return any(_one_party(a1, m.cand.event.actor1, facts) for m in group)

    return next((g for g in retold if by_a1(g)), nearest)


def _one_party(a: str, b: str | None, facts: DocFacts) -> bool:
    """Whether two actors the document names are one, or one part of the other (the US-led
    coalition's strikes are the US military's)."""
    return b is not None and one_line(a, b, {m.actor.id: m.actor for m in facts.actors})


def _retells(
    mention: Mention,
    group: list[Mention],
    facts: DocFacts,
    cues: dict[str, frozenset[str]],
) -> bool:
    """Whether the mention re-tells the incident ``group``."""
    event = mention.cand.event
    main = group[0].cand.event
    if main.event_type is None or main.status not in CURRENT:
        return False
    if _in_conflict(mention, group, facts, cues):
        return False
    same_sentence = any(m.cand.sentence == mention.cand.sentence for m in group)
    scene = same_sentence and not _own_pair(mention, group, facts)
    if scene and _fighting(main) and (_fighting(event) or _outcome(event, cues)):
        return True
    last = max(m.cand.sentence for m in group)
    after = mention.cand.sentence - last <= 1 and event.actor1 is None
    if after and _outcome(event, cues) and _fighting(main):
        return True  # "A bomb exploded ... The explosion damaged ... cars were destroyed"
    if not _same_family(mention, group) or opens_new(mention, cues):
        return False
    if re_mention(mention.anchor, cues) or vague(mention, facts):
        return True
    if said_of_known(mention.anchor, cues):
        return True  # "the girls, who were kidnapped last Friday"
    if in_that_incident(mention.anchor, cues):
        return True  # "Four hostages were killed in the incident"
    if patient_only(mention.anchor, facts, cues) and _fighting(main):
        return True  # "bombers were holding hostages in three places": the attack's captives
    if _same_toll(mention, group):
        return True
    same_type = any(m.cand.event.sub_event_type == event.sub_event_type for m in group)
    if same_type and (not tells_details(mention) or _linked(mention, group, facts)):
        return True
    if same_type and _named_ahead(group, facts, cues):
        return True  # "before the massacre" ... "shooting 12 people dead in Paris"
    return first_line(group[0].anchor) and len(group) == 1  # the lead tells the title's incident


def _own_pair(mention: Mention, group: list[Mention], facts: DocFacts) -> bool:
    """Whether a mention names its own perpetrator and an armed target, where the incident names
    neither ("a roadside bomb killed 11 coal miners, while the BLA took credit for attacking a
    military vehicle"): two acts told in one sentence, not one scene."""
    named = named_actors(facts)
    kinds = {m.actor.id: m.actor.kind for m in facts.actors}
    event = mention.cand.event
    if event.actor1 not in named or kinds.get(event.actor2 or "") not in ARMED_KINDS:
        return False
    return not any(
        m.cand.event.actor1 in named or kinds.get(m.cand.event.actor2 or "") in ARMED_KINDS
        for m in group
    )


def _fighting(event: Event) -> bool:
    """Violence, or a protest or riot: acts one sentence tells of one scene together ("police
    fired stun grenades at demonstrators, some of whom threw rocks")."""
    return event.event_type in VIOLENCE or event.event_type in CROWDS


def _outcome(event: Event, cues: dict[str, frozenset[str]]) -> bool:
    """An act that is the outcome of violence told in its sentence ("the explosion caused
    damage ... two cars were destroyed"): ACLED codes it within the attack."""
    return (event.sub_event_type or "").lower() in cues["outcome_sub_events"]


def _same_family(mention: Mention, group: list[Mention]) -> bool:
    event = mention.cand.event
    for other in group:
        e = other.cand.event
        if e.event_type == event.event_type and (
            e.event_type in VIOLENCE or e.sub_event_type == event.sub_event_type
        ):
            return True
        if e.event_type in VIOLENCE and event.event_type in VIOLENCE:
            return True
    return False


def _in_conflict(
    mention: Mention, group: list[Mention], facts: DocFacts, cues: dict[str, frozenset[str]]
) -> bool:
    """Whether the mention names a different day, place or perpetrator than the incident."""
    if elsewhere(mention.anchor, cues):
        return True
    for other in group:
        # "officials said Sunday that he was wounded in an airstrike": the day of the telling
        # does not contradict the act's own ("the airstrikes near Qaim on Friday")
        telling = mention.telling or other.telling
        if mention.told_date and other.told_date and not telling and _other_day(mention, other):
            return True
        unresolved = mention.told_date is None and other.told_date is None
        both = unresolved and bool(mention.told_text) and bool(other.told_text)
        if both and mention.told_text != other.told_text:
            return True  # "on Monday" and "on Tuesday", without a publication date
        if mention.place and other.place and _far_apart(mention.place, other.place):
            return True
        if _two_towns_taken(mention, other, cues):
            return True
    named = named_actors(facts)
    a1 = mention.cand.event.actor1
    if a1 in named:
        sides = {m.cand.event.actor1 for m in group} | {m.cand.event.actor2 for m in group}
        rivals = {m.cand.event.actor1 for m in group} & named
        if rivals and not any(_one_party(a1, s, facts) for s in sides):
            return True  # (the coalition's strikes are the US's: no rival)
    return False


def _two_towns_taken(a: Mention, b: Mention, cues: dict[str, frozenset[str]]) -> bool:
    """Whether two territorial acts take two different towns ("completed their capture of
    Aleppo, and took the town of Tal Rifaat"): ACLED codes each town's change of hands, however
    near the towns lie."""
    territory = cues["territory_sub_events"]
    if _sub_event(a) not in territory or _sub_event(b) not in territory:
        return False
    if a.place is None or b.place is None:
        return False
    towns = (a.place.geo_precision or 3) == 1 and (b.place.geo_precision or 3) == 1
    return towns and a.place.name != b.place.name


def _same_toll(mention: Mention, group: list[Mention]) -> bool:
    """Whether the mention tells the incident's own toll, one large enough not to recur by
    chance, soon after it (the same dead, told again under another verb) or further on as an
    act of the same type."""
    toll = mention.cand.event.fatalities
    if toll is None or toll < _TELLING_TOLL:
        return False
    same = [m for m in group if m.cand.event.fatalities == toll]
    if mention.cand.sentence - max(m.cand.sentence for m in group) <= _TOLL_REACH:
        return bool(same)
    return any(_sub_event(m) == _sub_event(mention) for m in same)


def _named_ahead(group: list[Mention], facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether an incident is only named, by a definite noun, before any telling of it ("had
    complained of being overworked before *the massacre*"): it tells no place, day, toll or
    named perpetrator, so the first telling of its type that follows is what it named."""
    named = named_actors(facts)
    return all(
        re_mention(m.anchor, cues) and not tells_details(m) and m.cand.event.actor1 not in named
        for m in group
    )


def _linked(mention: Mention, group: list[Mention], facts: DocFacts) -> bool:
    """Whether a mention that does not refer back ("four militants were killed when a vehicle
    touched off an IED") shares something told with the incident: a named place, a day or a
    named perpetrator. Two acts of one type are otherwise two incidents."""
    named = named_actors(facts)
    for other in group:
        if mention.place and other.place and not _far_apart(mention.place, other.place):
            return True
        if mention.told_date and mention.told_date == other.told_date:
            return True  # the same day exactly: a day apart tells nothing against, nor for
        actor = mention.cand.event.actor1
        if actor in named and actor == other.cand.event.actor1:
            return True
    return False


def _other_day(a: Mention, b: Mention) -> bool:
    """Whether two told dates name different days (or months, where one names only a month)."""
    assert a.told_date is not None and b.told_date is not None
    if "month" in (a.told_precision, b.told_precision):
        return (a.told_date.year, a.told_date.month) != (b.told_date.year, b.told_date.month)
    return abs((a.told_date - b.told_date).days) > _SAME_DAY_SLACK


def _far_apart(a: Location, b: Location) -> bool:
    if a.country and b.country and a.country != b.country:
        return True
    if (a.geo_precision or 3) >= 3 or (b.geo_precision or 3) >= 3:
        # A province holds its towns, a country all of them; Erbil is not in Anbar.
        return bool(a.admin1 and b.admin1 and a.admin1 != b.admin1)
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return a.name != b.name
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) > _SAME_PLACE_KM


# -- the incident as a whole ----------------------------------------------------------------


def _incident(
    group: list[Mention], facts: DocFacts, *, kb: ActorKB, cues: dict[str, frozenset[str]]
) -> Candidate:
    """One candidate for the incident: the first mention's, with fields read from them all."""
    first = group[0].cand
    if len(group) == 1 and (first.event.event_type is None or first.event.status not in CURRENT):
        return first
    chosen = _main(group, facts, cues)
    group = [chosen, *(m for m in group if m is not chosen)]
    events = [m.cand.event for m in group]
    main = typed = chosen.cand.event
    actor1, actor2 = _actors(group, facts, kb=kb, cues=cues)
    location = _place(group) or main.location
    # The first day or month a mention's sentence gives, a re-mention's too: grouping reads a
    # re-mention's day only from its own phrase, but its sentence may still date the incident.
    told = [m.cand.event for m in group if not caption(m.anchor, cues, archive=True)] or [main]
    dated = (e for e in told if e.date_precision in TOLD_PRECISIONS)
    date_from = next(dated, told[0])
    fatalities = next((e for e in events if e.fatalities is not None), main)
    claimed = next((e for e in events if e.claimed_by and e.status == "claimed"), None)
    status = "reported" if any(e.status == "reported" for e in events) else main.status
    evidence = tuple(dict.fromkeys(ev for e in events for ev in e.evidence))
    note = f"incident told {len(group)} times" if len(group) > 1 else ""
    event = replace(
        main,
        status=status,
        event_type=typed.event_type,
        sub_event_type=typed.sub_event_type,
        plover_type=typed.plover_type,
        plover_mode=typed.plover_mode,
        actor1=actor1,
        actor2=actor2,
        assoc_actor_1=tuple(a for a in main.assoc_actor_1 if a not in (actor1, actor2)),
        assoc_actor_2=tuple(a for a in main.assoc_actor_2 if a not in (actor1, actor2)),
        location=location,
        event_date=date_from.event_date,
        date_precision=date_from.date_precision,
        fatalities=fatalities.fatalities,
        fatalities_text=fatalities.fatalities_text,
        claimed_by=claimed.claimed_by if claimed else main.claimed_by,
        evidence=evidence,
        notes="; ".join(x for x in (main.notes, note) if x),
    )
    score = max(m.cand.score for m in group) + 0.5 * min(len(group) - 1, 4)
    # A caption may type the incident, but its sentence is the photo's: what reads the
    # incident's sentence after grouping (its day told before) reads a telling's.
    told_in = next((m for m in group if not caption(m.anchor, cues)), chosen)
    return replace(told_in.cand, event=event, score=score)


def _main(group: list[Mention], facts: DocFacts, cues: dict[str, frozenset[str]]) -> Mention:
    """The mention whose type the incident takes: ACLED's precedence (the more specific type:
    "militants attacked a train, taking hostages" is an abduction), then reading order. A
    territory type whose act takes no place yields to a clash the incident tells ("clashed with
    ISIL and took five positions" is a clash; "having seized the city" is a capture). A later
    mention that tells nothing of its own ("it came under attack") re-tells the incident and
    does not type it, nor do captives told after it ("were holding hostages")."""
    clash = any(_sub_event(m) == _CLASH for m in group)
    last = max(m.cand.event_type.rank for m in group)

    def rank(n: int, m: Mention) -> int:
        territory = _sub_event(m) in cues["territory_sub_events"]
        yields = clash and territory and not _takes_place(m.anchor, facts, cues)
        captives = n > 0 and patient_only(m.anchor, facts, cues)  # they join, they do not type
        if yields or captives or (n > 0 and vague(m, facts)):
            return last + 1
        return m.cand.event_type.rank

    return min(enumerate(group), key=lambda x: (rank(*x), x[0]))[1]


def _takes_place(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether what the act takes is a place: a named one or a word like "city" ("seized the
    city", "took control of Hama"), not "checkpoints" or "positions"."""
    objects = taken(anchor)
    for obj in list(objects):  # "took control of/over X"
        objects += [g for p in obj.children if p.dep_ == "prep" for g in p.children]
    return any(
        facts.place_index[o.i] is not None or o.lemma_.lower() in cues["territory_nouns"]
        for o in objects
    )


def _sub_event(mention: Mention) -> str:
    return (mention.cand.event.sub_event_type or "").lower()


def _actors(
    group: list[Mention], facts: DocFacts, *, kb: ActorKB, cues: dict[str, frozenset[str]]
) -> tuple[str | None, str | None]:
    """The perpetrator: a named party any mention gives (a group or force before a person),
    else a generic one, else (for violence) ACLED's unidentified armed group of the incident's
    country; never a victim or a bystander, nor a party a mention names only as a guess ("it
    was not clear whether Syrian or Russian jets carried out the raid"). The target is read
    from the mentions of that perpetrator's act."""
    kinds = {m.actor.id: m.actor.kind for m in facts.actors}
    named = named_actors(facts)
    events = [m.cand.event for m in group]
    violent = events[0].event_type in VIOLENCE

    def perpetrator(actor: str | None) -> bool:
        return actor is not None and (
            not violent or kinds.get(actor, "unknown") not in cues["not_perpetrator_kinds"]
        )

    agents = [
        m.cand.event.actor1
        for m in group
        if perpetrator(m.cand.event.actor1) and not _uncertain(m.anchor, cues)
    ]

    def preference(actor: str | None) -> int:
        person = kinds.get(actor or "") == "person"
        return 2 if person else 0 if actor in named else 1

    actor1 = min(agents, key=preference, default=None)
    if actor1 is None and violent:
        country = next((e.location.country for e in events if e.location), None) or facts.country
        unknown = kb.generic("armed group", country=country)
        actor1 = unknown.id if unknown is not None else None
    # The target, from the mentions that tell this perpetrator's act (or name none): a mention
    # whose own perpetrator is another party tells that party's pair, not this incident's.
    ours = [e for e in events if e.actor1 in (actor1, None) or not perpetrator(e.actor1)]
    others = [e.actor2 for e in ours] + [e.actor1 for e in events if not perpetrator(e.actor1)]
    actor2 = next((a for a in others if a is not None and a != actor1), None)
    return actor1, actor2


def _uncertain(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the mention's sentence leaves who acted open ("not clear whether ... or ...")."""
    return any(t.lower_ in cues["uncertain_words"] for t in anchor.sent)


def _place(group: list[Mention]) -> Location | None:
    """The most specific place a mention names (a town before a region before a country); among
    equals the body's before the headline's (a headline compresses: "Renewed violence in Syria:
    militias join Assad"), then the first told."""
    named = [(m.place, first_line(m.anchor)) for m in group if m.place is not None]
    if not named:
        return None
    return min(named, key=lambda p: (p[0].geo_precision or 3, p[1]))[0]
