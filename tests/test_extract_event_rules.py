"""Tests for sitroom.extract.event_fields, the rules that build one event, on hand-built parses
(test_extract_events.py runs whole sentences through the model)."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import actor, facts, place, tree
from sitroom.extract.actors import ActorMention
from sitroom.extract.event_fields import (
    asked_of,
    by_actor,
    codes,
    context_date,
    event_date,
    in_passing,
    lead,
    nearest,
    negated,
    no_act,
    not_the_scene,
    outside_own_clause,
    outside_participle,
    pooled_arguments,
    speaker_acts,
    toll_denied,
)
from sitroom.extract.facts import CasualtyHit, DateHit
from sitroom.knowledge.cues import CueLexicon, CueMatch

REBELS, ARMY, HTS = actor("SYR-REBELS"), actor("MIL-SY", "state_forces"), actor("HTS")
RUSSIA = actor("GOV-RU", "state")
PUBLISHED = dt.date(2024, 12, 2)


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon.load()


def mention(start: int, who: str, kind: str = "armed_group") -> ActorMention:
    return ActorMention(start, start + 1, actor(who, kind), "name")


def test_negated_by_not_by_no_or_by_the_governing_verb_s_not(lexicon: CueLexicon) -> None:
    not_attack = tree("""
        Rebels  NOUN:NNS nsubj 3 rebel
        did     AUX:VBD  aux   3 do
        not     PART:RB  neg   3
        attack  VERB:VB  ROOT  3
    """)
    no_clashes = tree("""
        No       DET:DT   det      1
        clashes  NOUN:NNS nsubjpass 3 clash
        were     AUX:VBD  auxpass  3 be
        reported VERB:VBN ROOT     3 report
    """)
    not_intend = tree("""
        Turkey    PROPN:NNP nsubj 3
        does      AUX:VBZ   aux   3 do
        not       PART:RB   neg   3
        intend    VERB:VB   ROOT  3
        to        PART:TO   aux   5
        intervene VERB:VB   xcomp 3
    """)
    not_in = tree("""
        Germany       PROPN:NNP nsubj 3
        is            AUX:VBZ   aux   3 be
        not           PART:RB   neg   3
        participating VERB:VBG  ROOT  3 participate
        in            ADP:IN    prep  3
        any           DET:DT    det   6
        airstrikes    NOUN:NNS  pobj  4 airstrike
    """)
    in_ = tree("""
        Germany       PROPN:NNP nsubj 1
        participated  VERB:VBD  ROOT  1 participate
        in            ADP:IN    prep  1
        airstrikes    NOUN:NNS  pobj  2 airstrike
    """)
    assert negated(not_attack[3], lexicon)
    assert negated(no_clashes[1], lexicon)
    assert negated(not_intend[5], lexicon)
    assert not negated(no_clashes[3], lexicon)  # "no" negates the noun, not the reporting
    assert negated(not_in[6], lexicon)  # a noun by the "not" of the verb its phrase completes
    assert not negated(in_[3], lexicon)


def test_no_act_a_type_without_codes_a_condition_or_an_attempt(lexicon: CueLexicon) -> None:
    attacked = tree("""
        Rebels   NOUN:NNS nsubj 1 rebel
        attacked VERB:VBD ROOT  1 attack
    """)
    if_attack = tree("""
        if      SCONJ:IN mark  2
        rebels  NOUN:NNS nsubj 2 rebel
        attack  VERB:VBP advcl 4
        ,       PUNCT:,  punct 4
        Turkey  PROPN:NNP ROOT 4
    """)
    tried = tree("""
        Rebels  NOUN:NNS nsubj 1 rebel
        tried   VERB:VBD ROOT  1 try
        to      PART:TO  aux   3
        enter   VERB:VB  xcomp 1
    """)
    if_truce = tree("""
        if          SCONJ:IN  mark      4
        a           DET:DT    det       2
        ceasefire   NOUN:NN   nsubjpass 4
        is          AUX:VBZ   auxpass   4 be
        implemented VERB:VBN  advcl     5 implement
        monitors    NOUN:NNS  ROOT      5 monitor
    """)
    clash, flood = lexicon.types["ARMED_CLASH"], lexicon.types["NATURAL_DISASTER"]
    assert no_act(if_truce[2], lexicon.types["AGREEMENT"], lexicon)  # a noun by its verb's "if"
    assert not no_act(attacked[1], clash, lexicon)
    assert no_act(attacked[1], flood, lexicon)  # typed only so as not to be an attack
    assert no_act(if_attack[2], clash, lexicon)
    assert no_act(tried[1], clash, lexicon)


def test_pooled_triggers_share_their_arguments(lexicon: CueLexicon) -> None:
    parsed = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        attacked VERB:VBD  ROOT  1 attack
        and      CCONJ:CC  cc    1
        shelled  VERB:VBD  conj  1 shell
        HTS      PROPN:NNP dobj  3
    """)
    f = facts(parsed, actors={(0, 1): REBELS, (4, 5): HTS})
    group = [
        CueMatch(1, 2, "attack", "trigger", "attacked"),
        CueMatch(3, 4, "artillery", "trigger", "shelled"),
    ]
    agents, patients = pooled_arguments(parsed[1], group, f, lexicon)
    assert ([m.actor.id for m in agents], [m.actor.id for m in patients]) == (
        ["SYR-REBELS"],
        ["HTS"],
    )


def test_lead_is_the_first_actor_and_the_others_are_associates_once_each() -> None:
    mentions = [mention(0, "HTS"), mention(2, "SYR-REBELS"), mention(4, "HTS")]
    mentions.append(mention(6, "SYR-REBELS"))
    assert lead(mentions) == ("HTS", ("SYR-REBELS",))
    assert lead([]) == (None, ())


def test_event_date_from_the_sentence_else_the_publication_week() -> None:
    tuesday = DateHit(5, 7, "on Tuesday", dt.date(2024, 11, 26), "day", False)
    early = DateHit(5, 9, "early in the war", None, "unknown", True)
    vague = DateHit(5, 6, "recently", None, "unknown", False)
    assert event_date(tuesday, PUBLISHED) == (
        dt.date(2024, 11, 26),
        "day",
        "date from 'on Tuesday'",
    )
    assert event_date(early, PUBLISHED) == (None, "unknown", "date from 'early in the war'")
    assert event_date(vague, PUBLISHED) == (
        PUBLISHED,
        "week",
        "date: publication date (no date in the sentence)",
    )
    assert event_date(None, None) == (None, "unknown", "")


def test_who_acts_is_not_the_scene_whom_a_statement_is_about_neither(
    lexicon: CueLexicon,
) -> None:
    parsed = tree("""
        Israel    PROPN:NNP nsubj 1
        struck    VERB:VBD  ROOT  1 strike
        Hezbollah PROPN:NNP dobj  1
    """)
    f = facts(parsed, actors={(0, 1): actor("GOV-IL", "state"), (2, 3): actor("HEZ")})
    agents, patients = [f.actors[0]], [f.actors[1]]
    sent = parsed[:]
    clause = set(range(3))
    strike, verbal = lexicon.types["AIR_STRIKE"], lexicon.types["VERBAL_ACT"]
    assert not_the_scene(f, parsed[1], sent, clause, strike, agents, patients) == {0}
    assert not_the_scene(f, parsed[1], sent, clause, verbal, agents, patients) == {0, 2}


def test_a_country_asked_for_something_is_not_where_a_town_evacuated_from_is() -> None:
    parsed = tree("""
        Assad    PROPN:NNP nsubj 1
        sought   VERB:VBD  ROOT  1 seek
        support  NOUN:NN   dobj  1
        from     ADP:IN    prep  1
        Russia   PROPN:NNP pobj  3
        and      CCONJ:CC  cc    4
        Hama     PROPN:NNP conj  4
    """)
    f = facts(
        parsed, places={(4, 5): place("Russia", 2017370, "country"), (6, 7): place("Hama", 1)}
    )
    assert asked_of(f, parsed[1], parsed[:]) == {4}
    assert asked_of(f, parsed[2], parsed[:]) == set()  # "from" hangs on the verb


def test_places_outside_the_own_clause_or_in_an_adverbial_around_it() -> None:
    parsed = tree("""
        as       SCONJ:IN  mark  3
        threats  NOUN:NNS  nsubj 3 threat
        Damascus PROPN:NNP npadvmod 1
        grew     VERB:VBD  advcl 5 grow
        Assad    PROPN:NNP nsubj 5
        turned   VERB:VBD  ROOT  5 turn
        to       ADP:IN    prep  5
        Moscow   PROPN:NNP pobj  6
    """)
    f = facts(parsed, places={(2, 3): place("Damascus", 170654), (7, 8): place("Moscow", 524901)})
    own = {4, 5, 6, 7}
    assert outside_own_clause(f, parsed[5], parsed[:], own) == {2}


def test_a_conjoined_verb_shares_its_first_verb_s_places() -> None:
    parsed = tree("""
        Assad    PROPN:NNP nsubj 1
        reached  VERB:VBD  ROOT  1 reach
        Moscow   PROPN:NNP dobj  1
        and      CCONJ:CC  cc    1
        was      AUX:VBD   auxpass 5 be
        granted  VERB:VBN  conj  1 grant
        asylum   NOUN:NN   dobj  5
    """)
    f = facts(parsed, places={(2, 3): place("Moscow", 524901)})
    assert outside_own_clause(f, parsed[5], parsed[:], {4, 5, 6}) == set()


def test_a_participle_as_an_adjective_tells_an_act_in_passing() -> None:
    parsed = tree("""
        the        DET:DT   det   2
        retreating VERB:VBG amod  2 retreat
        army       NOUN:NN  ROOT  2
    """)
    assert in_passing(parsed[1])
    assert not in_passing(parsed[2])


def test_by_actor_a_government_capturing_regains_territory(lexicon: CueLexicon) -> None:
    capture = lexicon.types["NON_STATE_ACTOR_OVERTAKES_TER"]
    assert by_actor(capture, [mention(0, "MIL-SY", "state_forces")], lexicon).label == (
        "GOV_REGAINS_TERIT"
    )
    assert by_actor(capture, [mention(0, "HTS")], lexicon) is capture
    assert by_actor(capture, [], lexicon) is capture


def test_codes_in_passing_refused_or_planned(lexicon: CueLexicon) -> None:
    parsed = tree("""
        the        DET:DT   det   2
        retreating VERB:VBG amod  2 retreat
        army       NOUN:NN  nsubj 4
        will       AUX:MD   aux   4
        withdraw   VERB:VB  ROOT  4
    """)
    withdrawal = lexicon.types["NON_VIOL_TERRIT_TRANSFER"]
    at = [CueMatch(4, 5, "withdraw", "trigger", "withdraw")]
    passing = [CueMatch(1, 2, "withdraw", "trigger", "retreating")]
    told = codes(withdrawal, parsed[4], at, [], lexicon, refusal=None, status="reported")
    assert told == (*withdrawal.acled, "RETREAT", None)  # type: ignore[misc]
    in_passing = codes(withdrawal, parsed[1], passing, [], lexicon, refusal=None, status="reported")
    assert in_passing == (None, None, "RETREAT", None)
    refused = codes(
        withdrawal, parsed[4], at, [], lexicon, refusal=("REJECT", None), status="reported"
    )
    assert refused == (None, None, "REJECT", None)
    planned = codes(withdrawal, parsed[4], at, [], lexicon, refusal=None, status="planned")
    assert planned == (*withdrawal.acled, "THREATEN", None)  # type: ignore[misc]


def test_context_date_is_the_last_day_of_the_news_named_before() -> None:
    parsed = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        attacked VERB:VBD  ROOT  1 attack
        Tuesday  PROPN:NNP npadvmod 1
        .        PUNCT:.   punct 1
        Soldiers NOUN:NNS  nsubj 5 soldier
        fled     VERB:VBD  ROOT  5 flee
        .        PUNCT:.   punct 5
        Talks    NOUN:NNS  nsubj 8 talk
        failed   VERB:VBD  ROOT  8 fail
    """)
    tuesday = DateHit(2, 3, "Tuesday", dt.date(2024, 11, 26), "day", False)
    f = facts(parsed, dates=[tuesday])
    second, third = list(parsed.sents)[1:]
    assert context_date(f, second) == tuesday
    assert context_date(f, next(iter(parsed.sents))) is None  # nothing named before it
    # A background period or a month is no day of the news.
    for other in (
        DateHit(2, 3, "in 2015", dt.date(2015, 1, 1), "year", True),
        DateHit(2, 3, "in November", dt.date(2024, 11, 1), "month", False),
    ):
        assert context_date(facts(parsed, dates=[other]), third) is None


def test_a_participle_s_act_is_not_dated_by_the_clause_it_hangs_from() -> None:
    parsed = tree("""
        schoolgirls NOUN:NNS  nsubjpass 5 schoolgirl
        kidnapped   VERB:VBN  acl       0 kidnap
        in          ADP:IN    prep      1
        Zamfara     PROPN:NNP pobj      2
        were        AUX:VBD   auxpass   5 be
        freed       VERB:VBN  ROOT      5 free
        Tuesday     PROPN:NNP npadvmod  5
    """)
    sent = parsed[:]
    kidnapped, freed, tuesday = parsed[1], parsed[5], parsed[6]
    day = DateHit(6, 7, "Tuesday", dt.date(2021, 3, 2), "day", False)
    # "Tuesday" dates the freeing, not the kidnapping told in the participle before it.
    assert outside_participle(tuesday, kidnapped)
    assert nearest([day], kidnapped.i, sent, set()) is None
    assert nearest([day], freed.i, sent, set()) == day
    assert not outside_participle(parsed[3], kidnapped)  # inside it
    assert not outside_participle(tuesday, freed)  # the main verb is no participle
    # A period well before publication still sets the participle's act in the past.
    background = DateHit(6, 7, "in 2014", dt.date(2014, 1, 1), "year", True)
    assert nearest([background], kidnapped.i, sent, set()) == background
    # A noun's finite clause ("Tuesday's announcement that Ukraine had agreed") is no participle.
    finite = tree("""
        Tuesday      PROPN:NNP poss  1
        announcement NOUN:NN   ROOT  1
        that         SCONJ:IN  mark  5
        Ukraine      PROPN:NNP nsubj 5
        had          AUX:VBD   aux   5 have
        agreed       VERB:VBN  acl   1 agree
    """)
    assert not outside_participle(finite[0], finite[5])


def test_a_state_that_tells_its_own_passive_act_made_it(lexicon: CueLexicon) -> None:
    parsed = tree("""
        Police    NOUN:NNS  nsubj    1 police
        said      VERB:VBD  ROOT     1 say
        people    NOUN:NNS  nsubjpass 4 people
        were      AUX:VBD   auxpass  4 be
        detained  VERB:VBN  ccomp    1 detain
    """)
    police = actor("POL-SY", "police")
    f = facts(parsed, actors={(0, 1): police})
    arrests = lexicon.types["ARREST"]
    assert speaker_acts(parsed[4], arrests, "POL-SY", f) == "POL-SY"
    # Not a violent act ("the army said five civilians were killed"), not an armed group's
    # word, not without a claimant.
    assert speaker_acts(parsed[4], lexicon.types["ATTACK"], "POL-SY", f) is None
    rebels = facts(parsed, actors={(0, 1): REBELS})
    assert speaker_acts(parsed[4], arrests, "SYR-REBELS", rebels) is None
    assert speaker_acts(parsed[4], arrests, None, f) is None


@pytest.mark.parametrize(("negation", "denied"), [("n't", True), ("also", False)])
def test_a_toll_whose_verb_is_negated_is_no_toll(negation: str, denied: bool) -> None:
    # "She didn't kill 100 fighters" tells no toll; "She also killed 100 fighters" does.
    dep = "neg" if denied else "advmod"
    said = tree(f"""
        She        PRON:PRP  nsubj 2
        {negation} PART:RB   {dep} 2
        kill       VERB:VB   ROOT  2
        100        NUM:CD    nummod 4
        fighters   NOUN:NNS  dobj  2 fighter
    """)
    hit = CasualtyHit(2, 5, "100", 100, "killed", 9, 26, "fighters")
    assert toll_denied(facts(said), hit) is denied
