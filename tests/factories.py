"""Builders the tests share: records by hand (documents, events) and parses by hand.

A rule's test builds its sentence's parse with ``parse`` (spaCy's own tests do the same), so it
does not move when the statistical model does; ``facts`` wraps that parse with the actors,
places and cues a stage would have found in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sitroom.extract.actors import ActorMention
from sitroom.extract.facts import DateHit, DocFacts, PlaceHit
from sitroom.ids import content_id, document_id
from sitroom.knowledge.cues import CueMatch
from sitroom.records import Actor, Document, Event, Evidence, Mention, Place

# An event's kind: (ACLED event type, ACLED sub-event type, PLOVER type).
Kind = tuple[str | None, str | None, str]


def doc(
    text: str, published: dt.date | None = None, source: str = "Agency", ref: str | None = None
) -> Document:
    """A report with a content-hashed id; its ref is ``<source>.txt`` unless given."""
    return Document(
        document_id(text), ref or f"{source}.txt", text, source=source, published=published
    )


def event(
    document: Document | str,
    *,
    kind: Kind | None = None,
    quote: str | None = None,
    start: int = 0,
    **fields: Any,
) -> Event:
    """An event as one report tells it: reported, undated and untyped unless ``fields`` say
    otherwise; ``quote`` is its evidence from char ``start``. Without an ``id`` the id hashes
    every field given, as extraction's ids hash their content."""
    doc_id = document if isinstance(document, str) else document.id
    values: dict[str, Any] = {
        "document_id": doc_id,
        "status": "reported",
        "event_date": None,
        "date_precision": "unknown",
        "event_type": None,
        "sub_event_type": None,
        "plover_type": "OTHER",
        "plover_mode": None,
        "actor1": None,
        "actor2": None,
    }
    if kind is not None:
        values["event_type"], values["sub_event_type"], values["plover_type"] = kind
    if quote is not None:
        values["evidence"] = (Evidence(doc_id, start, start + len(quote), quote),)
    values.update(fields)
    if "id" not in values:
        values["id"] = content_id("event", *sorted(f"{k}={v}" for k, v in values.items()))
    return Event(**values)


@cache
def vocab() -> Vocab:
    """A blank English vocabulary: hand-built parses need no model."""
    return spacy.blank("en").vocab


def parse(
    words: Sequence[str],
    heads: Sequence[int],
    deps: Sequence[str],
    *,
    pos: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    lemmas: Sequence[str] | None = None,
    ents: Sequence[str] | None = None,
    spaces: Sequence[bool] | None = None,
) -> Doc:
    """A hand-made parse: ``heads`` are token indices (the root is its own head), ``ents``
    IOB tags ("B-GPE", "O"). Lemmas default to the lower-cased words; one sentence, unless
    two roots make two."""
    return Doc(
        vocab(),
        words=list(words),
        spaces=list(spaces) if spaces is not None else None,
        heads=list(heads),
        deps=list(deps),
        pos=list(pos) if pos is not None else None,
        tags=list(tags) if tags is not None else None,
        lemmas=list(lemmas) if lemmas is not None else [w.lower() for w in words],
        ents=list(ents) if ents is not None else None,
    )


def tree(table: str) -> Doc:
    """A hand-made parse from one line per token: ``word POS[:TAG] dep head [lemma]``, the head
    a token index (the root is its own head)::

        Rebels   NOUN:NNS  nsubj 1
        captured VERB:VBD  ROOT  1 capture
        Hama     PROPN:NNP dobj  1
    """
    rows = [line.split() for line in table.strip().splitlines() if line.strip()]
    pos, tags = zip(*(r[1].partition(":")[::2] for r in rows), strict=True)
    return parse(
        [r[0] for r in rows],
        [int(r[3]) for r in rows],
        [r[2] for r in rows],
        pos=pos,
        tags=tags,
        lemmas=[r[4] if len(r) > 4 else r[0].lower() for r in rows],
    )


def actor(actor_id: str, kind: str = "armed_group", **fields: Any) -> Actor:
    """An actor named after its id."""
    return Actor(actor_id, fields.pop("name", actor_id), kind=kind, **fields)


def place(name: str, geonameid: int, feature: str = "city", country: str = "SY") -> Place:
    """A gazetteer place at no particular coordinates."""
    return Place(geonameid, name, 0.0, 0.0, country, None, feature)


def facts(
    parsed: Doc,
    *,
    actors: dict[tuple[int, int], Actor] | None = None,
    places: dict[tuple[int, int], Place] | None = None,
    cues: Sequence[CueMatch] = (),
    dates: Sequence[DateHit] = (),
    how: str = "name",
    published: dt.date | None = None,
    country: str | None = "SY",
) -> DocFacts:
    """The facts a stage hands on for ``parsed``: actors and places by token span [start, end)."""
    document = Document(document_id(parsed.text), "test.txt", parsed.text, published=published)
    mentions = [ActorMention(s, e, a, how) for (s, e), a in sorted((actors or {}).items())]
    hits = [
        PlaceHit(s, e, Mention(document.id, *_chars(parsed, s, e), "place", place=p))
        for (s, e), p in sorted((places or {}).items())
    ]
    return DocFacts(
        doc=parsed,
        document=document,
        actors=mentions,
        places=hits,
        dates=list(dates),
        casualties=[],
        cues=list(cues),
        country=country,
    )


def _chars(parsed: Doc, start: int, end: int) -> tuple[int, int, str]:
    span = parsed[start:end]
    return span.start_char, span.end_char, span.text
