"""Tests for sitroom.extract.status: an act's status and who claims it, on hand-built parses."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import actor, facts, tree
from sitroom.extract.facts import DateHit
from sitroom.extract.status import act_status, governed_by, opens_period
from sitroom.knowledge.cues import CueLexicon
from sitroom.records import Actor

PUBLISHED = dt.date(2024, 12, 2)
ARMY, MONITOR = actor("MIL-SY", "state_forces"), actor("SOHR", "unknown")


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon.load()


SAID = """
    {who}    NOUN:NN   nsubj 1
    said     VERB:VBD  ROOT  1 say
    rebels   NOUN:NNS  nsubj 3 rebel
    captured VERB:VBD  ccomp 1 capture
    Hama     PROPN:NNP dobj  3
"""


def status(
    text: str,
    lexicon: CueLexicon,
    anchor: int,
    *,
    actors: dict[tuple[int, int], Actor] | None = None,
    date_hit: DateHit | None = None,
) -> tuple[str, str | None]:
    """The status of the act at token ``anchor`` of a one-sentence parse."""
    parsed = tree(text)
    found = facts(parsed, actors=actors, published=PUBLISHED)
    return act_status(parsed[anchor], parsed[:], found, lexicon, date_hit)


def test_a_party_that_says_it_claims_and_a_monitor_only_reports(lexicon: CueLexicon) -> None:
    assert status(SAID.format(who="army"), lexicon, 3, actors={(0, 1): ARMY}) == (
        "claimed",
        "MIL-SY",
    )
    assert status(SAID.format(who="monitor"), lexicon, 3, actors={(0, 1): MONITOR}) == (
        "reported",
        "SOHR",
    )
    assert status(SAID.format(who="someone"), lexicon, 3) == ("reported", None)


def test_according_to_names_the_claimant(lexicon: CueLexicon) -> None:
    text = """
        rebels    NOUN:NNS  nsubj 1 rebel
        captured  VERB:VBD  ROOT  1 capture
        Hama      PROPN:NNP dobj  1
        according VERB:VBG  prep  1 accord
        to        ADP:IN    prep  3
        army      NOUN:NN   pobj  4
    """
    assert status(text, lexicon, 1, actors={(5, 6): ARMY}) == ("claimed", "MIL-SY")


def test_a_denial_is_denied_and_the_denier_claims(lexicon: CueLexicon) -> None:
    text = """
        army      NOUN:NN   nsubj 1
        denied    VERB:VBD  ROOT  1 deny
        that      SCONJ:IN  mark  4
        it        PRON:PRP  nsubj 4
        withdrew  VERB:VBD  ccomp 1 withdraw
    """
    assert status(text, lexicon, 4, actors={(0, 1): ARMY}) == ("denied", "MIL-SY")


def test_an_auxiliary_or_a_governing_verb_of_intent_plans(lexicon: CueLexicon) -> None:
    will = """
        army      NOUN:NN   nsubj 2
        will      AUX:MD    aux   2
        capture   VERB:VB   ROOT  2
        Idlib     PROPN:NNP dobj  2
    """
    assert status(will, lexicon, 2) == ("planned", None)
    vowed = """
        rebels    NOUN:NNS  nsubj 1 rebel
        vowed     VERB:VBD  ROOT  1 vow
        to        PART:TO   aux   3
        march     VERB:VB   xcomp 1
    """
    assert status(vowed, lexicon, 3) == ("planned", None)


def test_background_by_an_old_date_or_an_opening_word(lexicon: CueLexicon) -> None:
    old = DateHit(3, 4, "2012", dt.date(2012, 1, 1), "year", False)
    text = """
        rebels    NOUN:NNS  nsubj 1 rebel
        captured  VERB:VBD  ROOT  1 capture
        Hama      PROPN:NNP dobj  1
        2012      NUM:CD    npadvmod 1
    """
    assert status(text, lexicon, 1, date_hit=old) == ("background", None)
    historically = """
        Historically ADV:RB    advmod 2
        rebels       NOUN:NNS  nsubj  2 rebel
        held         VERB:VBD  ROOT   2 hold
        Hama         PROPN:NNP dobj   2
    """
    assert status(historically, lexicon, 2) == ("background", None)


def test_an_act_a_word_puts_in_the_past_is_background(lexicon: CueLexicon) -> None:
    # "we've lost thousands of our troops in our previous fighting against the Islamic State"
    text = """
        we       PRON:PRP  nsubj 1
        lost     VERB:VBD  ROOT  1 lose
        troops   NOUN:NNS  dobj  1 troop
        in       ADP:IN    prep  1
        our      PRON:PRP$ poss  6
        {which}  ADJ:JJ    amod  6
        fighting NOUN:NN   pobj  3
    """
    assert status(text.format(which="previous"), lexicon, 6) == ("background", None)
    assert status(text.format(which="fierce"), lexicon, 6) == ("reported", None)
    # ... unless its sentence gives it a recent day
    recent = DateHit(1, 2, "Monday", dt.date(2024, 12, 1), "day", False)
    assert status(text.format(which="previous"), lexicon, 6, date_hit=recent)[0] == "reported"


def test_a_phrase_of_the_past_that_qualifies_another_noun_dates_that_noun(
    lexicon: CueLexicon,
) -> None:
    # "a court convicted the friend of the suspect in last year's blast": the blast is past
    text = """
        court     NOUN:NN  nsubj 1
        convicted VERB:VBD ROOT  1 convict
        friend    NOUN:NN  dobj  1
        in        ADP:IN   prep  2
        last      ADJ:JJ   amod  5
        year      NOUN:NN  {dep}  {head}
        's        PART:POS case  5
        blast     NOUN:NN  pobj  3
    """
    assert status(text.format(dep="poss", head=7), lexicon, 1) == ("reported", None)
    # "last year, a court convicted ...": the verdict is
    assert status(text.format(dep="npadvmod", head=1), lexicon, 1) == ("background", None)


def _opens(text: str, anchor: int, hit: DateHit, lexicon: CueLexicon) -> bool:
    parsed = tree(text)
    return opens_period(parsed[anchor], hit, parsed[:], lexicon.status_cues)


def test_a_date_that_opens_a_period_does_not_date_the_act(lexicon: CueLexicon) -> None:
    # "the strike is the first since 2016": the year counts, it does not date the strike (so
    # the strike is neither of 2016 nor background).
    first = """
        the    DET:DT   det   1
        strike NOUN:NN  nsubj 2
        is     AUX:VBZ  ROOT  2 be
        the    DET:DT   det   4
        first  ADJ:JJ   attr  2
        since  ADP:IN   prep  4
        2016   NUM:CD   pobj  5
    """
    since = DateHit(6, 7, "2016", dt.date(2016, 1, 1), "year", True)
    assert _opens(first, 1, since, lexicon)
    assert not _opens(first.replace("since  ADP:IN", "in     ADP:IN"), 1, since, lexicon)
    # "rebels have held Manbij since 2016": a state that began with an act of 2016.
    held = """
        rebels NOUN:NNS  nsubj 2 rebel
        have   AUX:VBP   aux   2 have
        held   VERB:VBN  ROOT  2 hold
        Manbij PROPN:NNP dobj  2
        since  ADP:IN    prep  2
        2016   NUM:CD    pobj  4
    """
    assert not _opens(held, 2, DateHit(5, 6, "2016", dt.date(2016, 1, 1), "year", True), lexicon)


def test_governed_by_a_word_on_the_way_to_the_root() -> None:
    parsed = tree(SAID.format(who="army"))
    assert governed_by(parsed[3], frozenset({"say"}))
    assert not governed_by(parsed[1], frozenset({"capture"}))


APPROACH = """
    Rebels   NOUN:NNS  nsubj  1 rebel
    are      AUX:VBP   ROOT   1 be
    2km      NOUN:NN   npadvmod 3
    away     ADV:RB    advmod 1
    from     ADP:IN    prep   3
    {act}    {tag}     {dep}  4 {lemma}
    Hama     PROPN:NNP dobj   5
"""


def test_an_act_a_party_is_near_to_is_not_done(lexicon: CueLexicon) -> None:
    # "Rebels are 2km away from entering Hama": approached, not taken.
    entering = APPROACH.format(act="entering", tag="VERB:VBG", dep="pcomp", lemma="enter")
    assert status(entering, lexicon, 5)[0] == "planned"
    # A noun there is a landmark ("within a week of the attack"), not an act come near to.
    attack = APPROACH.format(act="attack", tag="NOUN:NN", dep="pobj", lemma="attack")
    assert status(attack, lexicon, 5)[0] == "reported"
