"""What the extractors share about one document: tokens, cues and the mentions found in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from sitroom.extract.actors import ActorMention
from sitroom.lexicon import CueMatch
from sitroom.records import Document, Mention


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """A place mention with its token span [start, end)."""

    start: int
    end: int
    mention: Mention


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date expression with its token span and its resolution."""

    start: int
    end: int
    text: str
    date: dt.date | None
    precision: str
    background: bool


@dataclass(frozen=True, slots=True)
class CasualtyHit:
    """A casualty phrase: token span, raw quantity, lowest credible number and kind."""

    start: int
    end: int
    number_text: str
    number: int
    kind: str
    start_char: int
    end_char: int


@dataclass(slots=True)
class DocFacts:
    """Per-document working state handed from one extractor to the next."""

    doc: Doc
    document: Document
    actors: list[ActorMention]
    places: list[PlaceHit]
    dates: list[DateHit]
    casualties: list[CasualtyHit]
    cues: list[CueMatch]
    country: str | None
    actor_index: list[ActorMention | None] = field(default_factory=list)
    place_index: list[PlaceHit | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.actor_index = [None] * len(self.doc)
        for mention in self.actors:
            for i in range(mention.start, mention.end):
                self.actor_index[i] = mention
        self.place_index = [None] * len(self.doc)
        for hit in self.places:
            for i in range(hit.start, hit.end):
                self.place_index[i] = hit

    def actors_in(self, tokens: list[Token] | Span) -> list[ActorMention]:
        """Distinct actor mentions covering any of the tokens, in reading order."""
        seen: dict[int, ActorMention] = {}
        for token in tokens:
            mention = self.actor_index[token.i]
            if mention is not None:
                seen.setdefault(mention.start, mention)
        return [seen[k] for k in sorted(seen)]

    def places_in(self, start: int, end: int) -> list[PlaceHit]:
        """Place mentions within tokens [start, end)."""
        return [hit for hit in self.places if hit.start >= start and hit.end <= end]
