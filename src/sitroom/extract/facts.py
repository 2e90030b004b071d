"""What the extractors share about one document: tokens, cues and the mentions found in it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from sitroom.config import DataOverride
from sitroom.extract.actors import ActorKnowledge, ActorMention
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueMatch
from sitroom.records import Document, Evidence, Mention


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
    victims: str | None = None  # head of the victims' noun phrase: "civilians", "soldiers"


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
    echoes: list[tuple[int, int]] = field(default_factory=list)
    # The user's data files (``Config.overrides()``), for rules that read data as they go.
    overrides: tuple[DataOverride, ...] = ()
    # The actor knowledge base, where a rule scopes a description to another country.
    kb: ActorKnowledge | None = None
    # Descriptions -> the one named group the document calls so (``actors.described_parties``),
    # once asked for.
    described: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.echoes = echoed_lines(self.doc.text)
        self.actor_index = [None] * len(self.doc)
        for mention in self.actors:
            for i in range(mention.start, mention.end):
                self.actor_index[i] = mention
        self.place_index = [None] * len(self.doc)
        for hit in self.places:
            for i in range(hit.start, hit.end):
                self.place_index[i] = hit

    def rescope(self, old: ActorMention, new: ActorMention) -> None:
        """Put ``new`` where the document had ``old`` (the same words, another actor), so that
        the mentions stored with the analysis name the actor its events name."""
        self.actors = [new if m == old else m for m in self.actors]
        for i in range(new.start, new.end):
            if self.actor_index[i] == old:
                self.actor_index[i] = new

    def actors_in(self, tokens: list[Token] | Span) -> list[ActorMention]:
        """Distinct actor mentions covering any of the tokens, in reading order."""
        seen: dict[int, ActorMention] = {}
        for token in tokens:
            mention = self.actor_index[token.i]
            if mention is not None:
                seen.setdefault(mention.start, mention)
        return [seen[k] for k in sorted(seen)]

    def names_act(self, token_i: int) -> bool:
        """Whether the token lies in a cue that can name an act (a trigger, not a word of
        context): "the *attack*", not the "gunmen" that colour it."""
        return any(c.start <= token_i < c.end and c.role != "context" for c in self.cues)

    def sentence_evidence(self, sent: Span) -> Evidence:
        """The sentence as evidence: its text without surrounding space, with char offsets."""
        quote = sent.text.strip()
        start = sent.start_char + sent.text.find(quote)
        return Evidence(self.document.id, start, start + len(quote), quote)

    def echoed(self, token_i: int) -> bool:
        """Whether the token lies on a line that repeats an earlier one (see ``echoed_lines``)."""
        idx = self.doc[token_i].idx
        return any(start <= idx < end for start, end in self.echoes)

    def is_town_noun(self, word: Token) -> bool:
        """ "the city", "this town": a noun that stands for a town named before it."""
        town_nouns = loader.words("control_cues.yaml", "town_nouns", self.overrides)
        pointing = loader.words("control_cues.yaml", "town_determiners", self.overrides)
        return (
            word.lemma_.lower() in town_nouns
            and word.pos_ == "NOUN"
            and any(c.dep_ == "det" and c.lower_ in pointing for c in word.children)
            and not any(self.place_index[t.i] for t in word.subtree)
            # "the town of Tal Rifaat" names its own town, even one the gazetteer lacks
            and not any(c.dep_ == "prep" and c.lower_ == "of" for c in word.children)
        )

    def town_before(self, word: Token, *, sentence_only: bool) -> PlaceHit | None:
        """The town named last before ``word`` (in its sentence, or else in its paragraph);
        None when the last place named before it is a region."""
        text = self.doc.text
        first = word.sent.start if sentence_only else 0
        for hit in reversed(self.places):
            if hit.end > word.i or hit.start < first:
                continue
            place = hit.mention.place
            if place is None or place.feature == "country":
                continue
            if place.feature != "city":
                return None  # "the city" after a province of the same name is not sure
            end_char = self.doc[hit.end - 1].idx + len(self.doc[hit.end - 1])
            if _PARAGRAPH_BREAK.search(text, end_char, word.idx):
                return None
            return hit
        return None

    def places_in(self, start: int, end: int) -> list[PlaceHit]:
        """Place mentions within tokens [start, end)."""
        return [hit for hit in self.places if hit.start >= start and hit.end <= end]


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE = re.compile(r"[^\n]+")
# Shorter lines ("Aleppo", "Reuters") repeat without being copies of one another.
_MIN_ECHO_CHARS = 25
_HEADING_LINES = 3


def echoed_lines(text: str) -> list[tuple[int, int]]:
    """Char spans [start, end) of lines that repeat an earlier line or contain a heading line.

    Pages saved as text repeat the headline in chrome ("You are currently viewing <title>",
    "Read more: <title>"); a repeat tells no second event. Only the first few lines are looked
    for inside later ones, so a long document costs one pass.
    """
    seen: set[str] = set()
    heads: list[str] = []
    out: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        line = match.group().strip()
        if len(line) < _MIN_ECHO_CHARS:
            continue
        if line in seen or any(head in line for head in heads):
            out.append((match.start(), match.end()))
            continue
        seen.add(line)
        if len(heads) < _HEADING_LINES:
            heads.append(line)
    return out
