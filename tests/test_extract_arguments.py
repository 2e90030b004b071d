"""Tests for sitroom.extract.arguments: who acted and who was acted on, on hand-built parses."""

from __future__ import annotations

import pytest
from spacy.tokens import Token

from factories import actor, facts, place, tree
from sitroom.extract.arguments import (
    _noun_arguments,
    _noun_verb,
    _trigger_preps,
    argument_mentions,
    arguments,
    borrowed_subject,
    gerund_subject,
    mentions_for,
    own_objects,
    own_subject,
    owners,
    participle_noun,
)
from sitroom.knowledge.cues import CueLexicon

REBELS, ARMY, HTS = actor("SYR-REBELS"), actor("MIL-SY", "state_forces"), actor("HTS")
TURKEY = actor("GOV-TR", "state")
NO_PREPS: frozenset[str] = frozenset()
ON = frozenset({"on"})


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon.load()


def texts(tokens: list[Token] | None) -> list[str] | None:
    return None if tokens is None else [t.text for t in tokens]


REBELS_SHELLED_IDLIB = tree("""
    Rebels   NOUN:NNS  nsubj 1 rebel
    shelled  VERB:VBD  ROOT  1 shell
    Idlib    PROPN:NNP dobj  1
""")


def test_own_subject_is_the_subject_the_passive_agent_or_a_relative_s_antecedent() -> None:
    shelled = REBELS_SHELLED_IDLIB
    assert texts(own_subject(shelled[0], shelled[1])) == ["Rebels"]
    assert own_subject(shelled[2], shelled[1]) is None  # an object is no subject
    passive = tree("""
        Idlib    PROPN:NNP nsubjpass 2
        was      AUX:VBD   auxpass   2 be
        shelled  VERB:VBN  ROOT      2 shell
        by       ADP:IN    agent     2
        rebels   NOUN:NNS  pobj      3 rebel
    """)
    assert texts(own_subject(passive[3], passive[2])) == ["rebels"]
    relative = tree("""
        rebels   NOUN:NNS  ROOT  0 rebel
        ,        PUNCT:,   punct 0
        who      PRON:WP   nsubj 3
        shelled  VERB:VBD  relcl 0 shell
        Idlib    PROPN:NNP dobj  3
    """)
    assert texts(own_subject(relative[2], relative[3])) == ["rebels"]


def test_own_objects_direct_after_a_patient_preposition_or_including() -> None:
    shelled = REBELS_SHELLED_IDLIB
    assert texts(own_objects(shelled[2], shelled[1], NO_PREPS, NO_PREPS)) == ["Idlib"]
    attacks = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        launched VERB:VBD  ROOT  1 launch
        attacks  NOUN:NNS  dobj  1 attack
        on       ADP:IN    prep  1
        Idlib    PROPN:NNP pobj  3
    """)
    assert texts(own_objects(attacks[3], attacks[1], ON, NO_PREPS)) == ["Idlib"]
    # A preposition whose objects act with the subject gives no patient.
    assert own_objects(attacks[3], attacks[1], ON, ON) == []


def test_participle_noun_acts_or_is_acted_on() -> None:
    retreating = tree("""
        the         DET:DT   det  2
        retreating  VERB:VBG amod 2 retreat
        army        NOUN:NN  ROOT 2
    """)
    assert texts(participle_noun(retreating[1])[0]) == ["army"]
    besieged = tree("""
        the       DET:DT   det  2
        besieged  VERB:VBN amod 2 besiege
        town      NOUN:NN  ROOT 2
    """)
    acting, acted_on = participle_noun(besieged[1])
    assert (acting, texts(acted_on)) == ([], ["town"])


def test_gerund_subject_is_the_subject_of_the_verb_the_preposition_hangs_on() -> None:
    parsed = tree("""
        Iran          PROPN:NNP nsubj 1
        responded     VERB:VBD  ROOT  1 respond
        by            ADP:IN    prep  1
        sending       VERB:VBG  pcomp 2 send
        reinforcements NOUN:NNS dobj  3 reinforcement
    """)
    assert texts(gerund_subject(parsed[3])) == ["Iran"]


def test_borrowed_subject_of_an_infinitive_its_controller_or_none_for_a_finite_clause() -> None:
    purpose = tree("""
        Turkey   PROPN:NNP nsubj 1
        entered  VERB:VBD  ROOT  1 enter
        Syria    PROPN:NNP dobj  1
        to       PART:TO   aux   4
        provide  VERB:VB   advcl 1
        support  NOUN:NN   dobj  4
    """)
    assert texts(borrowed_subject(purpose[4])) == ["Turkey"]
    ordered = tree("""
        Assad    PROPN:NNP nsubj 1
        ordered  VERB:VBD  ROOT  1 order
        troops   NOUN:NNS  dobj  1 troop
        to       PART:TO   aux   4
        withdraw VERB:VB   xcomp 1
    """)
    assert texts(borrowed_subject(ordered[4])) == ["troops"]
    finite = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        advanced VERB:VBD  ROOT  1 advance
        as       SCONJ:IN  mark  3
        troops   NOUN:NNS  nsubj 4 troop
        fled     VERB:VBD  advcl 1 flee
    """)
    assert borrowed_subject(finite[4]) == []


def test_arguments_of_a_verb(lexicon: CueLexicon) -> None:
    shelled = REBELS_SHELLED_IDLIB
    f = facts(shelled, actors={(0, 1): REBELS})
    agents, patients = arguments(shelled[1], f, lexicon)
    assert ([m.actor.id for m in agents], patients) == (["SYR-REBELS"], [])


def test_a_passive_s_agent_hung_on_the_phrase_before_it_acts(lexicon: CueLexicon) -> None:
    # "villagers were shot in their home by soldiers": the parser hangs "by" on "home"
    shot = tree("""
        villagers NOUN:NNS  nsubjpass 2 villager
        were      AUX:VBD   auxpass   2 be
        shot      VERB:VBN  ROOT      2 shoot
        in        ADP:IN    prep      2
        home      NOUN:NN   pobj      3
        by        ADP:IN    prep      4
        soldiers  NOUN:NNS  pobj      5 soldier
    """)
    f = facts(shot, actors={(6, 7): ARMY})
    agents, _ = arguments(shot[2], f, lexicon)
    assert [m.actor.id for m in agents] == ["MIL-SY"]
    # Not for an active verb: "soldiers shot villagers in a house by the river" keeps its own.
    active = tree("""
        Rebels    NOUN:NNS  nsubj 1 rebel
        shot      VERB:VBD  ROOT  1 shoot
        men       NOUN:NNS  dobj  1 man
        in        ADP:IN    prep  1
        camp      NOUN:NN   pobj  3
        by        ADP:IN    prep  4
        soldiers  NOUN:NNS  pobj  5 soldier
    """)
    f = facts(active, actors={(0, 1): REBELS, (6, 7): ARMY})
    agents, _ = arguments(active[1], f, lexicon)
    assert [m.actor.id for m in agents] == ["SYR-REBELS"]


def test_a_place_in_the_phrase_of_whom_is_where_not_whom(lexicon: CueLexicon) -> None:
    # "Rebels shelled hospitals in Aleppo, Syria": Syria (a country, an actor too) is where.
    shelled = tree("""
        Rebels    NOUN:NNS  nsubj 1 rebel
        shelled   VERB:VBD  ROOT  1 shell
        hospitals NOUN:NNS  dobj  1 hospital
        in        ADP:IN    prep  2
        Aleppo    PROPN:NNP pobj  3
        ,         PUNCT:,   punct 4
        Syria     PROPN:NNP appos 4
    """)
    syria = actor("GOV-SY", "state")
    f = facts(
        shelled,
        actors={(0, 1): REBELS, (6, 7): syria},
        places={(6, 7): place("Syria", 163843, "country")},
    )
    _, patients = arguments(shelled[1], f, lexicon)
    assert patients == []
    # A party's name that is no place of the gazetteer stays whom the act is done to.
    f = facts(shelled, actors={(0, 1): REBELS, (6, 7): syria})
    _, patients = arguments(shelled[1], f, lexicon)
    assert [m.actor.id for m in patients] == ["GOV-SY"]


def test_a_participle_joined_to_a_passive_shares_its_subject_as_acted_on(
    lexicon: CueLexicon,
) -> None:
    # "soldiers were ambushed, killed by rebels" (no auxiliary of its own): soldiers are killed
    killed = tree("""
        soldiers  NOUN:NNS  nsubjpass 2 soldier
        were      AUX:VBD   auxpass   2 be
        ambushed  VERB:VBN  ROOT      2 ambush
        ,         PUNCT:,   punct     2
        killed    VERB:VBN  advcl     2 kill
    """)
    f = facts(killed, actors={(0, 1): ARMY})
    agents, patients = arguments(killed[4], f, lexicon)
    assert ([m.actor.id for m in agents], [m.actor.id for m in patients]) == ([], ["MIL-SY"])
    # "rebels attacked and killed": an active head's subject still acts
    acted = tree("""
        rebels    NOUN:NNS  nsubj 1 rebel
        attacked  VERB:VBD  ROOT  1 attack
        and       CCONJ:CC  cc    1
        killed    VERB:VBN  conj  1 kill
    """)
    f = facts(acted, actors={(0, 1): REBELS})
    agents, _ = arguments(acted[3], f, lexicon)
    assert [m.actor.id for m in agents] == ["SYR-REBELS"]


def test_arguments_between_two_sides(lexicon: CueLexicon) -> None:
    parsed = tree("""
        clashes  NOUN:NNS  ROOT  0 clash
        between  ADP:IN    prep  0
        HTS      PROPN:NNP pobj  1
        and      CCONJ:CC  cc    2
        army     NOUN:NN   conj  2
    """)
    f = facts(parsed, actors={(2, 3): HTS, (4, 5): ARMY})
    agents, patients = arguments(parsed[0], f, lexicon)
    assert ([m.actor.id for m in agents], [m.actor.id for m in patients]) == (["HTS"], ["MIL-SY"])


def test_arguments_a_subject_pronoun_stands_for_the_governing_subject(lexicon: CueLexicon) -> None:
    parsed = tree("""
        Turkey   PROPN:NNP nsubj 1
        said     VERB:VBD  ROOT  1 say
        it       PRON:PRP  nsubj 3
        shelled  VERB:VBD  ccomp 1 shell
        Kobani   PROPN:NNP dobj  3
    """)
    f = facts(parsed, actors={(0, 1): TURKEY})
    agents, _ = arguments(parsed[3], f, lexicon)
    assert [m.actor.id for m in agents] == ["GOV-TR"]


def test_mentions_for_a_head_and_its_modifiers_but_not_a_relative_clause() -> None:
    warplanes = tree("""
        Syrian    ADJ:JJ   amod  3
        and       CCONJ:CC cc    0
        Russian   ADJ:JJ   conj  0
        warplanes NOUN:NNS ROOT  3 warplane
    """)
    syria, russia = actor("MIL-SY", "state_forces"), actor("MIL-RU", "state_forces")
    f = facts(warplanes, actors={(0, 1): syria, (2, 4): russia})
    assert [m.actor.id for m in mentions_for([warplanes[3]], f)] == ["MIL-RU", "MIL-SY"]
    relative = tree("""
        fighters NOUN:NNS  ROOT  0 fighter
        who      PRON:WP   nsubj 2
        fought   VERB:VBD  relcl 0 fight
        HTS      PROPN:NNP dobj  2
    """)
    assert mentions_for([relative[0]], facts(relative, actors={(3, 4): HTS})) == []


def test_trigger_preps_every_trigger_s_its_own_and_not_its_opponent_s(
    lexicon: CueLexicon,
) -> None:
    agent, patient = _trigger_preps("capture", lexicon, ())
    assert "from" in patient and "from" not in agent  # "captured Palmyra from IS": the loser
    assert {"by", "on"} <= agent | patient and "by" in agent and "on" in patient
    assert "to" in _trigger_preps("fall", lexicon, ())[0]  # "the fall of Hama to rebels"
    assert "against" not in _trigger_preps("support", lexicon, ())[1]  # whom it is against


def test_noun_arguments_modifiers_preposition_phrases_and_a_participle() -> None:
    parsed = tree("""
        the       DET:DT    det   2
        army      NOUN:NN   poss  2
        attack    NOUN:NN   ROOT  2
        on        ADP:IN    prep  2
        Idlib     PROPN:NNP pobj  3
        targeting VERB:VBG  acl   2 target
        rebels    NOUN:NNS  dobj  5 rebel
    """)
    agents: list[Token] = []
    patients: list[Token] = []
    _noun_arguments(parsed[2], frozenset({"by"}), ON, agents, patients, ())
    # The participle's subject is the noun it modifies, which names no actor itself.
    assert (texts(agents), texts(patients)) == (["army", "attack"], ["Idlib", "rebels"])


def test_noun_verb_a_slot_verb_a_subject_s_objects_or_a_preposition_s_verb() -> None:
    launched = tree("""
        Rebels   NOUN:NNS nsubj 1 rebel
        launched VERB:VBD ROOT  1 launch
        an       DET:DT   det   3
        attack   NOUN:NN  dobj  1
    """)
    hit = tree("""
        the     DET:DT    det   1
        attack  NOUN:NN   nsubj 2
        hit     VERB:VBD  ROOT  2
        Idlib   PROPN:NNP dobj  2
    """)
    killed = tree("""
        five    NUM:CD    nummod    1
        died    VERB:VBD  ROOT      1 die
        in      ADP:IN    prep      1
        strikes NOUN:NNS  pobj      2 strike
    """)
    after = tree("""
        fled    VERB:VBD  ROOT  0 flee
        after   ADP:IN    prep  0
        strikes NOUN:NNS  pobj  1 strike
    """)
    assert _noun_verb(launched[3], facts(launched)) == (launched[1], [])
    assert _noun_verb(hit[1], facts(hit)) == (hit[1], [hit[3]])
    assert _noun_verb(killed[3], facts(killed)) == (killed[1], [])
    assert _noun_verb(after[2], facts(after)) == (after[2], [])  # "after" tells a bystander


def test_mentions_a_between_side_is_no_agent_and_a_pronoun_takes_its_antecedent() -> None:
    between = tree("""
        clashes  NOUN:NNS  ROOT  0 clash
        between  ADP:IN    prep  0
        HTS      PROPN:NNP pobj  1
        and      CCONJ:CC  cc    2
        army     NOUN:NN   conj  2
    """)
    f = facts(between, actors={(2, 3): HTS, (4, 5): ARMY})
    agents, patients = argument_mentions([between[2], between[4]], [between[4]], f)
    assert ([m.actor.id for m in agents], [m.actor.id for m in patients]) == (["HTS"], ["MIL-SY"])
    said = tree("""
        Turkey   PROPN:NNP nsubj 1
        said     VERB:VBD  ROOT  1 say
        it       PRON:PRP  nsubj 3
        shelled  VERB:VBD  ccomp 1 shell
        Kobani   PROPN:NNP dobj  3
    """)
    agents, _ = argument_mentions([said[2]], [], facts(said, actors={(0, 1): TURKEY}))
    assert [m.actor.id for m in agents] == ["GOV-TR"]


def test_who_claims_responsibility_for_an_act_or_is_blamed_for_it_owns_it(
    lexicon: CueLexicon,
) -> None:
    claimed = tree("""
        HTS            PROPN:NNP nsubj 1
        claimed        VERB:VBD  ROOT  1 claim
        responsibility NOUN:NN   dobj  1
        for            ADP:IN    prep  2
        the            DET:DT    det   5
        attack         NOUN:NN   pobj  3
    """)
    f = facts(claimed, actors={(0, 1): HTS})
    assert [m.actor.id for m in owners(claimed[5], f)] == ["HTS"]
    assert arguments(claimed[5], f, lexicon)[0][0].actor.id == "HTS"
    blamed_on = tree("""
        Turkey  PROPN:NNP nsubj 1
        blamed  VERB:VBD  ROOT  1 blame
        the     DET:DT    det   3
        bombing NOUN:NN   dobj  1
        on      ADP:IN    prep  3
        rebels  NOUN:NNS  pobj  4 rebel
    """)
    f = facts(blamed_on, actors={(0, 1): TURKEY, (5, 6): REBELS})
    assert [m.actor.id for m in owners(blamed_on[3], f)] == ["SYR-REBELS"]
    blamed_for = tree("""
        Turkey  PROPN:NNP nsubj 1
        blamed  VERB:VBD  ROOT  1 blame
        rebels  NOUN:NNS  dobj  1 rebel
        for     ADP:IN    prep  1
        the     DET:DT    det   5
        bombing NOUN:NN   pobj  3
    """)
    f = facts(blamed_for, actors={(0, 1): TURKEY, (2, 3): REBELS})
    assert [m.actor.id for m in owners(blamed_for[5], f)] == ["SYR-REBELS"]
    # An act told as such is owned by nobody its phrase names.
    assert owners(REBELS_SHELLED_IDLIB[1], facts(REBELS_SHELLED_IDLIB)) == []


def test_who_died_in_an_attack_suffered_it(lexicon: CueLexicon) -> None:
    died = tree("""
        Soldiers NOUN:NNS nsubj 1 soldier
        died     VERB:VBD ROOT  1 die
        in       ADP:IN   prep  1
        the      DET:DT   det   4
        attack   NOUN:NN  pobj  2
    """)
    agents, patients = arguments(died[4], facts(died, actors={(0, 1): ARMY}), lexicon)
    assert agents == [] and [m.actor.id for m in patients] == ["MIL-SY"]


@pytest.mark.parametrize(("prep", "suffers"), [("under", True), ("with", False)])
def test_what_came_under_attack_suffered_it(lexicon: CueLexicon, prep: str, suffers: bool) -> None:
    # "soldiers came under attack" suffer it; "soldiers came with an attack" made it.
    came = tree(f"""
        Soldiers NOUN:NNS nsubj 1 soldier
        came     VERB:VBD ROOT  1 come
        {prep}   ADP:IN   prep  1
        attack   NOUN:NN  pobj  2
    """)
    agents, patients = arguments(came[3], facts(came, actors={(0, 1): ARMY}), lexicon)
    assert [m.actor.id for m in (patients if suffers else agents)] == ["MIL-SY"]
    assert (agents if suffers else patients) == []


@pytest.mark.parametrize(("noun", "suffers"), [("arrest", True), ("shelling", False)])
def test_the_possessor_of_an_arrest_suffered_it(
    lexicon: CueLexicon, noun: str, suffers: bool
) -> None:
    # "the rebels' arrest" was done to the rebels; "the rebels' shelling" was theirs.
    owned = tree(f"""
        The      DET:DT   det  1
        rebels   NOUN:NNS poss 3 rebel
        '        PART:POS case 1
        {noun}   NOUN:NN  ROOT 3
    """)
    agents, patients = arguments(owned[3], facts(owned, actors={(1, 2): REBELS}), lexicon)
    assert [m.actor.id for m in (patients if suffers else agents)] == ["SYR-REBELS"]
    assert (agents if suffers else patients) == []
