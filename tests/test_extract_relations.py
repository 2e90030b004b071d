"""Tests for sitroom.extract.relations: supports, part of, allied with, opposes; evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from factories import actor, event, facts, tree
from sitroom.extract.events import Candidate
from sitroom.extract.relations import (
    RelationCues,
    allies_together,
    ally_noun,
    backed_by,
    backed_prefix,
    composed_of,
    extract_relations,
    hostile_event,
    part_noun,
    support_verb,
)
from sitroom.knowledge.actors import ActorKB
from sitroom.knowledge.cues import EventType
from sitroom.records import RELATION_PREDICATES, Actor, Analysis

Analyse = Callable[..., Analysis]  # the conftest fixture: text -> Analysis

PUBLISHED = dt.date(2024, 12, 2)


def triples(analysis: Analysis) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in analysis.relations}


def test_shipped_cues_load_lowercased() -> None:
    cues = RelationCues.load()
    assert "backed" in cues.backed_words
    for field in RelationCues.__dataclass_fields__:
        words = getattr(cues, field)
        assert words, field
        assert all(w == w.lower() for w in words), field


@pytest.mark.slow
def test_x_backed_names_the_backing_state(analyse: Analyse) -> None:
    analysis = analyse("Iran-backed militias attacked the town of Deir ez-Zor.")
    # The militias are Iran's proxies, of no stated country: not "Iranian militia".
    assert ("GOV-IR", "supports", "MILITIA") in triples(analysis)


@pytest.mark.slow
def test_backed_by_in_a_relative_clause(analyse: Analyse) -> None:
    analysis = analyse("The rebels, who are backed by Turkey, entered Manbij.")
    supports = [r for r in analysis.relations if r.predicate == "supports"]
    assert [r.subject for r in supports] == ["GOV-TR"]
    kinds = {a.id: a.kind for a in analysis.actors}
    assert kinds[supports[0].object] == "armed_group"


@pytest.mark.slow
def test_rebels_backed_from_abroad_are_still_the_local_rebels(analyse: Analyse) -> None:
    analysis = analyse("The rebels, who are backed by Turkey, entered Manbij.")
    assert ("GOV-TR", "supports", "SYR-REBELS") in triples(analysis)


@pytest.mark.slow
def test_backed_by_as_an_apposition(analyse: Analyse) -> None:
    analysis = analyse("Hezbollah fighters, backed by Iran, clashed with rebels.")
    assert ("GOV-IR", "supports", "HEZBOLLAH") in triples(analysis)


@pytest.mark.slow
def test_turkish_backed_rebels_are_supported_by_turkey(analyse: Analyse) -> None:
    analysis = analyse("Turkish-backed rebels attacked Kurdish fighters near Manbij.")
    assert ("GOV-TR", "supports", "SNA") in triples(analysis)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Russia supports the Syrian government.",
        "Russia is the main backer of the Syrian government.",
    ],
)
def test_support_stated_outright(analyse: Analyse, text: str) -> None:
    assert ("GOV-RU", "supports", "GOV-SY") in triples(analyse(text))


@pytest.mark.slow
def test_allies_of_a_government_support_it(analyse: Analyse) -> None:
    analysis = analyse("Iran and Russia are allies of the Assad government.")
    assert {("GOV-IR", "supports", "GOV-SY"), ("GOV-RU", "supports", "GOV-SY")} <= triples(analysis)


@pytest.mark.slow
def test_mutual_allies_are_allied_with(analyse: Analyse) -> None:
    analysis = analyse("Russia and Iran are allies.")
    assert triples(analysis) == {("GOV-IR", "allied_with", "GOV-RU")}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hayat Tahrir al-Sham, a faction of the Syrian opposition, denied the report.",
            ("HTS", "part_of", "SYR-REBELS"),
        ),
        (
            "Wagner fighters, part of the Russian forces, withdrew from Bakhmut.",
            ("WAGNER", "part_of", "MIL-RU"),
        ),
    ],
)
def test_part_of(analyse: Analyse, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(analyse(text))


@pytest.mark.slow
def test_sides_of_a_battle_oppose_each_other(analyse: Analyse) -> None:
    analysis = analyse("Turkish-backed rebels attacked Kurdish fighters near Manbij.")
    assert ("SNA", "opposes", "SDF") in triples(analysis)


@pytest.mark.slow
def test_civilians_attacked_are_victims_not_opponents(analyse: Analyse) -> None:
    analysis = analyse("Gunmen killed four civilians in Daraa.")
    [event] = analysis.events
    assert event.actor2 == "CIV-SY"
    assert not [r for r in analysis.relations if r.predicate == "opposes"]


@pytest.mark.slow
def test_relations_are_dated_and_sourced(analyse: Analyse) -> None:
    text = (
        "Fighting continued on Sunday.\n"
        "Hezbollah fighters, backed by Iran, clashed with rebels. Russia supports the "
        "Syrian government."
    )
    analysis = analyse(text)
    assert len(analysis.relations) >= 2
    actor_ids = {a.id for a in analysis.actors}
    for relation in analysis.relations:
        assert relation.predicate in RELATION_PREDICATES
        assert relation.subject != relation.object
        assert {relation.subject, relation.object} <= actor_ids
        assert relation.date == PUBLISHED
        [evidence] = relation.evidence
        assert evidence.document_id == analysis.document.id
        assert text[evidence.start : evidence.end] == evidence.quote
    by_triple = {(r.subject, r.predicate, r.object): r for r in analysis.relations}
    quote = by_triple[("GOV-RU", "supports", "GOV-SY")].evidence[0].quote
    assert quote == "Russia supports the Syrian government."


@pytest.mark.slow
def test_a_relation_stated_twice_is_kept_once(analyse: Analyse) -> None:
    analysis = analyse(
        "Russia supports the Syrian government. Russia supports the Syrian government again."
    )
    assert [(r.subject, r.object) for r in analysis.relations] == [("GOV-RU", "GOV-SY")]
    assert analysis.relations[0].evidence[0].start == 0


@pytest.mark.slow
def test_a_force_including_a_person_is_a_misreading(analyse: Analyse) -> None:
    analysis = analyse(
        "The rebels have captured fifteen villages since the weekend, including Souran and "
        "Taibat al-Imam, according to opposition commanders."
    )
    assert not [r for r in analysis.relations if r.predicate == "part_of"]


@pytest.mark.slow
def test_a_coalition_including_a_group(analyse: Analyse) -> None:
    analysis = analyse("The opposition forces, including HTS, entered Hama on Thursday.")
    assert any(r.predicate == "part_of" and r.subject == "HTS" for r in analysis.relations)


# -- each rule on a hand-built parse (no model) ----------------------------------------------


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


@pytest.fixture(scope="module")
def cues() -> RelationCues:
    return RelationCues.load()


HEZBOLLAH = actor("HEZBOLLAH")
MILITIA = actor("MILITIA", "militia")
HTS, AQ = actor("HTS"), actor("AQ")
REBELS = actor("SYR-REBELS")


def ids(stated: list[tuple[Actor | None, str, Actor | None]]) -> list[tuple[str, str, str]]:
    return [(s.id if s else "-", p, o.id if o else "-") for s, p, o in stated]


def test_backed_prefix_names_the_state_behind_what_it_modifies(
    cues: RelationCues, kb: ActorKB
) -> None:
    parsed = tree("""
        Iran      PROPN:NNP  npadvmod 2
        -         PUNCT:HYPH punct    2
        backed    VERB:VBN   amod     3 back
        militias  NOUN:NNS   nsubj    4 militia
        attacked  VERB:VBD   ROOT     4 attack
    """)
    f = facts(parsed, actors={(3, 4): MILITIA})
    assert ids(backed_prefix(parsed[2], f, cues, kb)) == [("GOV-IR", "supports", "MILITIA")]
    assert backed_by(parsed[2], f, cues, kb) == []  # the prefix is not a "backed by"


def test_backed_by_supports_what_the_participle_modifies(cues: RelationCues, kb: ActorKB) -> None:
    parsed = tree("""
        militias  NOUN:NNS   nsubj    4 militia
        backed    VERB:VBN   acl      0 back
        by        ADP:IN     agent    1
        Iran      PROPN:NNP  pobj     2
        attacked  VERB:VBD   ROOT     4 attack
    """)
    f = facts(parsed, actors={(0, 1): MILITIA})
    assert ids(backed_by(parsed[1], f, cues, kb)) == [("GOV-IR", "supports", "MILITIA")]


def test_backed_by_in_a_relative_clause_supports_the_name_before_which(
    cues: RelationCues, kb: ActorKB
) -> None:
    parsed = tree("""
        Hezbollah PROPN:NNP  ROOT      0
        ,         PUNCT:,    punct     0
        which     PRON:WDT   nsubjpass 4
        is        AUX:VBZ    auxpass   4 be
        supported VERB:VBN   relcl     0 support
        by        ADP:IN     agent     4
        Iran      PROPN:NNP  pobj      5
    """)
    f = facts(parsed, actors={(0, 1): HEZBOLLAH})
    assert ids(backed_by(parsed[4], f, cues, kb)) == [("GOV-IR", "supports", "HEZBOLLAH")]


def test_support_verb_subject_supports_object(cues: RelationCues, kb: ActorKB) -> None:
    parsed = tree("""
        Iran      PROPN:NNP  nsubj 1
        supports  VERB:VBZ   ROOT  1 support
        Hezbollah PROPN:NNP  dobj  1
    """)
    f = facts(parsed, actors={(2, 3): HEZBOLLAH})
    assert ids(support_verb(parsed[1], f, cues, kb)) == [("GOV-IR", "supports", "HEZBOLLAH")]


def test_ally_noun_referent_supports_its_owner_and_a_proxy_the_reverse(
    cues: RelationCues, kb: ActorKB
) -> None:
    ally = tree("""
        Russia    PROPN:NNP  ROOT  0
        ,         PUNCT:,    punct 0
        Assad     PROPN:NNP  poss  5
        's        PART:POS   case  2
        main      ADJ:JJ     amod  5
        ally      NOUN:NN    appos 0
    """)
    f = facts(ally, actors={(2, 3): actor("ASSAD", "person")})
    assert ids(ally_noun(ally[5], f, cues, kb)) == [("GOV-RU", "supports", "ASSAD")]
    proxy = tree("""
        Hezbollah PROPN:NNP  ROOT  0
        ,         PUNCT:,    punct 0
        a         DET:DT     det   3
        proxy     NOUN:NN    appos 0
        of        ADP:IN     prep  3
        Iran      PROPN:NNP  pobj  4
    """)
    f = facts(proxy, actors={(0, 1): HEZBOLLAH})
    assert ids(ally_noun(proxy[3], f, cues, kb)) == [("GOV-IR", "supports", "HEZBOLLAH")]


def test_allies_together_are_allied_with_each_other(cues: RelationCues, kb: ActorKB) -> None:
    parsed = tree("""
        Russia    PROPN:NNP  nsubj 3
        and       CCONJ:CC   cc    0
        Iran      PROPN:NNP  conj  0
        are       AUX:VBP    ROOT  3 be
        allies    NOUN:NNS   attr  3 ally
    """)
    f = facts(parsed)
    assert ids(allies_together(parsed[4], f, cues, kb)) == [("GOV-RU", "allied_with", "GOV-IR")]
    assert ally_noun(parsed[4], f, cues, kb) == []  # no owner: nobody's ally in particular
    # Through the stage: one relation, its sides in id order, the sentence as evidence.
    [relation] = extract_relations(f, cues=cues, events=[], kb=kb)
    assert (relation.subject, relation.predicate, relation.object) == (
        "GOV-IR",
        "allied_with",
        "GOV-RU",
    )
    assert relation.evidence[0].quote == parsed.text.strip()


def test_part_noun_referent_is_part_of_the_of_object(cues: RelationCues, kb: ActorKB) -> None:
    parsed = tree("""
        HTS       PROPN:NNP  ROOT  0
        ,         PUNCT:,    punct 0
        a         DET:DT     det   3
        faction   NOUN:NN    appos 0
        of        ADP:IN     prep  3
        al-Qaeda  PROPN:NNP  pobj  4
    """)
    f = facts(parsed, actors={(0, 1): HTS, (5, 6): AQ})
    assert ids(part_noun(parsed[3], f, cues, kb)) == [("HTS", "part_of", "AQ")]


def test_composed_of_groups_not_people_and_not_led_by(cues: RelationCues, kb: ActorKB) -> None:
    including = """
        rebels    NOUN:NNS   ROOT  0 rebel
        ,         PUNCT:,    punct 0
        including VERB:VBG   prep  0 include
        {name}    PROPN:NNP  pobj  2
    """
    parsed = tree(including.format(name="HTS"))
    f = facts(parsed, actors={(0, 1): REBELS, (3, 4): HTS})
    assert ids(composed_of(parsed[2], f, cues, kb)) == [("HTS", "part_of", "SYR-REBELS")]
    # "including Souran", a town the model took for a person: a force is not made of people.
    parsed = tree(including.format(name="Souran"))
    f = facts(parsed, actors={(0, 1): REBELS, (3, 4): actor("SOURAN", "person")})
    assert composed_of(parsed[2], f, cues, kb) == []
    led = tree("""
        rebels    NOUN:NNS   ROOT  0 rebel
        led       VERB:VBN   acl   0 led
        by        ADP:IN     agent 1
        HTS       PROPN:NNP  pobj  2
    """)
    f = facts(led, actors={(0, 1): REBELS, (3, 4): HTS})
    assert composed_of(led[1], f, cues, kb) == []


def test_hostile_event_sides_oppose_each_other_but_not_civilians(kb: ActorKB) -> None:
    parsed = tree("""
        HTS       PROPN:NNP  nsubj 1
        attacked  VERB:VBD   ROOT  1 attack
        troops    NOUN:NNS   dobj  1 troop
    """)
    f = facts(parsed, actors={(0, 1): HTS})
    kind = EventType("BATTLE", None, None, 0, (), (), {}, {})

    def candidate(**fields: object) -> Candidate:
        battle = event("d", kind=("Battles", "Armed clash", "FIGHT"), **fields)
        return Candidate(battle, 3.0, 0, kind, trigger=1)

    battle = candidate(actor1="HTS", actor2="MIL-SY")
    assert ids(hostile_event(battle, f, kb)) == [("HTS", "opposes", "MIL-SY")]
    assert hostile_event(candidate(actor1="HTS", actor2="CIV-SY"), f, kb) == []
    assert hostile_event(candidate(actor1="HTS"), f, kb) == []
