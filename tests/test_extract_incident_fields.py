"""Tests for sitroom.extract.incident_fields: fields the stored events read from the document."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from factories import event, facts, place, tree
from sitroom.extract.actors import ActorMention
from sitroom.extract.events import Candidate
from sitroom.extract.facts import CasualtyHit, DateHit
from sitroom.extract.incident_fields import (
    dated_by_context,
    described_by_document,
    named_victims,
    one_dead,
    placed_in_town,
    self_acting,
    tolls_told_after,
    unnamed_parties,
)
from sitroom.extract.places import location_of
from sitroom.knowledge.actors import ActorKB
from sitroom.knowledge.cues import CueLexicon, CueMatch

PARSED = tree("""
    Rebels   NOUN:NNS  nsubj 1 rebel
    attacked VERB:VBD  ROOT  1 attack
    Tuesday  PROPN:NNP npadvmod 1
    .        PUNCT:.   punct 1
    Shells   NOUN:NNS  nsubj 5 shell
    fell     VERB:VBD  ROOT  5 fall
""")
LEXICON = CueLexicon.load()
TUESDAY = DateHit(2, 3, "Tuesday", dt.date(2024, 11, 26), "day", False)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def candidate(sentence: int, **fields: object) -> Candidate:
    told = event("doc", **fields)
    return Candidate(told, 3.0, sentence, LEXICON.types["ARMED_CLASH"], 5)


def test_an_incident_told_without_a_day_takes_the_one_told_before() -> None:
    # Dated to the publication's week (its stand-in for no date), published Monday 25 November.
    f = facts(PARSED, dates=[TUESDAY], published=dt.date(2024, 11, 25))
    week = candidate(
        1, event_type="Battles", event_date=dt.date(2024, 11, 25), date_precision="week"
    )
    [dated] = dated_by_context([week], f)
    assert (dated.event.event_date, dated.event.date_precision) == (TUESDAY.date, "day")
    assert "date from 'Tuesday', told before" in dated.event.notes
    # In a report with no publication date, an incident told with no date takes it too.
    [undated] = dated_by_context(
        [candidate(1, event_type="Battles")], facts(PARSED, dates=[TUESDAY])
    )
    assert (undated.event.event_date, undated.event.date_precision) == (TUESDAY.date, "day")
    # A verbal act, an incident with a day of its own, or one whose own date expression does
    # not resolve ("on Sunday" with no publication date), keeps its date.
    for kept in (
        candidate(0, event_type="Battles"),
        candidate(1, event_date=dt.date(2024, 11, 25), date_precision="week"),
        candidate(1, event_type="Battles", event_date=dt.date(2024, 11, 20), date_precision="day"),
        # "last week": a week the text names, not the publication's stand-in
        candidate(1, event_type="Battles", event_date=dt.date(2024, 11, 18), date_precision="week"),
    ):
        assert dated_by_context([kept], f) == [kept]


def test_an_incident_with_no_actor_has_acled_s_unnamed_party(kb: ActorKB) -> None:
    f = facts(PARSED, country="SY")
    hama = location_of(place("Hama", 170017), precision=1)
    violent = candidate(1, event_type="Explosions/Remote violence", location=hama)
    protest = candidate(1, event_type="Protests", location=hama)
    verbal = candidate(1)
    planned = candidate(1, event_type="Battles", status="planned")
    out = unnamed_parties([violent, protest, verbal, planned], f, kb=kb)
    names = [kb.get(c.event.actor1).name if c.event.actor1 else None for c in out]  # type: ignore[union-attr]
    # A protest keeps none: a shared "Protesters (Syria)" would read as agreement in the merge.
    assert names == ["Unidentified Armed Group (Syria)", None, None, None]
    # An arrest is the police's.
    arrests = ("Strategic developments", "Arrests", "ARREST")
    [arrest] = unnamed_parties([candidate(1, kind=arrests, location=hama)], f, kb=kb)
    assert arrest.event.actor1 == "POL-SY"


def test_an_incident_s_description_takes_the_group_the_document_names(kb: ActorKB) -> None:
    doc = tree("""
        Taliban  PROPN:NNP compound 1
        militants NOUN:NNS nsubj    2 militant
        died     VERB:VBD  ROOT     2 die
        .        PUNCT:.   punct    2
        Militants NOUN:NNS nsubj    5 militant
        attacked VERB:VBD  ROOT     5 attack
    """)
    f = facts(doc, country="AF")
    taliban, unnamed = kb.get("TALIBAN"), kb.generic("militants", country="AF")
    assert taliban is not None and unnamed is not None
    f.actors = [ActorMention(0, 2, taliban, "name"), ActorMention(4, 5, unnamed, "generic")]
    told = {"quote": doc[4:6].text, "start": doc[4].idx}
    attack = candidate(1, event_type="Battles", actor1=unnamed.id, **told)
    planned = candidate(1, event_type="Battles", actor1=unnamed.id, status="planned", **told)
    # A stand-in for a perpetrator the incident's own text does not describe stays unnamed.
    untold = candidate(0, event_type="Battles", actor1=unnamed.id, quote="Taliban")
    [named, kept, unnamed_kept] = described_by_document([attack, planned, untold], f, kb=kb)
    assert named.event.actor1 == "TALIBAN"
    assert (kept, unnamed_kept) == (planned, untold)


def test_an_incident_s_target_is_the_victims_its_toll_names(kb: ActorKB) -> None:
    f = facts(PARSED, country="PK")
    told = "Rebels attacked Tuesday ."
    f.casualties = [CasualtyHit(0, 1, "13", 13, "killed", 0, 10, "people")]
    bombing = candidate(0, event_type="Explosions/Remote violence", quote=told)
    clash = candidate(0, event_type="Battles", quote=told)
    abduction = candidate(4, event_type="Violence against civilians", quote="x", start=30)
    out = named_victims([bombing, clash, abduction], f, kb=kb)
    # The toll's "13 people" are civilians: the bombing's target, but no side of a battle;
    # violence against civilians is against civilians, whatever its toll.
    assert [c.event.actor2 for c in out] == ["CIV-PK", None, "CIV-PK"]
    f.casualties = [CasualtyHit(0, 1, "13", 13, "killed", 0, 10, "soldiers")]
    [fought] = named_victims([clash], f, kb=kb)
    assert fought.event.actor2 == "MIL-PK"
    # A toll told in the sentence right after the incident names its victims too.
    f.casualties = [CasualtyHit(4, 5, "13", 13, "killed", 26, 32, "soldiers")]
    [after] = named_victims([clash], f, kb=kb)
    assert after.event.actor2 == "MIL-PK"


def test_an_incident_without_a_toll_takes_the_tolls_told_right_after_it() -> None:
    doc = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        attacked VERB:VBD  ROOT  1 attack
        .        PUNCT:.   punct 1
        Ten      NUM:CD    nsubjpass 4 ten
        died     VERB:VBD  ROOT  4 die
        .        PUNCT:.   punct 4
        Five     NUM:CD    nsubjpass 7 five
        died     VERB:VBD  ROOT  7 die
        .        PUNCT:.   punct 7
        Rebels   NOUN:NNS  nsubj 10 rebel
        shelled  VERB:VBD  ROOT  10 shell
        .        PUNCT:.   punct 10
        Two      NUM:CD    nsubjpass 13 two
        died     VERB:VBD  ROOT  13 die
    """)
    f = facts(doc, cues=[CueMatch(10, 11, "SHELL", "trigger", "shelled")])

    def toll(start: int, number: int) -> CasualtyHit:
        return CasualtyHit(start, start + 2, str(number), number, "killed", doc[start].idx, 0)

    f.casualties = [toll(3, 10), toll(6, 5), toll(12, 2)]
    attack = candidate(0, event_type="Battles", quote="Rebels attacked .")
    [told] = tolls_told_after([attack], f)
    # Both sentences of tolls after the attack add up (the dead of every side); the sentence
    # that tells the shelling ends the run.
    assert (told.event.fatalities, told.event.fatalities_text) == (15, "10 + 5")
    # An incident with a toll of its own, or a verbal act, keeps what it has.
    tolled = candidate(0, event_type="Battles", quote="Rebels attacked .", fatalities=3)
    verbal = candidate(0, quote="Rebels attacked .")
    assert tolls_told_after([tolled, verbal], f) == [tolled, verbal]


def test_a_participle_s_act_falls_back_to_the_day_of_its_sentence() -> None:
    doc = tree("""
        schoolgirls NOUN:NNS  nsubjpass 4 schoolgirl
        kidnapped   VERB:VBN  acl       0 kidnap
        in          ADP:IN    prep      1
        Zamfara     PROPN:NNP pobj      2
        freed       VERB:VBN  ROOT      4 free
        Tuesday     PROPN:NNP npadvmod  4
    """)
    tuesday = DateHit(5, 6, "Tuesday", dt.date(2021, 3, 2), "day", False)
    published = dt.date(2021, 3, 2)
    f = facts(doc, dates=[tuesday], published=published)
    week = event("doc", event_type="Violence against civilians", event_date=published)
    week = replace(week, date_precision="week")
    kidnapping = Candidate(week, 3.0, 0, LEXICON.types["ARMED_CLASH"], 1)
    # No mention of the incident tells a day of its own: the act was done by Tuesday.
    [dated] = dated_by_context([kidnapping], f)
    assert (dated.event.event_date, dated.event.date_precision) == (tuesday.date, "day")
    assert "date from 'Tuesday', the date its sentence names" in dated.event.notes
    # One that a mention dates on its own ("kidnapped last Friday") keeps its day.
    friday = replace(week, event_date=dt.date(2021, 2, 26), date_precision="day")
    told = Candidate(friday, 3.0, 0, LEXICON.types["ARMED_CLASH"], 1)
    assert dated_by_context([told], f) == [told]


@pytest.mark.parametrize(
    ("table", "dead"),
    [
        # "the driver of the train has died"
        (
            """
            the    DET:DT    det   1
            driver NOUN:NN   nsubj 3 driver
            has    AUX:VBZ   aux   3 have
            died   VERB:VBN  ROOT  3 die
            """,
            1,
        ),
        # "Joseph was killed": a name
        (
            """
            Joseph PROPN:NNP nsubjpass 2
            was    AUX:VBD   auxpass   2 be
            killed VERB:VBN  ROOT      2 kill
            """,
            1,
        ),
        # "the attack killed his aide": what a killing verb acts on
        (
            """
            the    DET:DT    det   1
            attack NOUN:NN   nsubj 2 attack
            killed VERB:VBD  ROOT  2 kill
            his    PRON:PRP$ poss  4
            aide   NOUN:NN   dobj  2 aide
            """,
            1,
        ),
        # "rumours spread that Joseph was killed": hearsay
        (
            """
            rumours NOUN:NNS  nsubj     1 rumour
            spread  VERB:VBD  ROOT      1
            that    SCONJ:IN  mark      5
            Joseph  PROPN:NNP nsubjpass 5
            was     AUX:VBD   auxpass   5 be
            killed  VERB:VBN  ccomp     1 kill
            """,
            None,
        ),
        # "the driver has not died": negated
        (
            """
            the    DET:DT    det   1
            driver NOUN:NN   nsubj 4 driver
            has    AUX:VBZ   aux   4 have
            not    PART:RB   neg   4
            died   VERB:VBN  ROOT  4 die
            """,
            None,
        ),
        # "two guards died": counted by a figure already, not here
        (
            """
            two    NUM:CD    nummod 1
            guards NOUN:NNS  nsubj  2 guard
            died   VERB:VBD  ROOT   2 die
            """,
            None,
        ),
        # "the driver and a guard died": more than one
        (
            """
            the    DET:DT    det   1
            driver NOUN:NN   nsubj 5 driver
            and    CCONJ:CC  cc    1
            a      DET:DT    det   4
            guard  NOUN:NN   conj  1 guard
            died   VERB:VBD  ROOT  5 die
            """,
            None,
        ),
    ],
)
def test_an_incident_with_no_toll_counts_the_one_death_its_quotes_tell(
    table: str, dead: int | None
) -> None:
    doc = tree(table)
    f = facts(doc)
    attack = candidate(0, event_type="Battles", quote=doc.text)
    [told] = one_dead([attack], f)
    assert told.event.fatalities == dead
    # An incident with a toll, or a verbal act, keeps what it has.
    tolled = candidate(0, event_type="Battles", quote=doc.text, fatalities=3)
    verbal = candidate(0, quote=doc.text)
    assert one_dead([tolled, verbal], f) == [tolled, verbal]


def test_a_party_deployed_is_the_actor_of_its_deployment() -> None:
    f = facts(PARSED)
    change = ("Strategic developments", "Change to group/activity", "MOBILIZE")
    deployed = candidate(1, kind=change, actor2="MIL-FR")
    arrested = candidate(1, kind=("Strategic developments", "Arrests", "ARREST"), actor2="CIV-FR")
    [mover, kept] = self_acting([deployed, arrested], f)
    # "French soldiers were deployed": the soldiers changed their activity; "12 people were
    # arrested": the people are the target of someone else's act.
    assert (mover.event.actor1, mover.event.actor2) == ("MIL-FR", None)
    assert kept == arrested


def test_an_incident_at_a_region_takes_the_one_town_its_quotes_name_in_it() -> None:
    aleppo = place("Aleppo", 170063)
    syria = place("Syria", 163843, feature="country")
    f = facts(PARSED, places={(0, 1): aleppo})
    told = "Rebels attacked Tuesday ."
    at_country = location_of(syria, precision=3)
    vague = candidate(0, event_type="Battles", quote=told, location=at_country)
    [placed] = placed_in_town([vague], f)
    assert placed.event.location is not None and placed.event.location.name == "Aleppo"
    # A quote that names no town, or names a town in another country, leaves the country.
    shells = candidate(1, event_type="Battles", quote="Shells fell", start=26, location=at_country)
    abroad = candidate(
        0,
        event_type="Battles",
        quote=told,
        location=location_of(place("Turkey", 298795, feature="country", country="TR"), precision=3),
    )
    assert placed_in_town([shells, abroad], f) == [shells, abroad]
