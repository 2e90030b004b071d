"""Tests for sitroom.extract.incidents: which mentions tell an incident and which incident each
tells, on hand-built parses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from spacy.tokens import Span

from factories import actor, event, facts, parse, place, tree
from sitroom.extract.events import Candidate
from sitroom.extract.facts import DateHit, DocFacts
from sitroom.extract.incidents import group_incidents, tells_incident
from sitroom.knowledge.actors import ActorKB
from sitroom.knowledge.cues import CueLexicon, CueMatch
from sitroom.pipeline import Resources, analyze_docs
from sitroom.records import Document, Location

IED = ("Explosions/Remote violence", "Remote explosive/landmine/IED", "ASSAULT")
CLASH = ("Battles", "Armed clash", "FIGHT")
TAKEN = ("Battles", "Non-state actor overtakes territory", "FIGHT")


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon.load()


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def _told(table: str, i: int, lexicon: CueLexicon) -> bool:
    parsed = tree(table)
    return tells_incident(parsed[i], facts(parsed), lexicon.incident_cues)


def test_an_act_going_on_tells_no_incident(lexicon: CueLexicon) -> None:
    going_on = """
        Rebels    NOUN:NNS nsubj 3 rebel
        have      AUX:VBP  aux   3
        been      AUX:VBN  aux   3 be
        attacking VERB:VBG ROOT  3 attack
        convoys   NOUN:NNS dobj  3 convoy
    """
    assert not _told(going_on, 3, lexicon)


def test_a_speaker_s_simple_present_tells_no_incident(lexicon: CueLexicon) -> None:
    # '"Israel attacks the Muslims in Jerusalem," Erdogan said': a charge, not one act.
    quoted = """
        "       PUNCT:``  punct 2
        Israel  PROPN:NNP nsubj 2
        attacks VERB:VBZ  ccomp 6 attack
        Muslims PROPN:NNPS dobj 2 Muslims
        ,       PUNCT:,   punct 2
        "       PUNCT:''  punct 2
        said    VERB:VBD  ROOT  6 say
    """
    assert not _told(quoted, 2, lexicon)


def test_an_act_told_as_frequent_tells_no_incident(lexicon: CueLexicon) -> None:
    frequently = """
        The        DET:DT   det       1
        truce      NOUN:NN  nsubjpass 4
        was        AUX:VBD  auxpass   4 be
        frequently ADV:RB   advmod    4
        broken     VERB:VBN ROOT      4 break
        by         ADP:IN   agent     4
        the        DET:DT   det       7
        shelling   NOUN:NN  pobj      5
    """
    assert not _told(frequently, 7, lexicon)
    once = frequently.replace("frequently ADV:RB   advmod    4", "again      ADV:RB   advmod    4")
    assert _told(once, 7, lexicon)


def test_a_wave_of_acts_tells_no_incident(lexicon: CueLexicon) -> None:
    wave = """
        A           DET:DT   det   1
        wave        NOUN:NN  nsubj 4
        of          ADP:IN   prep  1
        kidnappings NOUN:NNS pobj  2 kidnapping
        hit         VERB:VBD ROOT  4
        Kano        PROPN:NNP dobj 4
    """
    assert not _told(wave, 3, lexicon)


def test_a_bare_plural_is_one_act_only_when_told_as_one_past_occasion(lexicon: CueLexicon) -> None:
    ramped = """
        The     DET:DT   det   1
        BLA     PROPN:NNP nsubj 3
        has     AUX:VBZ  aux   3 have
        ramped  VERB:VBN ROOT  3 ramp
        up      ADP:RP   prt   3
        attacks NOUN:NNS dobj  3 attack
    """
    assert not _told(ramped, 5, lexicon)  # the present perfect sums up a campaign
    fired = ramped.replace("has     AUX:VBZ  aux   3 have", "had     AUX:VBD  aux   3 have")
    assert _told(fired, 5, lexicon)  # the past perfect tells one occasion
    simple = """
        Police   NOUN:NNS nsubj 1 police
        fired    VERB:VBD ROOT  1 fire
        grenades NOUN:NNS dobj  1 grenade
    """
    assert _told(simple, 2, lexicon)


def test_a_bare_singular_tells_one_act(lexicon: CueLexicon) -> None:
    under = """
        The    DET:DT   det   1
        train  NOUN:NN  nsubj 2
        came   VERB:VBD ROOT  2 come
        under  ADP:IN   prep  2
        attack NOUN:NN  pobj  3
    """
    assert _told(under, 4, lexicon)


def test_a_penalty_someone_faces_tells_no_incident(lexicon: CueLexicon) -> None:
    faces = """
        He     PRON:PRP nsubj 1
        faces  VERB:VBZ ROOT  1 face
        five   NUM:CD   nummod 3
        years  NOUN:NNS dobj  1 year
        in     ADP:IN   prep  3
        jail   NOUN:NN  pobj  4
    """
    assert not _told(faces, 5, lexicon)
    sent = faces.replace("faces  VERB:VBZ ROOT  1 face", "spent  VERB:VBD ROOT  1 spend")
    assert _told(sent, 5, lexicon)


def test_a_step_that_readies_an_act_tells_no_incident(lexicon: CueLexicon) -> None:
    # "possibly setting the stage for a major clash": the parser hangs "for" on the verb.
    readied = """
        setting VERB:VBG ROOT  0 set
        the     DET:DT   det   2
        stage   NOUN:NN  dobj  0
        for     ADP:IN   prep  0
        a       DET:DT   det   6
        major   ADJ:JJ   amod  6
        clash   NOUN:NN  pobj  3
    """
    assert not _told(readied, 6, lexicon)
    # "the army pulled back after a major clash": what the phrase hangs from is no step ahead
    after = readied.replace("stage   NOUN:NN  dobj  0", "troops  NOUN:NNS dobj  0 troop")
    assert _told(after.replace("for     ADP:IN", "after   ADP:IN"), 6, lexicon)


PASSIVE = """
    Airstrikes NOUN:NNS nsubjpass 2 airstrike
    {be}       AUX:{tag} auxpass  2 be
    launched   VERB:VBN ROOT      2 launch
    only       ADV:RB   advmod    4
    there      ADV:RB   advmod    2
"""


def test_an_act_in_the_simple_present_passive_is_a_habit(lexicon: CueLexicon) -> None:
    # "the coalition's airstrikes are launched only where Kurdish forces are": how it is done
    assert not _told(PASSIVE.format(be="are", tag="VBP"), 0, lexicon)
    # "airstrikes were launched": one past occasion
    assert _told(PASSIVE.format(be="were", tag="VBD"), 0, lexicon)
    # ... and a present passive with a toll, a day or a town is one occurrence told in the
    # present ("three are killed in Kirkuk")
    parsed = tree(PASSIVE.format(be="are", tag="VBP"))
    kirkuk = {(4, 5): place("Kirkuk", 94787, country="IQ")}
    found = facts(parsed, places=kirkuk)
    assert tells_incident(parsed[0], found, lexicon.incident_cues)


def test_a_deed_charged_tells_no_incident(lexicon: CueLexicon) -> None:
    count = """
        He         PRON:PRP nsubj  1
        faces      VERB:VBZ ROOT   1 face
        one        NUM:CD   nummod 3
        count      NOUN:NN  dobj   1
        of         ADP:IN   prep   3
        destroying VERB:VBG pcomp  4 destroy
        records    NOUN:NNS dobj   5 record
    """
    assert not _told(count, 5, lexicon)
    accuses = """
        Officials NOUN:NNS nsubj 1 official
        accuse    VERB:VBP ROOT  1
        the       DET:DT   det   3
        group     NOUN:NN  dobj  1
        of        ADP:IN   prep  3
        looting   NOUN:NN  pobj  4 looting
        villages  NOUN:NNS dobj  5 village
    """
    assert not _told(accuses, 5, lexicon)  # "of" hangs from the accused, not the verb


def test_an_aim_in_the_infinitive_tells_no_incident(lexicon: CueLexicon) -> None:
    aim = """
        Groups    NOUN:NNS nsubj 2 group
        have      AUX:VBP  aux   2
        exploited VERB:VBN ROOT  2 exploit
        chaos     NOUN:NN  dobj  2
        to        PART:TO  aux   5
        recruit   VERB:VB  advcl 2
        fighters  NOUN:NNS dobj  5 fighter
    """
    assert not _told(aim, 5, lexicon)
    managed = aim.replace("exploited VERB:VBN ROOT  2 exploit", "managed   VERB:VBN ROOT  2 manage")
    assert _told(managed, 5, lexicon)  # "managed to recruit" tells it was done
    moved = """
        The   DET:DT   det   1
        army  NOUN:NN  nsubj 2
        moved VERB:VBD ROOT  2 move
        to    PART:TO  aux   4
        seize VERB:VB  advcl 2
        Hama  PROPN:NNP dobj 4
    """
    # A past move told with the place it took; "recruited fighters to fight" is the aim.
    parsed = tree(moved)
    seize = CueMatch(4, 5, "capture", "trigger", "seize")
    assert tells_incident(parsed[4], facts(parsed, cues=[seize]), lexicon.incident_cues)
    fight = CueMatch(4, 5, "clash", "trigger", "fight")
    assert not tells_incident(parsed[4], facts(parsed, cues=[fight]), lexicon.incident_cues)


def test_a_bare_gerund_that_sums_up_tells_no_incident(lexicon: CueLexicon) -> None:
    forced = """
        Fighting NOUN:NN  nsubj 2 fighting
        has      AUX:VBZ  aux   2 have
        forced   VERB:VBN ROOT  2 force
        thousands NOUN:NNS dobj 2 thousand
        to       PART:TO  aux   5
        flee     VERB:VB  xcomp 2
    """
    assert not _told(forced, 0, lexicon)
    broke = """
        Fighting NOUN:NN  nsubj 1 fighting
        broke    VERB:VBD ROOT  1 break
        out      ADP:RP   prt   1
    """
    assert _told(broke, 0, lexicon)


def test_a_bomber_tells_an_act_only_by_a_verb_of_acting(lexicon: CueLexicon) -> None:
    holding = """
        bombers  NOUN:NNS nsubj 2 bomber
        were     AUX:VBD  aux   2 be
        holding  VERB:VBG ROOT  2 hold
        hostages NOUN:NNS dobj  2 hostage
    """
    assert not _told(holding, 0, lexicon)
    blew = """
        a      DET:DT   det   1
        bomber NOUN:NN  nsubj 2
        blew   VERB:VBD ROOT  2 blow
        himself PRON:PRP dobj 2
        up     ADP:RP   prt   2
    """
    assert _told(blew, 1, lexicon)


# Two sentences: "A bomb hit Kabul. The blast killed three." and variants.
# "A bomb hit Kabul.": the first sentence of the two-sentence parses below (tokens 0-4).
BOMB_HIT_KABUL = """
    A     DET:DT    det   1
    bomb  NOUN:NN   nsubj 2
    hit   VERB:VBD  ROOT  2
    Kabul PROPN:NNP dobj  2
    .     PUNCT:.   punct 2
"""
TWO = (
    BOMB_HIT_KABUL
    + """
    {det} DET:DT    det   6
    blast NOUN:NN   nsubj 7
    shook VERB:VBD  ROOT  7 shake
    Herat PROPN:NNP dobj  7
    .     PUNCT:.   punct 7
"""
)


def _candidates(
    table: str, lexicon: CueLexicon, kinds: list[tuple[int, int, tuple[str, str, str], dict]]
) -> tuple[list[Candidate], DocFacts]:
    parsed = tree(table)
    told = facts(parsed)
    by_sub = {t.acled[1]: t for t in lexicon.types.values() if t.acled}
    out = []
    for sentence, trigger, kind, fields in kinds:
        sent = parsed[trigger].sent
        quote = {"quote": sent.text, "start": sent.start_char}
        ev = event(told.document, kind=kind, trigger=parsed[trigger].text, **quote, **fields)
        out.append(Candidate(ev, 3.0, sentence, by_sub[kind[1]], trigger))
    return out, told


def test_a_definite_re_mention_joins_the_incident(lexicon: CueLexicon, kb: ActorKB) -> None:
    cands, told = _candidates(TWO.format(det="The"), lexicon, [(0, 1, IED, {}), (1, 6, IED, {})])
    (incident,) = group_incidents(cands, told, lexicon=lexicon, kb=kb)
    assert [q.quote for q in incident.event.evidence] == [
        "A bomb hit Kabul .",
        "The blast shook Herat .",
    ]


KIDNAPPED_THEN_FREED = """
    Gunmen      NOUN:NNS  nsubj     1 gunman
    kidnapped   VERB:VBD  ROOT      1 kidnap
    schoolgirls NOUN:NNS  dobj      1 schoolgirl
    in          ADP:IN    prep      1
    Zamfara     PROPN:NNP pobj      3
    .           PUNCT:.   punct     1
    Police      NOUN:NNS  nsubj     7 police
    freed       VERB:VBD  ROOT      7 free
    the         DET:DT    det       10
    {count}     {tag}     {dep}     10
    girls       NOUN:NNS  dobj      7 girl
    ,           PUNCT:,   punct     10
    who         PRON:WP   nsubjpass 14
    were        AUX:VBD   auxpass   14 be
    kidnapped   VERB:VBN  relcl     10 kidnap
    Friday      PROPN:NNP npadvmod  14
    .           PUNCT:.   punct     7
"""


def test_an_act_said_of_parties_told_before_re_tells_their_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "Police freed the girls, who were kidnapped Friday": the girls are the schoolgirls taken
    # before, though the telling gives a day of its own
    friday = {"event_date": dt.date(2021, 2, 26), "date_precision": "day"}
    told = KIDNAPPED_THEN_FREED.format(count="young", tag="ADJ:JJ", dep="amod")
    cands, found = _candidates(told, lexicon, [(0, 1, ABDUCTED, {}), (1, 14, ABDUCTED, friday)])
    (incident,) = group_incidents(cands, found, lexicon=lexicon, kb=kb)
    assert len(incident.event.evidence) == 2
    # "the 279 girls, who were kidnapped Friday": a count introduces them
    counted = KIDNAPPED_THEN_FREED.format(count="279", tag="NUM:CD", dep="nummod")
    cands, found = _candidates(counted, lexicon, [(0, 1, ABDUCTED, {}), (1, 14, ABDUCTED, friday)])
    assert len(group_incidents(cands, found, lexicon=lexicon, kb=kb)) == 2


def test_another_blast_opens_a_new_incident(lexicon: CueLexicon, kb: ActorKB) -> None:
    cands, told = _candidates(
        TWO.format(det="Another"), lexicon, [(0, 1, IED, {}), (1, 6, IED, {})]
    )
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2


def test_a_time_word_before_a_re_mention_does_not_open_a_new_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "A bomb hit Kabul. Later, the blast shook Herat.": "the" refers back; only "another"
    # or "a second" in the noun's own phrase would tell a new one.
    later = (
        BOMB_HIT_KABUL
        + """
        Later ADV:RB    advmod 9
        ,     PUNCT:,   punct  9
        {det} DET:DT    det    8
        blast NOUN:NN   nsubj  9
        shook VERB:VBD  ROOT   9 shake
        Herat PROPN:NNP dobj   9
        .     PUNCT:.   punct  9
    """
    )
    cands, told = _candidates(later.format(det="the"), lexicon, [(0, 1, IED, {}), (1, 8, IED, {})])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1
    cands, told = _candidates(later.format(det="a"), lexicon, [(0, 1, IED, {}), (1, 8, IED, {})])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2


def test_a_second_act_of_the_type_needs_a_link(lexicon: CueLexicon, kb: ActorKB) -> None:
    kabul = Location("Kabul", 1, 34.5, 69.2, "AF", "Kabul", 1)
    herat = Location("Herat", 2, 34.3, 62.2, "AF", "Herat", 1)
    # "A blast shook Herat": no article that refers back, and a place of its own.
    cands, told = _candidates(
        TWO.format(det="A"),
        lexicon,
        [(0, 1, IED, {"location": kabul}), (1, 6, IED, {"location": herat})],
    )
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2
    # Told with nothing of its own, it is the same act again.
    cands, told = _candidates(
        TWO.format(det="A"), lexicon, [(0, 1, IED, {"location": kabul}), (1, 6, IED, {})]
    )
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_a_large_toll_told_again_is_the_same_incident(lexicon: CueLexicon, kb: ActorKB) -> None:
    # "A bomb hit Kabul. A blast shook Herat.", each telling the same 25 dead: one incident,
    # whatever the second is typed; a small toll told twice tells nothing (it recurs by chance).
    dead = {"fatalities": 25}
    cands, told = _candidates(
        TWO.format(det="A"), lexicon, [(0, 1, IED, dead), (1, 6, CLASH, dead)]
    )
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1
    two = {"fatalities": 2}
    cands, told = _candidates(TWO.format(det="A"), lexicon, [(0, 1, IED, two), (1, 6, IED, two)])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2
    # Told again further on (the second telling five sentences after the first), the toll
    # joins only an act of the same type: "last week's attack that left 12 dead" ... "the
    # killing of 12 people in an attack", not a roundup's "a car bomb killed 25" after a clash.
    for kinds, incidents in (([IED, IED], 1), ([IED, CLASH], 2)):
        told_far = [(0, 1, kinds[0], dead), (5, 6, kinds[1], dead)]
        cands, told = _candidates(TWO.format(det="A"), lexicon, told_far)
        assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == incidents


def test_another_in_a_clause_inside_the_phrase_opens_no_new_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "A bomb hit Kabul. She led a strike on them, wounding another five.": "another" belongs
    # to the clause's own act, not to the strike; "the arrest of another five" would.
    wounding = (
        BOMB_HIT_KABUL
        + """
        She      PRON:PRP  nsubj  6
        led      VERB:VBD  ROOT   6 lead
        a        DET:DT    det    8
        strike   NOUN:NN   dobj   6
        ,        PUNCT:,   punct  8
        wounding VERB:VBG  acl    8 wound
        {det}    DET:DT    amod   12
        five     NUM:CD    dobj   10
        .        PUNCT:.   punct  6
    """
    )
    kinds = [(0, 1, IED, {}), (1, 8, CLASH, {})]
    cands, told = _candidates(wounding.format(det="another"), lexicon, kinds)
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1
    of_another = wounding.replace(
        "wounding VERB:VBG  acl    8 wound", "of       ADP:IN    prep   8"
    )
    cands, told = _candidates(of_another.format(det="another"), lexicon, kinds)
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2


def test_a_neighboring_district_is_another_place(lexicon: CueLexicon, kb: ActorKB) -> None:
    # "A bomb hit Kabul. A blast shook neighboring Paghman district." (no gazetteer place)
    neighboring = (
        BOMB_HIT_KABUL
        + """
        The         DET:DT    det    6
        blast       NOUN:NN   nsubj  7
        shook       VERB:VBD  ROOT   7 shake
        neighboring VERB:VBG  amod   10 neighbor
        Paghman     PROPN:NNP compound 10
        district    NOUN:NN   dobj   7
        .           PUNCT:.   punct  7
    """
    )
    cands, told = _candidates(neighboring, lexicon, [(0, 1, IED, {}), (1, 6, IED, {})])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2


def test_damage_told_after_a_blast_is_its_outcome(lexicon: CueLexicon, kb: ActorKB) -> None:
    # "A bomb hit Kabul. Two cars were destroyed."
    destroyed = (
        BOMB_HIT_KABUL
        + """
        Two       NUM:CD    nummod    6
        cars      NOUN:NNS  nsubjpass 8 car
        were      AUX:VBD   auxpass   8 be
        destroyed VERB:VBN  ROOT      8 destroy
        .         PUNCT:.   punct     8
    """
    )
    looting = ("Strategic developments", "Looting/property destruction", "COERCE")
    cands, told = _candidates(destroyed, lexicon, [(0, 1, IED, {}), (1, 8, looting, {})])
    (incident,) = group_incidents(cands, told, lexicon=lexicon, kb=kb)
    assert incident.event.sub_event_type == IED[1]


def test_a_territory_type_yields_to_a_told_clash(lexicon: CueLexicon, kb: ActorKB) -> None:
    # "Fighters clashed with ISIL and took five positions."
    clashed = """
        Fighters  NOUN:NNS  nsubj 1 fighter
        clashed   VERB:VBD  ROOT  1 clash
        with      ADP:IN    prep  1
        ISIL      PROPN:NNP pobj  2
        and       CCONJ:CC  cc    1
        took      VERB:VBD  conj  1 take
        five      NUM:CD    nummod 7
        positions NOUN:NNS  dobj  5 position
    """
    cands, told = _candidates(clashed, lexicon, [(0, 1, CLASH, {}), (0, 5, TAKEN, {})])
    (incident,) = group_incidents(cands, told, lexicon=lexicon, kb=kb)
    assert incident.event.sub_event_type == "Armed clash"


def test_a_violent_act_told_with_nothing_of_its_own_re_tells_the_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    herat = Location("Herat", 2, 34.3, 62.2, "AF", "Herat", 1)
    # "A bomb hit Kabul. A blast shook Herat.", the second typed a clash: another sub-event
    # type of violence, no place, day, toll or perpetrator of its own.
    cands, told = _candidates(TWO.format(det="A"), lexicon, [(0, 1, IED, {}), (1, 6, CLASH, {})])
    (incident,) = group_incidents(cands, told, lexicon=lexicon, kb=kb)
    assert incident.event.sub_event_type == IED[1]
    # It re-tells the incident and does not type it, though ACLED's precedence would.
    cands, told = _candidates(TWO.format(det="A"), lexicon, [(0, 1, CLASH, {}), (1, 6, IED, {})])
    (incident,) = group_incidents(cands, told, lexicon=lexicon, kb=kb)
    assert incident.event.sub_event_type == CLASH[1]
    cands, told = _candidates(
        TWO.format(det="A"), lexicon, [(0, 1, IED, {}), (1, 6, CLASH, {"location": herat})]
    )
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2


def test_a_re_mention_is_dated_only_by_its_own_phrase(lexicon: CueLexicon, kb: ActorKB) -> None:
    # "A bomb hit Kabul on Monday. The blast shook Herat." where the second sentence names a
    # later day elsewhere than in the blast's phrase (a victim who died of it a day later).
    monday, wednesday = dt.date(2024, 5, 6), dt.date(2024, 5, 8)
    dates = [DateHit(9, 10, "Wednesday", wednesday, "day", False)]
    parsed = tree(TWO.format(det="The"))
    told = facts(parsed, dates=dates)
    cands, _ = _candidates(
        TWO.format(det="The"),
        lexicon,
        [
            (0, 1, IED, {"event_date": monday, "date_precision": "day"}),
            (1, 6, IED, {"event_date": wednesday, "date_precision": "day"}),
        ],
    )
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_a_year_in_a_re_mention_sentence_dates_its_verb_not_the_act(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "A bomb hit Kabul in 1974. The blast shook Herat in 1977": the second sentence's year is
    # its verb's ("a victim died in 1977 of injuries suffered during the attack"); the blast is
    # the bomb told again, though neither year is a day either mention is dated to.
    dates = [DateHit(3, 4, "1974", dt.date(1974, 1, 1), "year", False)]
    dates.append(DateHit(8, 9, "1977", dt.date(1977, 1, 1), "year", False))
    parsed = tree(TWO.format(det="The"))
    told = facts(parsed, dates=dates)
    cands, _ = _candidates(
        TWO.format(det="The"),
        lexicon,
        [
            (0, 1, IED, {"event_date": dt.date(1974, 1, 1), "date_precision": "year"}),
            (1, 6, IED, {"event_date": dt.date(1977, 1, 1), "date_precision": "year"}),
        ],
    )
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


CHANGED = ("Strategic developments", "Change to group/activity", "MOBILIZE")


def _one_act(
    table: str, lexicon: CueLexicon, kb: ActorKB, kind: tuple[str, str, str], **told: Any
) -> list[Candidate]:
    """The incidents of a one-sentence parse whose token 1 tells an act of ``kind``."""
    cands, _ = _candidates(table, lexicon, [(0, 1, kind, {})])
    return group_incidents(cands, facts(tree(table), **told), lexicon=lexicon, kb=kb)


SENT = """
    Authorities NOUN:NNS nsubj 1 authority
    dispatched  VERB:VBD ROOT  1 dispatch
    {what}      NOUN:NNS dobj  1
"""


def test_sending_what_is_no_force_is_no_mobilisation(lexicon: CueLexicon, kb: ActorKB) -> None:
    sent = CueMatch(1, 2, "mobilize", "trigger", "dispatch")
    assert _one_act(SENT.format(what="coffins"), lexicon, kb, CHANGED, cues=[sent]) == []
    # "Authorities dispatched reinforcements": a word of the concept's own context.
    context = CueMatch(2, 3, "mobilize", "context", "reinforcements")
    more = SENT.format(what="reinforcements")
    assert len(_one_act(more, lexicon, kb, CHANGED, cues=[sent, context])) == 1
    # "Authorities dispatched soldiers": an armed party the knowledge base knows.
    army = {(2, 3): actor("MIL-PK", kind="state_forces")}
    soldiers = SENT.format(what="soldiers")
    assert len(_one_act(soldiers, lexicon, kb, CHANGED, cues=[sent], actors=army)) == 1


JOINED = """
    Militias NOUN:NNS  nsubj 1 militia
    joined   VERB:VBD  ROOT  1 join
    {what}   PROPN:NNP dobj  1
"""


def test_joining_no_side_is_no_change_of_group(lexicon: CueLexicon, kb: ActorKB) -> None:
    assert _one_act(JOINED.format(what="talks"), lexicon, kb, CHANGED) == []
    # "Militias joined Assad": a party the knowledge base knows.
    assad = {(0, 1): actor("MILITIA", kind="militia")}
    assad[2, 3] = actor("PER-BASHAR-AL-ASSAD", kind="person")
    assert len(_one_act(JOINED.format(what="Assad"), lexicon, kb, CHANGED, actors=assad)) == 1


WITHDREW = """
    Mali     PROPN:NNP nsubj 1
    withdrew VERB:VBD  ROOT  1 withdraw
    from     ADP:IN    prep  1
    ECOWAS   PROPN:NNP pobj  2
"""
LEFT = ("Strategic developments", "Non-violent transfer of territory", "RETREAT")


def test_leaving_what_is_no_place_is_no_territorial_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    parsed = tree(WITHDREW)
    ecowas = {(3, 4): actor("ECOWAS", kind="organisation")}
    cands, _ = _candidates(WITHDREW, lexicon, [(0, 1, LEFT, {})])
    assert group_incidents(cands, facts(parsed, actors=ecowas), lexicon=lexicon, kb=kb) == []
    # "Mali withdrew from Menaka": a place the gazetteer knows.
    menaka = {(3, 4): place("Menaka", 2453348, country="ML")}
    (left,) = group_incidents(cands, facts(parsed, places=menaka), lexicon=lexicon, kb=kb)
    assert left.event.sub_event_type == LEFT[1]


CONTROL = """
    He       PRON:PRP  nsubj 1
    regained VERB:VBD  ROOT  1 regain
    control  NOUN:NN   dobj  1
    over     ADP:IN    prep  2
    {whose}  {tag}     {dep} 5
    {what}   NOUN:NN   pobj  3
"""
REGAINED = ("Battles", "Government regains territory", "FIGHT")


def test_a_hold_over_no_place_is_no_territorial_incident(lexicon: CueLexicon, kb: ActorKB) -> None:
    # "he has regained control over his health": a hold over what a person owns is a figure
    his = {"whose": "his", "tag": "PRON:PRP$", "dep": "poss"}
    assert _one_act(CONTROL.format(what="health", **his), lexicon, kb, REGAINED) == []
    # "... over the town": a place
    the = {"whose": "the", "tag": "DET:DT", "dep": "det"}
    assert len(_one_act(CONTROL.format(what="town", **the), lexicon, kb, REGAINED)) == 1


TAKEN_TO = """
    Gul      PROPN:NNP nsubjpass 2
    was      AUX:VBD   auxpass   2 be
    taken    VERB:VBN  ROOT      2 take
    to       ADP:IN    prep      2
    Kabul    PROPN:NNP pobj      3
"""


def test_a_person_taken_somewhere_takes_no_place(lexicon: CueLexicon, kb: ActorKB) -> None:
    parsed = tree(TAKEN_TO)
    kabul = {(4, 5): place("Kabul", 1138958, country="AF")}
    cands, _ = _candidates(TAKEN_TO, lexicon, [(0, 2, TAKEN, {})])
    gul = {(0, 1): actor("new:gul", kind="person")}
    found = facts(parsed, actors=gul, places=kabul)
    assert group_incidents(cands, found, lexicon=lexicon, kb=kb) == []
    # "Kabul was taken": the place itself
    town = TAKEN_TO.replace("Gul      PROPN:NNP nsubjpass 2", "Town     NOUN:NN   nsubjpass 2 town")
    cands, _ = _candidates(town, lexicon, [(0, 2, TAKEN, {})])
    parsed = tree(town)
    assert len(group_incidents(cands, facts(parsed, places=kabul), lexicon=lexicon, kb=kb)) == 1


# -- end to end: the grouping is on by default (sitroom.toml: incidents = false turns it off) --

REPORT = (
    "A car bomb exploded at a market in Kirkuk on Monday, killing three people. Police said the "
    'bombing was the deadliest in the city this year. "The blast that killed 3 shook the whole '
    'street," a witness said.'
)


@pytest.fixture
def grouping(resources: Resources) -> Resources:
    assert resources.incidents  # the default
    return resources


@pytest.fixture
def mentions(resources: Resources) -> Resources:
    return dataclasses.replace(resources, incidents=False)


@pytest.mark.slow
def test_one_bombing_told_three_times_is_one_incident(
    grouping: Resources, mentions: Resources
) -> None:
    document = Document("d", "d", REPORT, published=dt.date(2024, 5, 7))
    analysis = next(analyze_docs([document], resources=grouping))
    (bombing,) = [e for e in analysis.events if e.event_type]
    assert bombing.sub_event_type == "Remote explosive/landmine/IED"
    assert [q.quote.split()[1] for q in bombing.evidence] == ["car", "said", "blast"]
    assert bombing.id == analysis.main_event
    assert len(analysis.event_mentions) == 3  # each telling, with its own quote
    # Off, every mention is an event of its own.
    plain = next(analyze_docs([document], resources=mentions))
    assert len([e for e in plain.events if e.event_type]) == 3


@pytest.mark.slow
def test_a_generic_sentence_is_a_mention_but_no_incident(grouping: Resources) -> None:
    text = "Rebels have been attacking aid convoys on the northern road."
    analysis = next(analyze_docs([Document("g", "g", text)], resources=grouping))
    assert not [e for e in analysis.events if e.event_type]
    (mention,) = analysis.event_mentions
    assert mention.sub_event_type == "Armed clash"


@pytest.mark.slow
def test_a_heading_line_tells_no_incident(grouping: Resources) -> None:
    text = (
        "Rebels shelled Kafr Nabl on Monday, killing two people.\nCollapsed ceasefire\n"
        "Talks between the sides had stalled for weeks."
    )
    analysis = next(analyze_docs([Document("h", "h", text)], resources=grouping))
    quotes = [q.quote for e in analysis.events if e.event_type for q in e.evidence]
    assert not any("Collapsed ceasefire" in q for q in quotes)
    assert any("shelled" in q for q in quotes)


ABDUCTED = ("Violence against civilians", "Abduction/forced disappearance", "ASSAULT")
HOSTAGES = """
    Gunmen   NOUN:NNS nsubj 1 gunman
    {verb}   VERB:VBD ROOT  1 {lemma}
    hostages NOUN:NNS dobj  1 hostage
"""


def test_captives_alone_tell_no_kidnapping(lexicon: CueLexicon, kb: ActorKB) -> None:
    # "Gunmen held hostages": captives, a state; "Gunmen seized hostages": the act.
    held = HOSTAGES.format(verb="held", lemma="hold")
    cands, told = _candidates(held, lexicon, [(0, 2, ABDUCTED, {})])
    assert group_incidents(cands, told, lexicon=lexicon, kb=kb) == []
    seized = HOSTAGES.format(verb="seized", lemma="seize")
    cands, told = _candidates(seized, lexicon, [(0, 2, ABDUCTED, {})])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


FOUGHT = """
    Militants NOUN:NNS  nsubj 1 militant
    fought    VERB:VBD  ROOT  1 fight
    {prep}    ADP:IN    prep  1
    {what}    PROPN:NNP pobj  2
"""


def test_fighting_for_a_party_is_allegiance_not_an_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    fight = CueMatch(1, 2, "clash", "trigger", "fight")
    isis = {(3, 4): actor("IS", kind="armed_group")}
    for_isis = FOUGHT.format(prep="for", what="ISIS")
    assert _one_act(for_isis, lexicon, kb, CLASH, cues=[fight], actors=isis) == []
    # "fought against ISIS" is a fight; "fought for Aleppo" names no party.
    against = FOUGHT.format(prep="against", what="ISIS")
    assert len(_one_act(against, lexicon, kb, CLASH, cues=[fight], actors=isis)) == 1
    for_aleppo = FOUGHT.format(prep="for", what="Aleppo")
    assert len(_one_act(for_aleppo, lexicon, kb, CLASH, cues=[fight])) == 1


BANNED = """
    Authorities NOUN:NNS nsubj 1 authority
    banned      VERB:VBD ROOT  1 ban
    {what}      NOUN:NNS dobj  1
"""


def test_banning_what_is_no_group_is_no_change_of_group(lexicon: CueLexicon, kb: ActorKB) -> None:
    ban = CueMatch(1, 2, "group_change", "trigger", "ban")
    assert _one_act(BANNED.format(what="imports"), lexicon, kb, CHANGED, cues=[ban]) == []
    # "Authorities banned the parties": a party the knowledge base knows.
    party = {(2, 3): actor("POL-X", kind="political")}
    parties = BANNED.format(what="parties")
    assert len(_one_act(parties, lexicon, kb, CHANGED, cues=[ban], actors=party)) == 1
    # "A curfew was imposed": a curfew changes no one in particular, and stays a change.
    curfew = """
        A       DET:DT   det       1
        curfew  NOUN:NN  nsubjpass 3
        was     AUX:VBD  auxpass   3 be
        imposed VERB:VBN ROOT      3 impose
    """
    cue = CueMatch(1, 2, "group_change", "trigger", "curfew")
    assert len(_one_act(curfew, lexicon, kb, CHANGED, cues=[cue])) == 1


def test_a_fight_of_people_who_bear_no_arms_is_a_figure_of_speech(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    fight = CueMatch(1, 2, "clash", "trigger", "fight")
    lawmakers = FOUGHT.format(prep="over", what="tariffs").replace("Militants", "Lawmakers")
    lawmakers = lawmakers.replace("militant", "lawmaker")
    assert _one_act(lawmakers, lexicon, kb, CLASH, cues=[fight]) == []
    # an armed party in the sentence makes it a fight: "Lawmakers fought ISIS"
    isis = {(3, 4): actor("IS", kind="armed_group")}
    armed = lawmakers.replace("tariffs", "ISIS")
    assert len(_one_act(armed, lexicon, kb, CLASH, cues=[fight], actors=isis)) == 1


def test_a_modifier_or_an_opponent_makes_a_fight_a_figure_of_speech(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    offensive = """
        They      PRON:PRP  nsubj 1
        launched  VERB:VBD  ROOT  1 launch
        a         DET:DT    det   4
        {adj}     ADJ:JJ    amod  4
        offensive NOUN:NN   dobj  1
        with      ADP:IN    prep  1
        {foe}     NOUN:NN   pobj  5
    """
    kinds = [(0, 4, CLASH, {})]
    political = offensive.format(adj="political", foe="troops")
    assert group_incidents(*_candidates(political, lexicon, kinds), lexicon=lexicon, kb=kb) == []
    cancer = offensive.format(adj="new", foe="cancer")
    assert group_incidents(*_candidates(cancer, lexicon, kinds), lexicon=lexicon, kb=kb) == []
    real = offensive.format(adj="new", foe="troops")
    assert len(group_incidents(*_candidates(real, lexicon, kinds), lexicon=lexicon, kb=kb)) == 1


def test_a_fight_s_participle_that_says_who_a_party_is_tells_no_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "Fighters battling ISIS arrived": who the fighters are; "Fighters battled ISIS": a fight.
    battling = """
        Fighters NOUN:NNS  nsubj 3 fighter
        battling VERB:VBG  acl   0 battle
        ISIS     PROPN:NNP dobj  1
        arrived  VERB:VBD  ROOT  3 arrive
    """
    fight = CueMatch(1, 2, "clash", "trigger", "battling")
    assert _one_act(battling, lexicon, kb, CLASH, cues=[fight]) == []
    battled = """
        Fighters NOUN:NNS  nsubj 1 fighter
        battled  VERB:VBD  ROOT  1 battle
        ISIS     PROPN:NNP dobj  1
    """
    assert len(_one_act(battled, lexicon, kb, CLASH, cues=[fight])) == 1


AGREED = ("Strategic developments", "Agreement", "AGREE")


def test_an_accord_s_noun_tells_one_made_only_under_a_verb_of_making(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    standing = """
        The      DET:DT   det   2
        proposed VERB:VBN amod  2 propose
        deal     NOUN:NN  nsubj 3
        has      VERB:VBZ ROOT  3 have
        backing  NOUN:NN  dobj  3
    """
    deal = [CueMatch(2, 3, "agreement", "trigger", "deal")]
    cands, told = _candidates(standing, lexicon, [(0, 2, AGREED, {})])
    told = facts(tree(standing), cues=deal)
    assert group_incidents(cands, told, lexicon=lexicon, kb=kb) == []
    signed = """
        They    PRON:PRP nsubj 1
        signed  VERB:VBD ROOT  1 sign
        a       DET:DT   det   3
        deal    NOUN:NN  dobj  1
    """
    deal = [CueMatch(3, 4, "agreement", "trigger", "deal")]
    cands, _ = _candidates(signed, lexicon, [(0, 3, AGREED, {})])
    told = facts(tree(signed), cues=deal)
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


ARRESTED = ("Strategic developments", "Arrests", "COERCE")
IN_CUSTODY = """
    The     DET:DT   det   1
    men     NOUN:NNS nsubj 2 man
    {verb}  VERB:VBP ROOT  2 {lemma}
    in      ADP:IN   prep  2
    custody NOUN:NN  pobj  3
"""


def test_held_in_custody_over_time_tells_no_arrest(lexicon: CueLexicon, kb: ActorKB) -> None:
    custody = [CueMatch(4, 5, "arrest", "trigger", "custody")]
    for verb, lemma, found in (("remain", "remain", 0), ("are", "be", 1)):
        table = IN_CUSTODY.format(verb=verb, lemma=lemma)
        cands, _ = _candidates(table, lexicon, [(0, 4, ARRESTED, {})])
        told = facts(tree(table), cues=custody)
        # "The men remain in custody": held; "the men are in custody" may tell a recent arrest
        assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == found


def test_an_act_recalled_as_the_start_of_the_news_tells_no_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    since = """
        Attacks    NOUN:NNS nsubj 1 attack
        rose       VERB:VBD ROOT  1 rise
        since      ADP:IN   prep  1
        the        DET:DT   det   4
        withdrawal NOUN:NN  pobj  2
    """
    left = ("Strategic developments", "Non-violent transfer of territory", "RETREAT")
    cands, told = _candidates(since, lexicon, [(0, 4, left, {})])
    assert group_incidents(cands, told, lexicon=lexicon, kb=kb) == []
    aftermath = """
        Defences  NOUN:NNS nsubj 1 defence
        rose      VERB:VBD ROOT  1 rise
        in        ADP:IN   prep  1
        the       DET:DT   det   4
        aftermath NOUN:NN  pobj  2
        of        ADP:IN   prep  4
        the       DET:DT   det   7
        fall      NOUN:NN  pobj  5
    """
    cands, told = _candidates(aftermath, lexicon, [(0, 7, TAKEN, {})])
    assert group_incidents(cands, told, lexicon=lexicon, kb=kb) == []


def test_a_crowd_an_act_of_violence_aims_at_is_no_protest(lexicon: CueLexicon, kb: ActorKB) -> None:
    struck = """
        Jets      NOUN:NNS nsubj 1 jet
        launched  VERB:VBD ROOT  1 launch
        a         DET:DT   det   3
        strike    NOUN:NN  dobj  1
        {prep}    ADP:IN   prep  {head}
        a         DET:DT   det   6
        gathering NOUN:NN  pobj  4
    """
    protest = ("Protests", "Peaceful protest", "PROTEST")
    cues = [
        CueMatch(3, 4, "air", "trigger", "strike"),
        CueMatch(6, 7, "protest", "trigger", "gathering"),
    ]
    on = struck.format(prep="on", head=3)
    cands, _ = _candidates(on, lexicon, [(0, 6, protest, {})])
    assert group_incidents(cands, facts(tree(on), cues=cues), lexicon=lexicon, kb=kb) == []
    # "Jets launched a strike after a gathering": the gathering is no target
    after = struck.format(prep="after", head=1)
    cands, _ = _candidates(after, lexicon, [(0, 6, protest, {})])
    assert len(group_incidents(cands, facts(tree(after), cues=cues), lexicon=lexicon, kb=kb)) == 1
    # "Jets launched a strike on a protest": force against protesters, a protest event
    demo = on.replace("gathering NOUN:NN  pobj  4", "protest   NOUN:NN  pobj  4")
    cands, _ = _candidates(demo, lexicon, [(0, 6, protest, {})])
    assert len(group_incidents(cands, facts(tree(demo), cues=cues), lexicon=lexicon, kb=kb)) == 1


def test_a_person_joining_a_group_is_no_change_of_group(lexicon: CueLexicon, kb: ActorKB) -> None:
    isis = {(2, 3): actor("IS", kind="armed_group")}
    he = JOINED.format(what="ISIS").replace("Militias NOUN:NNS", "He       PRON:PRP")
    assert _one_act(he, lexicon, kb, CHANGED, actors=isis) == []
    militias = {**isis, (0, 1): actor("MILITIA", kind="militia")}
    they = JOINED.format(what="ISIS")
    assert len(_one_act(they, lexicon, kb, CHANGED, actors=militias)) == 1


def test_a_ban_that_names_nothing_banned_is_no_change_of_group(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    ban = """
        The     DET:DT   det   1
        ban     NOUN:NN  nsubj 2
        angered VERB:VBD ROOT  2 anger
        traders NOUN:NNS dobj  2 trader
    """
    cue = [CueMatch(1, 2, "group_change", "trigger", "ban")]
    cands, _ = _candidates(ban, lexicon, [(0, 1, CHANGED, {})])
    assert group_incidents(cands, facts(tree(ban), cues=cue), lexicon=lexicon, kb=kb) == []
    on_party = """
        The     DET:DT   det   1
        ban     NOUN:NN  nsubj 5
        on      ADP:IN   prep  1
        the     DET:DT   det   4
        party   NOUN:NN  pobj  2
        angered VERB:VBD ROOT  5 anger
    """
    party = {(4, 5): actor("POL-X", kind="political")}
    cands, _ = _candidates(on_party, lexicon, [(0, 1, CHANGED, {})])
    told = facts(tree(on_party), cues=cue, actors=party)
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_a_state_that_has_lasted_tells_no_incident(lexicon: CueLexicon) -> None:
    lasted = """
        Kobane  PROPN:NNP nsubj 2
        has     AUX:VBZ   aux   2 have
        been    AUX:VBN   ROOT  2 be
        under   ADP:IN    prep  2
        assault NOUN:NN   pobj  3
    """
    assert not _told(lasted, 4, lexicon)
    was = lasted.replace("has     AUX:VBZ   aux   2 have", "then    ADV:RB    advmod 2")
    assert _told(was.replace("AUX:VBN   ROOT", "AUX:VBD   ROOT"), 4, lexicon)


def test_a_person_taken_somewhere_is_no_place_taken(lexicon: CueLexicon, kb: ActorKB) -> None:
    taken_to = """
        Baghdadi PROPN:NNP nsubjpass 2
        was      AUX:VBD   auxpass   2 be
        taken    VERB:VBN  ROOT      2 take
        to       ADP:IN    prep      2
        hospital NOUN:NN   pobj      3
    """
    parsed = tree(taken_to)
    cands, _ = _candidates(taken_to, lexicon, [(0, 2, TAKEN, {})])
    assert len(group_incidents(cands, facts(parsed), lexicon=lexicon, kb=kb)) == 1
    parsed.ents = [Span(parsed, 0, 1, label="PERSON")]
    assert group_incidents(cands, facts(parsed), lexicon=lexicon, kb=kb) == []


def test_signing_what_is_no_accord_is_no_agreement(lexicon: CueLexicon, kb: ActorKB) -> None:
    signed = """
        Letters NOUN:NNS  nsubjpass 2 letter
        were    AUX:VBD   auxpass   2 be
        signed  VERB:VBN  ROOT      2 sign
    """
    sign = CueMatch(2, 3, "agreement", "trigger", "signed")
    cands, _ = _candidates(signed, lexicon, [(0, 2, AGREED, {})])
    assert group_incidents(cands, facts(tree(signed), cues=[sign]), lexicon=lexicon, kb=kb) == []
    # "Pacts were signed": the object is an accord's word
    pacts = signed.replace(
        "Letters NOUN:NNS  nsubjpass 2 letter", "Pacts   NOUN:NNS  nsubjpass 2 pact"
    )
    cues = [sign, CueMatch(0, 1, "agreement", "trigger", "pacts")]
    cands, _ = _candidates(pacts, lexicon, [(0, 2, AGREED, {})])
    assert len(group_incidents(cands, facts(tree(pacts), cues=cues), lexicon=lexicon, kb=kb)) == 1


def test_fighting_for_years_tells_no_incident(lexicon: CueLexicon) -> None:
    fought = """
        They    PRON:PRP nsubj 2
        have    AUX:VBP  aux   2 have
        fought  VERB:VBN ROOT  2 fight
        for     ADP:IN   prep  2
        {span}  NOUN:NNS pobj  3
    """
    assert not _told(fought.format(span="years"), 2, lexicon)
    assert _told(
        fought.format(span="hours").replace("have    AUX:VBP  aux", "then    ADV:RB   advmod"),
        2,
        lexicon,
    )


def test_territory_taken_over_a_period_sums_many_captures(lexicon: CueLexicon, kb: ActorKB) -> None:
    seized = """
        ISIS     PROPN:NNP nsubj 2
        has      AUX:VBZ   aux   2 have
        seized   VERB:VBN  ROOT  2 seize
        territory NOUN:NN  dobj  2
        {when}
    """
    over = """
        over     ADP:IN    prep  2
        the      DET:DT    det   7
        past     ADJ:JJ    amod  7
        year     NOUN:NN   pobj  4
    """
    table = seized.format(when=over)
    cands, told = _candidates(table, lexicon, [(0, 2, TAKEN, {})])
    assert group_incidents(cands, told, lexicon=lexicon, kb=kb) == []
    on_monday = """
        on       ADP:IN    prep  2
        Monday   PROPN:NNP pobj  4
    """
    table = seized.format(when=on_monday).replace(
        "has      AUX:VBZ   aux   2 have", "then     ADV:RB    advmod 2"
    )
    cands, told = _candidates(table, lexicon, [(0, 2, TAKEN, {})])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_a_recruit_is_a_person_recruiting_an_act(lexicon: CueLexicon) -> None:
    person = """
        He      PRON:PRP nsubj 1
        was     AUX:VBD  ROOT  1 be
        a       DET:DT   det   3
        recruit NOUN:NN  attr  1
    """
    assert not _told(person, 3, lexicon)
    act = """
        Militants NOUN:NNS nsubj 1 militant
        recruited VERB:VBD ROOT  1 recruit
        fighters  NOUN:NNS dobj  1 fighter
    """
    assert _told(act, 1, lexicon)


def test_one_person_s_fight_or_a_loose_word_of_fighting_without_arms_is_a_figure(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    fight = CueMatch(1, 2, "clash", "trigger", "fight")
    he = FOUGHT.format(prep="against", what="charges").replace(
        "Militants NOUN:NNS", "He        PRON:PRP"
    )
    assert _one_act(he, lexicon, kb, CLASH, cues=[fight]) == []
    engaged = """
        Teenagers NOUN:NNS  nsubj 1 teenager
        engaged   VERB:VBD  ROOT  1 engage
        with      ADP:IN    prep  1
        {what}    NOUN:NNS  pobj  2
    """
    engage = CueMatch(1, 2, "clash", "trigger", "engage")
    screens = engaged.format(what="screens")
    assert _one_act(screens, lexicon, kb, CLASH, cues=[engage]) == []
    # an armed party in the sentence makes it a fight: "Teenagers engaged with militants"
    militants = engaged.format(what="militants")
    armed = {(3, 4): actor("MILITANTS", kind="armed_group")}
    assert len(_one_act(militants, lexicon, kb, CLASH, cues=[engage], actors=armed)) == 1


def test_captives_told_after_an_attack_are_its_own_and_do_not_type_it(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    table = """
        Gunmen   NOUN:NNS nsubj 1 gunman
        attacked VERB:VBD ROOT  1 attack
        a        DET:DT   det   3
        train    NOUN:NN  dobj  1
        .        PUNCT:.  punct 1
        They     PRON:PRP nsubj 6
        held     VERB:VBD ROOT  6 hold
        hostages NOUN:NNS dobj  6 hostage
        .        PUNCT:.  punct 6
    """
    attack = ("Violence against civilians", "Attack", "ASSAULT")
    cands, told = _candidates(table, lexicon, [(0, 1, attack, {}), (1, 7, ABDUCTED, {})])
    (incident,) = group_incidents(cands, told, lexicon=lexicon, kb=kb)
    assert incident.event.sub_event_type == "Attack"
    assert len(incident.event.evidence) == 2


def test_an_act_s_word_opening_a_hyphenated_modifier_tells_no_act(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    hardened = """
        They      PRON:PRP nsubj 1
        are       AUX:VBP  ROOT  1 be
        battle    NOUN:NN  npadvmod 4
        -         PUNCT:HYPH punct 4
        hardened  VERB:VBN amod  5 harden
        fighters  NOUN:NNS attr  1 fighter
    """
    parsed = tree(hardened)
    cands, _ = _candidates(hardened, lexicon, [(0, 2, CLASH, {})])
    # written "battle-hardened": no space around the hyphen
    joined = parse(
        [t.text for t in parsed],
        [t.head.i for t in parsed],
        [t.dep_ for t in parsed],
        pos=[t.pos_ for t in parsed],
        tags=[t.tag_ for t in parsed],
        lemmas=[t.lemma_ for t in parsed],
        spaces=[True, True, False, False, True, False],
    )
    assert group_incidents(cands, facts(joined), lexicon=lexicon, kb=kb) == []
    # "battle - hardened", spaced, is no compound
    assert len(group_incidents(cands, facts(parsed), lexicon=lexicon, kb=kb)) == 1


def test_control_a_fight_is_for_is_its_aim_not_a_capture(lexicon: CueLexicon, kb: ActorKB) -> None:
    table = """
        Fighters NOUN:NNS  nsubj 1 fighter
        battled  VERB:VBD  ROOT  1 battle
        for      ADP:IN    prep  1
        control  NOUN:NN   pobj  2
        of       ADP:IN    prep  3
        Kobani   PROPN:NNP pobj  4
    """
    fight = [CueMatch(1, 2, "clash", "trigger", "battled")]
    cands, _ = _candidates(table, lexicon, [(0, 3, TAKEN, {})])
    assert group_incidents(cands, facts(tree(table), cues=fight), lexicon=lexicon, kb=kb) == []


def test_a_fight_going_on_now_with_nothing_of_one_occurrence_is_the_war(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    table = """
        Women    NOUN:NNS  nsubj 2 woman
        are      AUX:VBP   aux   2 be
        battling VERB:VBG  ROOT  2 battle
        ISIS     PROPN:NNP dobj  2
        in       ADP:IN    prep  2
        {where}  PROPN:NNP pobj  4
    """
    fight = [CueMatch(2, 3, "clash", "trigger", "battling")]
    syria = table.format(where="Syria")
    cands, _ = _candidates(syria, lexicon, [(0, 2, CLASH, {})])
    country = {(5, 6): place("Syria", 163843, feature="country")}
    told = facts(tree(syria), cues=fight, places=country)
    assert group_incidents(cands, told, lexicon=lexicon, kb=kb) == []
    # "... in Kobani": a town makes it one occurrence
    kobani = table.format(where="Kobani")
    cands, _ = _candidates(kobani, lexicon, [(0, 2, CLASH, {})])
    town = {(5, 6): place("Kobani", 170000)}
    told = facts(tree(kobani), cues=fight, places=town)
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_a_fight_s_gerund_under_a_noun_or_an_adjective_names_the_activity(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    table = """
        They     PRON:PRP nsubj 1
        {head}
        in       ADP:IN   prep  {of}
        fighting VERB:VBG pobj  4 fight
        ISIS     PROPN:NNP dobj 5
    """
    fight = [CueMatch(5, 6, "clash", "trigger", "fighting")]
    role_in = table.format(
        head="played VERB:VBD ROOT 1 play\n        a DET:DT det 3\n        role NOUN:NN dobj 1",
        of=3,
    )
    cands, _ = _candidates(role_in, lexicon, [(0, 5, CLASH, {})])
    assert group_incidents(cands, facts(tree(role_in), cues=fight), lexicon=lexicon, kb=kb) == []
    # "They died ... in fighting ISIS": under a verb it may tell one
    died_in = table.format(
        head="died VERB:VBD ROOT 1 die\n        on ADV:RB advmod 1\n        then ADV:RB advmod 1",
        of=1,
    )
    cands, _ = _candidates(died_in, lexicon, [(0, 5, CLASH, {})])
    told = facts(tree(died_in), cues=fight)
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_acts_of_a_kind_judged_in_the_present_tell_no_incident(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "All the air strikes are not enough": what such acts are worth, not an incident.
    table = """
        All     DET:PDT  predet   3
        the     DET:DT   det      3
        air     NOUN:NN  compound 3
        strikes NOUN:NNS nsubj    4 strike
        are     AUX:VBP  ROOT     4 be
        not     PART:RB  neg      4
        {what}
    """
    enough = table.format(what="enough ADJ:JJ acomp 4")
    cands, _ = _candidates(enough, lexicon, [(0, 3, IED, {})])
    assert group_incidents(cands, facts(tree(enough)), lexicon=lexicon, kb=kb) == []
    # "... are not over": no predicate that judges them (a particle), so the rule stays out
    over = table.format(what="over ADP:RP prt 4")
    cands, _ = _candidates(over, lexicon, [(0, 3, IED, {})])
    assert len(group_incidents(cands, facts(tree(over)), lexicon=lexicon, kb=kb)) == 1
    # "The air strikes on Idlib are no answer": the phrase places them (one occasion, maybe)
    placed = """
        The     DET:DT    det      2
        air     NOUN:NN   compound 2
        strikes NOUN:NNS  nsubj    5 strike
        on      ADP:IN    prep     2
        Idlib   PROPN:NNP pobj     3
        are     AUX:VBP   ROOT     5 be
        no      DET:DT    det      7
        answer  NOUN:NN   attr     5
    """
    cands, _ = _candidates(placed, lexicon, [(0, 2, IED, {})])
    town = {(4, 5): place("Idlib", 169389)}
    told = facts(tree(placed), places=town)
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_an_act_whose_of_phrase_counts_its_patients_is_no_re_mention(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "A bomb hit Kabul. The army claimed the killing of 33 militants.": the article
    # introduces the killing by its count; "the killing of the militants" refers back.
    table = (
        BOMB_HIT_KABUL
        + """
        The      DET:DT    det   6
        army     NOUN:NN   nsubj 7
        claimed  VERB:VBD  ROOT  7 claim
        the      DET:DT    det   9
        killing  NOUN:NN   dobj  7
        of       ADP:IN    prep  9
        {count}
        militants NOUN:NNS pobj  10 militant
        .        PUNCT:.   punct 7
    """
    )
    toll = {"fatalities": 33}
    counted = table.format(count="33 NUM:CD nummod 12")
    cands, told = _candidates(counted, lexicon, [(0, 1, IED, {}), (1, 9, CLASH, toll)])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 2
    referred = table.format(count="the DET:DT det 12")
    cands, told = _candidates(referred, lexicon, [(0, 1, IED, {}), (1, 9, CLASH, toll)])
    assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == 1


def test_an_act_told_within_the_incident_told_before_joins_it(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "A bomb hit Kabul. Four men were killed in the incident.": the killing is the incident's
    # own; "in an incident" tells of another.
    table = (
        BOMB_HIT_KABUL
        + """
        Four     NUM:CD    nummod    6
        men      NOUN:NNS  nsubjpass 8 man
        were     AUX:VBD   auxpass   8 be
        killed   VERB:VBN  ROOT      8 kill
        in       ADP:IN    prep      8
        {det}    DET:DT    det       11
        incident NOUN:NN   pobj      9
        .        PUNCT:.   punct     8
    """
    )
    toll = {"fatalities": 4}
    for det, incidents in (("the", 1), ("an", 2)):
        text = table.format(det=det)
        cands, told = _candidates(text, lexicon, [(0, 1, IED, {}), (1, 8, CLASH, toll)])
        assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == incidents, det


def test_an_incident_only_named_ahead_is_the_first_telling_of_its_type(
    lexicon: CueLexicon, kb: ActorKB
) -> None:
    # "He left before the blast. A bomb hit Kabul, killing 12.": "the blast" named nothing of
    # its own, so the bombing told next is what it named; a blast named with a toll of its own
    # ("before the blast that killed three") is another.
    table = """
        He      PRON:PRP  nsubj 1
        left    VERB:VBD  ROOT  1 leave
        before  ADP:IN    prep  1
        the     DET:DT    det   4
        blast   NOUN:NN   pobj  2
        .       PUNCT:.   punct 1
        A       DET:DT    det   7
        bomb    NOUN:NN   nsubj 8
        hit     VERB:VBD  ROOT  8
        Kabul   PROPN:NNP dobj  8
        .       PUNCT:.   punct 8
    """
    kabul = Location("Kabul", 1, 34.5, 69.2, "AF", "Kabul", 1)
    told_after = {"location": kabul, "fatalities": 12}
    for ahead, incidents in (({}, 1), ({"fatalities": 3}, 2)):
        kinds = [(0, 4, IED, ahead), (1, 7, IED, told_after)]
        cands, told = _candidates(table, lexicon, kinds)
        assert len(group_incidents(cands, told, lexicon=lexicon, kb=kb)) == incidents, ahead
