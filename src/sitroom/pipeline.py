"""The per-document pipeline: nlp -> places -> actors -> dates, quantities -> events -> relations.

``Resources`` holds everything loaded once (spaCy model, knowledge base, gazetteer, lexicons);
``analyze_docs`` streams documents through spaCy in batches and returns one ``Analysis`` each.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from sitroom.config import Config, DataOverride
from sitroom.extract.actors import ActorMention, HeadNouns, find_actors
from sitroom.extract.control import extract_control
from sitroom.extract.dates import names_year, resolve_date, with_day
from sitroom.extract.events import Candidate, extract_events
from sitroom.extract.facts import CasualtyHit, DateHit, DocFacts, PlaceHit
from sitroom.extract.fatalities import find_casualties
from sitroom.extract.incident_fields import complete
from sitroom.extract.incidents import CURRENT, group_incidents
from sitroom.extract.places import locatable, read_places
from sitroom.extract.relations import RelationCues, extract_relations
from sitroom.knowledge import loader
from sitroom.knowledge.actors import ActorKB
from sitroom.knowledge.cues import CueLexicon
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.nlp import ACTOR_LABEL, build_nlp, parse
from sitroom.records import Actor, Analysis, Document, Event, Mention

log = logging.getLogger(__name__)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything the stages need, loaded once per process."""

    nlp: Language
    kb: ActorKB
    gazetteer: Gazetteer
    lexicon: CueLexicon
    heads: HeadNouns
    relation_cues: RelationCues
    # The user's data files (``Config.overrides``), for the stages that read data as they go.
    overrides: tuple[DataOverride, ...] = ()
    # Group each document's event mentions into incidents (``Config.incidents``).
    incidents: bool = True

    def is_name(self, words: str) -> bool:
        """Whether capitalised words are a known name: an actor's alias, a country or demonym, a
        place. Headline recasing keeps these capitalised (``sitroom.nlp.recase_headlines``)."""
        if words.lower() in STOP_WORDS:
            return False  # "In", "As", "Of" are towns too, but never a headline's names
        kb = self.kb
        return bool(
            kb.lookup(words)
            or kb.country_by_name(words)
            or kb.demonym_country(words)
            or self.gazetteer.is_known(words)
            or self.gazetteer.region_of_adjective(words)
        )


def load_resources(config: Config) -> Resources:
    """Load the model, knowledge base, gazetteer (from its cache) and lexicons, each data file
    extended or replaced by the user's files that ``config`` names. The user's files for the
    process-wide ones (dependency labels, place-name folding) are installed for the process first:
    the gazetteer's keys and the rules depend on them."""
    overrides = config.overrides()
    loader.install(overrides)
    kb = ActorKB.load(overrides=overrides)
    nlp = build_nlp(config.model, actor_patterns=kb.patterns(), overrides=overrides)
    return Resources(
        nlp=nlp,
        kb=kb,
        gazetteer=Gazetteer.load(cache_dir=config.cache_dir, overrides=overrides),
        lexicon=CueLexicon.load(overrides=overrides),
        heads=HeadNouns.load(overrides),
        relation_cues=RelationCues.load(overrides),
        overrides=overrides,
        incidents=config.incidents,
    )


def analyze_docs(
    documents: Iterable[Document], *, resources: Resources, batch_size: int = 16
) -> Iterator[Analysis]:
    """One Analysis per document, in input order; spaCy runs over them in batches."""
    pairs = ((d.text, d) for d in documents)
    parsed = parse(
        resources.nlp,
        pairs,
        is_name=resources.is_name,
        batch_size=batch_size,
        overrides=resources.overrides,
    )
    for doc, document in parsed:
        yield analyze_doc(doc, document, resources=resources)


def analyze_doc(doc: Doc, document: Document, *, resources: Resources) -> Analysis:
    """Extract everything from one parsed document."""
    places, actor_mentions, country, stored = places_and_actors(
        doc, document.id, resources=resources
    )
    facts = DocFacts(
        doc=doc,
        document=document,
        actors=actor_mentions,
        places=places,
        dates=_date_hits(doc, document, resources.overrides),
        casualties=_casualty_hits(doc, resources.overrides),
        cues=resources.lexicon.match(doc),
        country=country,
        overrides=resources.overrides,
        kb=resources.kb,
    )
    candidates = extract_events(facts, lexicon=resources.lexicon)
    relations = extract_relations(
        facts, cues=resources.relation_cues, events=candidates, kb=resources.kb
    )
    control = extract_control(facts, events=candidates, lexicon=resources.lexicon)
    incidents = complete(
        group_incidents(candidates, facts, lexicon=resources.lexicon, kb=resources.kb)
        if resources.incidents
        else candidates,
        facts,
        kb=resources.kb,
    )
    mentions = _mentions(facts, stored)
    actors = _actors_used(facts, [*candidates, *incidents], relations, control, kb=resources.kb)
    return Analysis(
        document=document,
        mentions=mentions,
        actors=actors,
        events=tuple(c.event for c in incidents),
        relations=tuple(relations),
        control=tuple(control),
        main_event=main_event(incidents),
        event_mentions=tuple(c.event for c in candidates),
        strongest_mention=main_event(candidates),
    )


def places_and_actors(
    doc: Doc, document_id: str, *, resources: Resources
) -> tuple[list[PlaceHit], list[ActorMention], str | None, list[Mention]]:
    """The place names events may be located at (none inside an actor's name; a continent or
    sea unresolved), the actor mentions, the country the places name most, and every place
    mention a picture stores: those names with continents and seas resolved, and the place
    modifiers (adjectives of place, names inside other names: kind 'place_modifier')."""
    named, modifiers = _place_hits(doc, document_id, resources)
    places = [hit for hit, _ in named]
    country = _main_country(places)
    actor_mentions = find_actors(
        doc,
        kb=resources.kb,
        heads=resources.heads,
        country=country,
        places=[(p.start, p.end) for p in places],
    )
    kept: list[PlaceHit] = []
    stored = modifiers
    for hit, mention in named:
        if _inside_name(hit, actor_mentions):
            stored.append(replace(mention, kind="place_modifier"))
        else:
            kept.append(hit)
            stored.append(mention)
    stored.sort(key=lambda m: (m.start, m.end, m.kind))
    return kept, actor_mentions, country, stored


def stored_places(doc: Doc, document_id: str, *, resources: Resources) -> list[Mention]:
    """The place mentions and place modifiers a picture stores and exports, in text order."""
    return places_and_actors(doc, document_id, resources=resources)[3]


def main_event(candidates: list[Candidate]) -> str | None:
    """The event a report is chiefly about: current, ACLED-typed, strong, early, deadly."""
    if not candidates:
        return None

    def weight(c: Candidate) -> float:
        event = c.event
        w = c.score
        w += 1.5 if event.event_type else 0.0
        w -= 3.0 if event.status in ("background", "denied") else 0.0
        w -= 1.0 if event.status == "planned" else 0.0
        w += 0.5 if event.fatalities else 0.0
        w -= 0.15 * min(c.sentence, 10)
        return w

    return max(candidates, key=weight).event.id


def main_mention(analysis: Analysis) -> Event | None:
    """The event that types a short text (a CASE 2021 snippet, a PLOVER record): its main
    incident when that is a current ACLED incident, else its strongest mention. A generic
    snippet ("attacks on convoys have risen") tells no incident but still has a type; a word in
    another sense (a flood that "hits") is no mention, so such a text still gives none. Where
    the strongest mention is a telling of the main incident, it types the text: grouping decides
    which incident a text tells, not how a snippet of it is typed."""
    main = next((e for e in analysis.events if e.id == analysis.main_event), None)
    mentions = analysis.event_mentions
    strongest = next((e for e in mentions if e.id == analysis.strongest_mention), None)
    if main is not None and main.event_type is not None and main.status in CURRENT:
        if strongest is not None and strongest.event_type and _tells_of(strongest, main):
            return strongest  # the incident's own strongest telling types the text
        return main
    return strongest or main


def _tells_of(mention: Event, incident: Event) -> bool:
    """Whether a mention is one of the incident's tellings (its quotes are the incident's)."""
    quotes = set(incident.evidence)
    return bool(mention.evidence) and all(q in quotes for q in mention.evidence)


def _place_hits(
    doc: Doc, document_id: str, resources: Resources
) -> tuple[list[tuple[PlaceHit, Mention]], list[Mention]]:
    """Each place name as an event may be located at it, with its mention as stored; and the
    place modifiers."""
    read = read_places(
        doc,
        document_id=document_id,
        gazetteer=resources.gazetteer,
        demonyms=resources.kb.demonym_country,
        overrides=resources.overrides,
    )
    named = []
    for mention in read.names:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            hit_mention = replace(mention, place=locatable(mention.place))
            named.append((PlaceHit(span.start, span.end, hit_mention), mention))
    return named, list(read.modifiers)


def _main_country(places: list[PlaceHit]) -> str | None:
    counts = Counter(p.mention.place.country for p in places if p.mention.place is not None)
    return counts.most_common(1)[0][0] if counts else None


def _inside_name(hit: PlaceHit, actors: list[ActorMention]) -> bool:
    """A place-like word inside a known actor's name ("Sham" in "Hayat Tahrir al-Sham")."""
    return any(
        a.how == "name"
        and a.start <= hit.start
        and hit.end <= a.end
        and (a.end - a.start) > (hit.end - hit.start)
        for a in actors
    )


def _date_hits(
    doc: Doc, document: Document, overrides: tuple[DataOverride, ...] = ()
) -> list[DateHit]:
    hits = []
    # The year the paragraph last named, for "that year" / "the following year" after it.
    reference: tuple[int, int] | None = None  # (year, end char)
    for ent in doc.ents:
        # The model tags "this morning" and "last night" TIME; they date an event as well.
        if ent.label_ not in ("DATE", "TIME"):
            continue
        ent = with_day(ent)
        if reference and _PARAGRAPH_BREAK.search(doc.text, reference[1], ent.start_char):
            reference = None
        resolved = resolve_date(
            ent.text,
            published=document.published,
            reference_year=reference[0] if reference else None,
            overrides=overrides,
        )
        year = names_year(ent.text)
        if year is not None:
            reference = (year, ent.end_char)
        if resolved is None:
            continue
        hits.append(
            DateHit(
                ent.start,
                ent.end,
                ent.text,
                resolved.date,
                resolved.precision,
                resolved.is_past_background,
            )
        )
    return hits


def _casualty_hits(doc: Doc, overrides: tuple[DataOverride, ...]) -> list[CasualtyHit]:
    hits = []
    for sent in doc.sents:
        base = sent.start_char
        for c in find_casualties(sent.text, overrides=overrides):
            span = doc.char_span(base + c.start, base + c.end, alignment_mode="expand")
            if span is None:
                continue
            hits.append(
                CasualtyHit(
                    span.start,
                    span.end,
                    c.number_text,
                    c.number,
                    c.kind,
                    base + c.start,
                    base + c.end,
                    c.victims,
                )
            )
    return hits


def _mentions(facts: DocFacts, places: list[Mention]) -> tuple[Mention, ...]:
    doc, document_id = facts.doc, facts.document.id
    out: list[Mention] = [a.to_mention(doc, document_id) for a in facts.actors]
    out += places
    for d in facts.dates:
        span = doc[d.start : d.end]
        out.append(
            Mention(
                document_id,
                span.start_char,
                span.end_char,
                span.text,
                "date",
                value=d.date.isoformat() if d.date else None,
            )
        )
    for c in facts.casualties:
        out.append(
            Mention(
                document_id,
                c.start_char,
                c.end_char,
                doc.text[c.start_char : c.end_char],
                "quantity",
                value=str(c.number),
            )
        )
    out.sort(key=lambda m: (m.start, m.end, m.kind))
    return tuple(out)


def _actors_used(
    facts: DocFacts, candidates, relations, control, *, kb: ActorKB
) -> tuple[Actor, ...]:
    """Every actor the analysis refers to, parents included, so stored ids always resolve."""
    by_id: dict[str, Actor] = {m.actor.id: m.actor for m in facts.actors}
    wanted = set(by_id)
    for c in candidates:
        e = c.event
        wanted.update(
            x for x in (e.actor1, e.actor2, e.claimed_by, *e.assoc_actor_1, *e.assoc_actor_2) if x
        )
    wanted.update(r.subject for r in relations)
    wanted.update(r.object for r in relations)
    wanted.update(c.controller for c in control)
    pending = list(wanted)
    while pending:
        actor_id = pending.pop()
        actor = by_id.get(actor_id) or kb.get(actor_id)
        if actor is None:
            continue
        by_id[actor_id] = actor
        wanted.add(actor_id)
        if actor.parent and actor.parent not in wanted:
            pending.append(actor.parent)
    return tuple(sorted((by_id[i] for i in wanted if i in by_id), key=lambda a: a.id))


__all__ = [
    "ACTOR_LABEL",
    "Resources",
    "analyze_doc",
    "analyze_docs",
    "load_resources",
    "main_event",
    "main_mention",
]
