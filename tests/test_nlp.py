"""Tests for sitroom.nlp: the line-break sentence rule, the model factory, the actor ruler and
the recasing of title-case headlines."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from sitroom.errors import ConfigError
from sitroom.nlp import ACTOR_LABEL, build_nlp, line_breaks, parse, parse_one, recase_headlines
from sitroom.nlp import with_text as doc_with_text
from sitroom.pipeline import Resources

BLANK = spacy.blank("en")


def starts(text: str) -> list[str]:
    """The words that line_breaks marks as sentence starts (the first token always is)."""
    doc: Doc = line_breaks(BLANK(text))
    return [t.text for t in doc if t.is_sent_start]


def test_a_line_break_starts_a_sentence() -> None:
    assert starts("Rebels seize Saraqib\nGovernment lines collapse") == ["Rebels", "Government"]


def test_a_blank_line_starts_a_sentence() -> None:
    assert starts("Rebels seize Saraqib\n\nThe town fell on Tuesday.") == ["Rebels", "The"]


def test_a_dateline_is_a_sentence_of_its_own() -> None:
    text = "HAMA, Syria — Rebels entered the city on Sunday."
    assert starts(text) == ["HAMA", "Rebels"]


def test_a_dash_inside_a_sentence_is_not_a_dateline() -> None:
    assert starts("The rebels — backed by Turkey — entered Hama.") == ["The"]
    assert starts("the rebels — who hold Idlib — said so.") == ["the"]


def test_a_missing_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not installed"):
        build_nlp("sitroom_no_such_model")


@pytest.mark.slow
def test_pipeline_order(resources: Resources) -> None:
    names = resources.nlp.pipe_names
    assert names.index("sitroom_line_breaks") < names.index("parser")
    assert names.index("sitroom_actors") < names.index("ner")


@pytest.mark.slow
def test_a_known_actor_name_is_one_actor_entity(resources: Resources) -> None:
    doc = resources.nlp("Fighters of Hayat Tahrir al-Sham entered Aleppo.")
    actors = [(e.text, e.ent_id_) for e in doc.ents if e.label_ == ACTOR_LABEL]
    assert actors == [("Hayat Tahrir al-Sham", "HTS")]


@pytest.mark.slow
def test_an_acronym_matches_only_in_capitals(resources: Resources) -> None:
    upper = resources.nlp("The SDF said it repelled the attack.")
    assert [(e.text, e.ent_id_) for e in upper.ents if e.label_ == ACTOR_LABEL] == [("SDF", "SDF")]
    lower = resources.nlp("The sdf said it repelled the attack.")
    assert not [e for e in lower.ents if e.label_ == ACTOR_LABEL]


@pytest.mark.slow
def test_headline_and_dateline_do_not_run_into_the_body(resources: Resources) -> None:
    doc = resources.nlp("Rebels seize Saraqib\nHAMA, Syria — Rebels entered the city on Sunday.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Rebels seize Saraqib"
    assert sentences[-1] == "Rebels entered the city on Sunday."


@pytest.mark.slow
def test_a_capital_letter_ends_a_sentence_but_an_initial_does_not(resources: Resources) -> None:
    # The tokenizer keeps "X." whole, as it keeps an initial's stop ("George W. Bush").
    posted = resources.nlp("He said in a post on X. Militants attacked a train on Tuesday.")
    assert [s.text for s in posted.sents] == [
        "He said in a post on X.",
        "Militants attacked a train on Tuesday.",
    ]
    for text in ("He met George W. Bush on Monday.", "The book by J. Smith was banned."):
        doc = resources.nlp(text)
        assert [s.text for s in doc.sents] == [text] and len(doc.tensor) == len(doc)


# -- title-case headlines ---------------------------------------------------------------------

KNOWN = frozenset({"Syria", "Iran", "Russia", "Assad", "Hama", "Saraqib"})


def known(words: str) -> bool:
    return words in KNOWN


# Headlines of the shapes the seed reports have, with short bodies in our own words.
MILITIAS = (
    "Renewed Violence in Syria: Iran-Backed Militias Join Assad as Airstrikes Escalate\n"
    "Iran-backed militias crossed into Syria on Monday to help President Assad, whose army has "
    "lost ground to rebels. Russian airstrikes hit rebel positions as violence spread north."
)
REQUEST = (
    "Syria’s Assad Seeks Support from Russia and Iran as Rebels Close In; 300+ Insurgents Killed\n"
    "\n"
    "You are currently viewing Syria’s Assad Seeks Support from Russia and Iran as Rebels Close "
    "In; 300+ Insurgents Killed\n"
    "\n"
    "President Bashar al-Assad asked Russia and Iran for support on Sunday as rebels advanced in "
    "the north. At least 300 insurgents were killed in the fighting, a monitor said."
)


def test_a_title_case_headline_is_recased_from_its_body() -> None:
    recased = recase_headlines(MILITIAS, is_name=known)
    assert recased.splitlines()[0] == (
        "Renewed violence in Syria: Iran-backed militias join Assad as airstrikes escalate"
    )
    assert recased.splitlines()[1:] == MILITIAS.splitlines()[1:]


def test_a_repeated_headline_is_recased_alike() -> None:
    lines = recase_headlines(REQUEST, is_name=known).splitlines()
    headline = (
        "Syria’s Assad seeks support from Russia and Iran as rebels close in; "
        "300+ insurgents killed"
    )
    assert lines[0] == headline
    assert lines[2] == "You are currently viewing " + headline
    assert lines[4:] == REQUEST.splitlines()[4:]


def test_names_all_capitals_and_the_first_word_keep_their_case() -> None:
    text = (
        "Fighters Of HTS Seize Saraqib As Army Retreats To Hama\n"
        "The army retreated towards Hama after HTS fighters entered the town of Saraqib, "
        "residents said."
    )
    assert recase_headlines(text, is_name=known).splitlines()[0] == (
        "Fighters of HTS seize Saraqib as army retreats to Hama"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Rebels seize Saraqib\nRebels captured the town of Saraqib on Tuesday, a monitor said.",
        "Syrian President Bashar Al-Assad Met Russian President Vladimir Putin In Moscow.",
        "(Reporting by Some Reporter; Editing by Another Editor)\nThe talks ended on Monday.",
        "Iran-Backed Militias Join Assad",  # a headline alone: nothing to learn its case from
        "",
    ],
)
def test_text_without_a_title_case_headline_comes_back_unchanged(text: str) -> None:
    assert recase_headlines(text, is_name=known) is text


def test_a_letter_whose_lowercase_is_longer_keeps_its_case() -> None:
    # "İ".lower() is two characters; the text's length and offsets must not move.
    text = (
        "Rebels Seize İnkhil Villages as Fighting Spreads\n"
        "The rebels said fighting spreads to villages that they seize from the army."
    )
    recased = recase_headlines(text, is_name=known)
    assert len(recased) == len(text)
    assert recased.splitlines()[0] == "Rebels seize İnkhil villages as fighting spreads"


HEADLINE_WORDS = st.sampled_from(
    [
        "Rebels",
        "Seize",
        "HTS",
        "İdlib",
        "Syria’s",
        "Iran-Backed",
        "in",
        "Ωmega",
        "ǅemal",
        "Killed",
        "U.S.",
        "300+",
        "Fire",
        "ﬁre",
        "Straße",
        "İnkhil",
        "Σίγμα",
    ]
)
BODY_WORDS = st.sampled_from(
    [
        "rebels",
        "seize",
        "the",
        "killed",
        "İdlib",
        "iran-backed",
        "ωmega",
        "fire",
        "straße",
        "Syria’s",
        "σίγμα",
        ",",
        ".",
        "\n",
        "in",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.tuples(
        st.lists(HEADLINE_WORDS, min_size=4, max_size=12),
        st.lists(BODY_WORDS, max_size=40),
        st.text(max_size=20),
    ).map(lambda t: " ".join(t[0]) + "\n" + t[2] + " word " + " ".join(t[1])),
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_recasing_changes_only_the_case_of_letters(text: str) -> None:
    recased = recase_headlines(text, is_name=lambda w: len(w) % 2 == 0)
    assert len(recased) == len(text)
    assert all(a == b or a == b.lower() for a, b in zip(recased, text, strict=True))


def test_with_text_refuses_a_text_of_another_length() -> None:
    with pytest.raises(ValueError, match="length"):
        doc_with_text(BLANK("Rebels seize Saraqib"), "Rebels seize Saraqib!")


@pytest.mark.slow
def test_a_recased_headline_is_parsed_recased_and_keeps_its_text(resources: Resources) -> None:
    doc = parse_one(resources.nlp, MILITIAS, is_name=resources.is_name)
    assert doc.text == MILITIAS
    militias = next(t for t in doc if t.text == "Militias")
    assert (militias.dep_, militias.head.text) == ("nsubj", "Join")
    assert militias.head.pos_ == "VERB"
    assert militias.head.lemma_ == "join"
    actors = [(e.text, e.ent_id_) for e in doc.ents if e.label_ == ACTOR_LABEL]
    assert ("Assad", "PER-BASHAR-AL-ASSAD") in actors
    assert next(s.text.strip() for s in doc.sents) == MILITIAS.splitlines()[0]


@pytest.mark.slow
def test_the_doc_with_the_original_text_keeps_every_annotation(resources: Resources) -> None:
    def annotations(doc: Doc) -> list[tuple[tuple[object, ...], ...]]:
        syntax = [
            (t.idx, len(t), t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc
        ]
        ents = [(t.ent_iob_, t.ent_type_, t.ent_id_, t.ent_kb_id_, t.is_sent_start) for t in doc]
        return list(zip(syntax, ents, strict=True))

    recased = resources.nlp(recase_headlines(REQUEST, is_name=resources.is_name))
    assert recased.text != REQUEST
    doc = parse_one(resources.nlp, REQUEST, is_name=resources.is_name)
    assert doc.text == REQUEST
    assert annotations(doc) == annotations(recased)
    assert [(e.start, e.end, e.label_, e.id_) for e in doc.ents] == [
        (e.start, e.end, e.label_, e.id_) for e in recased.ents
    ]


@pytest.mark.slow
def test_parse_keeps_order_and_context(resources: Resources) -> None:
    texts = [MILITIAS, "Rebels seize Saraqib.", REQUEST]
    out = list(parse(resources.nlp, ((t, n) for n, t in enumerate(texts)), is_name=known))
    assert [(doc.text, n) for doc, n in out] == [(t, n) for n, t in enumerate(texts)]
