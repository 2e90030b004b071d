"""Tests for sitroom.extract.actors: names, demonym phrases and descriptions resolved to actors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.tokens import Doc, Span

from factories import parse, tree
from sitroom.extract.actors import (
    ActorMention,
    HeadNouns,
    actor_at,
    described_parties,
    find_actors,
    members_groups,
)
from sitroom.records import Actor, Analysis

Analyse = Callable[..., Analysis]  # the conftest fixture: text -> Analysis

BLANK = spacy.blank("en")

HTS = Actor("HTS", "Hayat Tahrir al-Sham", kind="armed_group", country="SY")


class FakeKB:
    """A knowledge base of one named group, one country and the generic word 'rebels'."""

    def get(self, actor_id: str) -> Actor | None:
        return HTS if actor_id == "HTS" else None

    def lookup(self, text: str) -> Actor | None:
        return HTS if text.lower() in ("hts", "hayat tahrir al-sham") else None

    def demonym_country(self, word: str) -> str | None:
        return "RU" if word.lower() == "russian" else None

    def country_by_name(self, text: str) -> str | None:
        return "RU" if text.lower() == "russia" else None

    def state(self, iso2: str) -> Actor | None:
        return Actor(f"GOV-{iso2}", f"Government ({iso2})", kind="state", country=iso2)

    def forces(self, iso2: str) -> Actor | None:
        return Actor(f"MIL-{iso2}", f"Forces ({iso2})", kind="state_forces", country=iso2)

    def police(self, iso2: str) -> Actor | None:
        return None

    def civilians(self, iso2: str) -> Actor | None:
        return None

    def generic(self, term: str, *, country: str | None) -> Actor | None:
        if term.lower() != "rebels":
            return None
        suffix = f"-{country}" if country else ""
        return Actor(f"REBELS{suffix}", "Rebels", kind="armed_group", country=country)

    def stand_ins(self, actor_id: str) -> frozenset[str]:
        return frozenset({"HTS", "ISIS"}) if actor_id.startswith("REBELS") else frozenset()

    def new_actor(self, name: str, *, kind: str = "unknown", country: str | None = None) -> Actor:
        return Actor(f"new:{name.lower()}", name, kind=kind, country=country)


def hand_doc(text: str, *, actor: tuple[int, int, str] | None = None, nouns: tuple[str, ...] = ()):
    """A blank-model doc with an ACTOR entity (start, end, id) and nouns tagged by hand."""
    doc: Doc = BLANK(text)
    if actor is not None:
        start, end, actor_id = actor
        doc.ents = [Span(doc, start, end, label="ACTOR", span_id=actor_id)]
    for token in doc:
        if token.text in nouns:
            token.pos_ = "NOUN"
    return doc


def test_actor_entity_resolves_by_its_id() -> None:
    doc = hand_doc("Hayat Tahrir al-Sham entered Hama", actor=(0, 5, "HTS"))
    found = find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country="SY")
    assert found == [ActorMention(0, 5, HTS, "name")]


def test_actor_entity_with_an_unknown_id_is_ignored() -> None:
    doc = hand_doc("The Lions entered Hama", actor=(1, 2, "LIONS"))
    assert find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country="SY") == []


def test_generic_description_takes_the_report_country() -> None:
    doc = hand_doc("The rebels entered Hama", nouns=("rebels",))
    heads = HeadNouns.load()
    [in_syria] = find_actors(doc, kb=FakeKB(), heads=heads, country="SY")
    assert (in_syria.start, in_syria.end, in_syria.actor.id, in_syria.how) == (
        1,
        2,
        "REBELS-SY",
        "generic",
    )
    [nowhere] = find_actors(doc, kb=FakeKB(), heads=heads, country=None)
    assert nowhere.actor.id == "REBELS"


def test_mentions_are_in_reading_order_and_never_overlap() -> None:
    doc = hand_doc("rebels and Hayat Tahrir al-Sham rebels", actor=(2, 7, "HTS"), nouns=("rebels",))
    found = find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country=None)
    assert [(m.start, m.end, m.actor.id) for m in found] == [
        (0, 1, "REBELS"),
        (2, 7, "HTS"),
        (7, 8, "REBELS"),
    ]
    covered = [i for m in found for i in range(m.start, m.end)]
    assert len(covered) == len(set(covered))


def test_to_mention_carries_character_offsets() -> None:
    doc = hand_doc("Yesterday Hayat Tahrir al-Sham entered Hama", actor=(1, 6, "HTS"))
    [found] = find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country="SY")
    mention = found.to_mention(doc, "doc-1")
    assert (mention.start, mention.end, mention.text) == (10, 30, "Hayat Tahrir al-Sham")
    assert doc.text[mention.start : mention.end] == mention.text
    assert (mention.kind, mention.actor_id, mention.document_id) == ("actor", "HTS", "doc-1")


def test_actor_at_indexes_tokens() -> None:
    doc = hand_doc("rebels met Hayat Tahrir al-Sham", actor=(2, 7, "HTS"), nouns=("rebels",))
    found = find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country=None)
    index = actor_at(found, doc)
    assert len(index) == len(doc)
    assert index[1] is None
    assert index[0] is found[0]
    assert all(index[i] is found[1] for i in range(2, 7))


def test_head_nouns_by_kind() -> None:
    heads = HeadNouns.load()
    doc = BLANK("jets officials police civilians bananas")
    assert [heads.kind_of(t) for t in doc] == ["forces", "state", "police", "civilians", None]


def test_a_description_stands_for_the_one_group_the_document_calls_so() -> None:
    doc = tree("""
        HTS      PROPN:NNP compound 1
        rebels   NOUN:NNS  nsubj    2 rebel
        died     VERB:VBD  ROOT     2 die
        .        PUNCT:.   punct    2
        Rebels   NOUN:NNS  nsubj    9 rebel
        linked   VERB:VBN  acl      4 link
        with     ADP:IN    prep     5
        ISIS     PROPN:NNP pobj     6
        then     ADV:RB    advmod   9
        attacked VERB:VBD  ROOT     9 attack
    """)
    rebels = Actor("REBELS-SY", "Rebels", kind="armed_group", country="SY")
    isis = Actor("ISIS", "Islamic State", kind="armed_group")
    kb = FakeKB()
    hts_rebels = ActorMention(0, 2, HTS, "name")  # "HTS rebels": the name takes the description
    linked = [ActorMention(4, 5, rebels, "generic"), ActorMention(7, 8, isis, "name")]
    assert described_parties([hts_rebels], doc, kb=kb, country="SY") == {"REBELS-SY": "HTS"}
    # "rebels linked with ISIS": the name hangs from the description by a preposition.
    assert described_parties(linked, doc, kb=kb, country="SY") == {"REBELS-SY": "ISIS"}
    # A document that calls two groups so leaves the description to neither.
    assert described_parties([hts_rebels, *linked], doc, kb=kb, country="SY") == {}
    # A state's forces are no description of an armed group.
    army = Actor("MIL-SY", "Army", kind="state_forces")
    assert described_parties([ActorMention(0, 2, army, "name")], doc, kb=kb, country="SY") == {}


def test_a_description_stands_for_the_one_named_group_the_knowledge_base_says_it_may() -> None:
    # "HTS took the town. The rebels then attacked.": the report never calls HTS rebels, but
    # the knowledge base says "rebels" may stand for it (``by_named``), and it names no other.
    doc = tree("""
        HTS      PROPN:NNP nsubj 1
        took     VERB:VBD  ROOT  1 take
        Rebels   NOUN:NNS  nsubj 3 rebel
        attacked VERB:VBD  ROOT  3 attack
    """)
    rebels = Actor("REBELS-SY", "Rebels", kind="armed_group", country="SY")
    isis = Actor("ISIS", "Islamic State", kind="armed_group")
    kb = FakeKB()
    found = [ActorMention(0, 1, HTS, "name"), ActorMention(2, 3, rebels, "generic")]
    assert described_parties(found, doc, kb=kb, country="SY") == {"REBELS-SY": "HTS"}
    # ... two such groups named leave it to neither
    both = [*found, ActorMention(3, 4, isis, "name")]
    assert described_parties(both, doc, kb=kb, country="SY") == {}


@pytest.mark.parametrize(("noun", "is_actor"), [("village", False), ("army", True)])
def test_the_name_a_place_noun_s_of_names_is_a_place(noun: str, is_actor: bool) -> None:
    # "attacked the village of Jangebe": Jangebe is the village, whatever it reads as;
    # "attacked the army of Jangebe" names a party.
    doc = parse(
        ["Rebels", "attacked", "the", noun, "of", "Jangebe"],
        [1, 1, 3, 1, 3, 4],
        ["nsubj", "ROOT", "det", "dobj", "prep", "pobj"],
        pos=["NOUN", "VERB", "DET", "NOUN", "ADP", "PROPN"],
        ents=["O", "O", "O", "O", "O", "B-PERSON"],
    )
    found = find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country="SY")
    assert [m.actor.name for m in found] == (["Rebels", "Jangebe"] if is_actor else ["Rebels"])


@pytest.mark.parametrize(
    ("words", "heads", "deps", "pos"),
    [
        # "a Russia air strike": a noun compounded into the head noun
        (
            ["a", "Russia", "air", "strike"],
            [3, 3, 3, 3],
            ["det", "compound", "compound", "ROOT"],
            ["DET", "PROPN", "NOUN", "NOUN"],
        ),
        # "the Russia-led attack": the country leads the act
        (
            ["the", "Russia", "-", "led", "attack"],
            [4, 3, 3, 4, 4],
            ["det", "npadvmod", "punct", "amod", "ROOT"],
            ["DET", "PROPN", "PUNCT", "VERB", "NOUN"],
        ),
    ],
)
def test_a_country_before_its_act_is_its_forces(
    words: list[str], heads: list[int], deps: list[str], pos: list[str]
) -> None:
    ents = ["O", "B-GPE", *(["O"] * (len(words) - 2))]
    doc = parse(words, heads, deps, pos=pos, ents=ents)
    [found] = find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country="SY")
    assert (found.start, found.actor.id) == (1, "MIL-RU")


def test_a_country_before_a_thing_is_no_actor() -> None:
    # "a Russia trade deal": a compound run that ends in no head word of a party
    doc = parse(
        ["a", "Russia", "trade", "deal"],
        [3, 3, 3, 3],
        ["det", "compound", "compound", "ROOT"],
        pos=["DET", "PROPN", "NOUN", "NOUN"],
        ents=["O", "B-GPE", "O", "O"],
    )
    assert find_actors(doc, kb=FakeKB(), heads=HeadNouns.load(), country="SY") == []


def test_a_person_named_as_a_group_s_leader_belongs_to_the_group() -> None:
    # "Baghdadi, the leader of HTS, was wounded"; "the HTS leader Baghdadi"
    appos = tree("""
        Baghdadi PROPN:NNP nsubjpass 6
        ,        PUNCT:,   punct     0
        the      DET:DT    det       3
        leader   NOUN:NN   appos     0
        of       ADP:IN    prep      3
        HTS      PROPN:NNP pobj      4
        wounded  VERB:VBN  ROOT      6 wound
    """)
    person = Actor("new:baghdadi", "Baghdadi", kind="person")
    heads = HeadNouns.load()
    found = [ActorMention(0, 1, person, "new"), ActorMention(5, 6, HTS, "name")]
    assert members_groups(found, appos, heads) == {"new:baghdadi": "HTS"}
    compound = tree("""
        the      DET:DT    det      2
        HTS      PROPN:NNP compound 2
        leader   NOUN:NN   nsubj    4
        Baghdadi PROPN:NNP appos    2
        spoke    VERB:VBD  ROOT     4 speak
    """)
    found = [ActorMention(1, 2, HTS, "name"), ActorMention(3, 4, person, "new")]
    assert members_groups(found, compound, heads) == {"new:baghdadi": "HTS"}
    # A person named with no member's noun ("Baghdadi, the guest of HTS") belongs to no group.
    guest = tree("""
        Baghdadi PROPN:NNP nsubj 6
        ,        PUNCT:,   punct 0
        the      DET:DT    det   3
        guest    NOUN:NN   appos 0
        of       ADP:IN    prep  3
        HTS      PROPN:NNP pobj  4
        spoke    VERB:VBD  ROOT  6 speak
    """)
    found = [ActorMention(0, 1, person, "new"), ActorMention(5, 6, HTS, "name")]
    assert members_groups(found, guest, heads) == {}


# -- with the model ------------------------------------------------------------------------


def actor_ids(analysis: Analysis) -> list[str]:
    return [m.actor_id for m in analysis.mentions if m.kind == "actor" and m.actor_id]


def actor_texts(analysis: Analysis) -> dict[str, str | None]:
    return {m.text: m.actor_id for m in analysis.mentions if m.kind == "actor"}


@pytest.mark.slow
def test_the_insurgents_are_the_rebels_of_the_report_country(analyse: Analyse) -> None:
    in_syria = analyse("The insurgents attacked an army checkpoint in Idlib.")
    assert actor_texts(in_syria)["insurgents"] == "SYR-REBELS"
    nowhere = analyse("The insurgents ambushed a patrol.")
    assert actor_texts(nowhere)["insurgents"] == "REBELS"
    [rebels] = [a for a in nowhere.actors if a.id == "REBELS"]
    assert rebels.kind == "armed_group"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "phrase", "actor_id"),
    [
        ("Russian jets struck Idlib overnight.", "Russian jets", "MIL-RU"),
        ("Iranian officials condemned the attack.", "Iranian officials", "GOV-IR"),
        ("Syrian civilians fled the fighting.", "Syrian civilians", "CIV-SY"),
        ("Hayat Tahrir al-Sham entered Aleppo.", "Hayat Tahrir al-Sham", "HTS"),
    ],
)
def test_names_and_demonym_phrases(analyse: Analyse, text: str, phrase: str, actor_id: str) -> None:
    assert actor_texts(analyse(text))[phrase] == actor_id


@pytest.mark.slow
def test_forces_bring_their_state_into_the_analysis(analyse: Analyse) -> None:
    analysis = analyse("Russian jets struck Idlib overnight.")
    by_id = {a.id: a for a in analysis.actors}
    assert by_id["MIL-RU"].parent == "GOV-RU"
    assert by_id["GOV-RU"].kind == "state"


@pytest.mark.slow
def test_a_country_that_acts_is_its_state_and_a_country_where_things_happen_is_not(
    analyse: Analyse,
) -> None:
    analysis = analyse("Russia launched airstrikes in Syria in 2015.")
    texts = actor_texts(analysis)
    assert texts.get("Russia") == "GOV-RU"
    assert "Syria" not in texts
    assert "GOV-SY" not in actor_ids(analysis)


@pytest.mark.slow
def test_a_foreign_air_strike_is_its_country_s_and_is_where_its_sentence_says(
    analyse: Analyse,
) -> None:
    # "a US air strike near Mosul": the US forces struck, at Mosul, not in the United States.
    analysis = analyse("A senior aide was killed in a US air strike near Mosul on Friday.")
    [event] = [e for e in analysis.events if e.event_type is not None]
    assert event.actor1 == "MIL-US"
    assert event.location is not None and event.location.country == "IQ"


@pytest.mark.slow
def test_an_incident_s_target_named_as_a_group_s_leader_is_the_group(analyse: Analyse) -> None:
    analysis = analyse(
        "Abu Bakr al-Baghdadi, the leader of ISIS, was wounded in an airstrike near Mosul."
    )
    [event] = [e for e in analysis.events if e.event_type is not None]
    assert event.actor2 == "ISIS"


@pytest.mark.slow
def test_an_actor_missing_from_the_knowledge_base_is_kept_as_new(analyse: Analyse) -> None:
    analysis = analyse("The Free Idlib Brigade stormed a checkpoint near Ariha in Idlib province.")
    [new] = [a for a in analysis.actors if a.id.startswith("new:")]
    assert new.id == "new:free-idlib-brigade"
    assert new.name == "Free Idlib Brigade"
    assert new.kind == "organisation"
    [event] = analysis.events
    assert event.actor1 == new.id


@pytest.mark.slow
def test_mention_offsets_index_the_text(analyse: Analyse) -> None:
    text = (
        "Rebels seize Saraqib\n\nHAMA, Syria — Turkish-backed rebels and Hayat Tahrir al-Sham "
        "fighters entered Hama on Sunday, while Russian jets struck Idlib, killing 4 civilians."
    )
    analysis = analyse(text)
    assert analysis.mentions
    for mention in analysis.mentions:
        assert text[mention.start : mention.end] == mention.text
    known = {a.id for a in analysis.actors}
    assert {m.actor_id for m in analysis.mentions if m.kind == "actor"} <= known


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("HTS fighters captured Saraqib on Sunday.", "Saraqib"),
        ("The insurgents shelled the village of Kafr Nabl.", "Kafr Nabl"),
    ],
)
def test_a_town_is_not_an_actor(analyse: Analyse, text: str, town: str) -> None:
    analysis = analyse(text)
    assert town not in actor_texts(analysis)
    assert not [a for a in analysis.actors if a.id.startswith("new:")]


@pytest.mark.slow
def test_a_named_group_s_fighters_are_that_group(analyse: Analyse) -> None:
    analysis = analyse("HTS fighters captured the town of Saraqib on Sunday.")
    assert set(actor_ids(analysis)) == {"HTS"}


@pytest.mark.slow
def test_a_stance_is_not_an_actor(analyse: Analyse) -> None:
    analysis = analyse("Pro-government militias attacked anti-government protesters in Caracas.")
    assert not any(a.startswith("GOV") for a in actor_ids(analysis))


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Some advocated diplomacy and others supported military intervention to halt the war.",
        "Iran has consistently provided military support to Damascus.",
    ],
)
def test_a_kind_of_help_is_not_the_military(analyse: Analyse, text: str) -> None:
    assert not any(a.startswith("MIL") for a in actor_ids(analyse(text)))


@pytest.mark.slow
def test_the_military_s_positions_are_the_military(analyse: Analyse) -> None:
    analysis = analyse("Rebels shelled military positions near Hama on Sunday.")
    assert any(a.startswith("MIL") for a in actor_ids(analysis))


@pytest.mark.slow
def test_support_from_two_countries_comes_from_both_states(analyse: Analyse) -> None:
    analysis = analyse("Assad sought support from Russia and Iran on Sunday.")
    [event] = analysis.events
    assert (event.actor2, event.assoc_actor_2) == ("GOV-RU", ("GOV-IR",))


@pytest.mark.slow
def test_a_described_party_owns_its_fighters(analyse: Analyse) -> None:
    analysis = analyse(
        "The insurgents are advancing towards Hama, while over 300 of their fighters have been "
        "killed in intense clashes."
    )
    [clash] = [e for e in analysis.events if e.trigger == "clashes"]
    assert (clash.actor1, clash.actor2, clash.fatalities) == ("SYR-REBELS", None, 300)
