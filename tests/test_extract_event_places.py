"""Tests for sitroom.extract.event_places: where an event was, on hand-built parses."""

from __future__ import annotations

from factories import actor, facts, place, tree
from sitroom.extract.event_places import (
    _agent,
    _dateline,
    _modifier,
    _origin,
    _town_meant,
    _whose_thing,
    context_place,
    in_other_adverbial,
    locate,
    report_country,
)
from sitroom.knowledge.cues import CueMatch

HAMA, IDLIB = place("Hama", 170017), place("Idlib", 169389)
SYRIA = place("Syria", 163843, "country")
CAPTURED = CueMatch(1, 2, "capture", "trigger", "captured")


def test_locate_the_place_in_the_trigger_s_phrase() -> None:
    parsed = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        captured VERB:VBD  ROOT  1 capture
        Hama     PROPN:NNP dobj  1
    """)
    f = facts(parsed, places={(2, 3): HAMA})
    location = locate(f, parsed[1], parsed[:], set(range(3)), [CAPTURED], set())
    assert location is not None
    assert (location.geonameid, location.geo_precision) == (170017, 1)
    # A place that names a party is no place of the act.
    assert locate(f, parsed[1], parsed[:], set(range(3)), [CAPTURED], {2}) is None


def test_locate_near_a_town_is_less_precise() -> None:
    parsed = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        clashed  VERB:VBD  ROOT  1 clash
        near     ADP:IN    prep  1
        Hama     PROPN:NNP pobj  2
    """)
    f = facts(parsed, places={(3, 4): HAMA})
    cue = CueMatch(1, 2, "fight", "trigger", "clashed")
    location = locate(f, parsed[1], parsed[:], set(range(4)), [cue], set())
    assert location is not None and location.geo_precision == 2


def test_town_meant_by_the_city_after_a_town() -> None:
    parsed = tree("""
        Rebels   NOUN:NNS  nsubj 1 rebel
        reached  VERB:VBD  ROOT  1 reach
        Hama     PROPN:NNP dobj  1
        and      CCONJ:CC  cc    1
        seized   VERB:VBD  conj  1 seize
        the      DET:DT    det   6
        city     NOUN:NN   dobj  4
    """)
    f = facts(parsed, places={(2, 3): HAMA})
    hit = _town_meant(f, parsed[4])
    assert hit is not None and hit.start == 2
    assert _town_meant(f, parsed[1]) is None  # "Hama" names its own town


def test_in_other_adverbial_a_place_in_a_clause_that_does_not_hold_the_act() -> None:
    parsed = tree("""
        as       SCONJ:IN  mark  4
        threat   NOUN:NN   nsubj 4
        to       ADP:IN    prep  1
        Damascus PROPN:NNP pobj  2
        grows    VERB:VBZ  advcl 6 grow
        Assad    PROPN:NNP nsubj 6
        turned   VERB:VBD  ROOT  6 turn
    """)
    assert in_other_adverbial(parsed[3], parsed[6])
    assert not in_other_adverbial(parsed[3], parsed[4])  # the act's own clause
    assert not in_other_adverbial(parsed[5], parsed[6])


def test_report_country_only_where_a_town_in_it_is_named() -> None:
    parsed = tree("""
        Syria    PROPN:NNP nsubj 1
        shelled  VERB:VBD  ROOT  1 shell
        Idlib    PROPN:NNP dobj  1
    """)
    country = report_country(facts(parsed, places={(0, 1): SYRIA, (2, 3): IDLIB}))
    assert country is not None
    assert (country.geonameid, country.geo_precision, country.inferred) == (163843, 3, True)
    assert report_country(facts(parsed, places={(0, 1): SYRIA})) is None


def test_context_place_is_the_town_of_the_report_s_country_named_last_before() -> None:
    parsed = tree("""
        Jets     NOUN:NNS  nsubj 1 jet
        struck   VERB:VBD  ROOT  1 strike
        Idlib    PROPN:NNP dobj  1
        in       ADP:IN    prep  1
        Syria    PROPN:NNP pobj  3
        .        PUNCT:.   punct 1
        Turkey   PROPN:NNP nsubj 7
        shelled  VERB:VBD  ROOT  7 shell
        Hama     PROPN:NNP dobj  7
        .        PUNCT:.   punct 7
        Rebels   NOUN:NNS  nsubj 11 rebel
        fled     VERB:VBD  ROOT  11 flee
    """)
    turkey = place("Turkey", 298795, "country", "TR")
    places = {(2, 3): IDLIB, (4, 5): SYRIA, (6, 7): turkey, (8, 9): HAMA}
    f = facts(parsed, places=places)
    third = list(parsed.sents)[2]
    where = context_place(f, third)
    assert where is not None
    assert (where.geonameid, where.geo_precision, where.inferred) == (170017, 2, True)
    # Before the first town, only the report's country is known.
    where = context_place(f, next(iter(parsed.sents)))
    assert where is not None and (where.geonameid, where.geo_precision) == (163843, 3)


def test_a_name_as_a_modifier_or_a_passive_s_agent_says_who_not_where() -> None:
    backed = tree("""
        Iran     PROPN:NNP  npadvmod 2
        -        PUNCT:HYPH punct    2
        backed   VERB:VBN   amod     3 back
        fighters NOUN:NNS   ROOT     3 fighter
    """)
    f = facts(backed, places={(0, 1): place("Iran", 130758, "country", "IR")})
    assert _modifier(backed, f.places[0])
    by = tree("""
        fighters NOUN:NNS   ROOT  0 fighter
        backed   VERB:VBN   acl   0 back
        by       ADP:IN     agent 1
        Iran     PROPN:NNP  pobj  2
    """)
    f = facts(by, places={(3, 4): place("Iran", 130758, "country", "IR")})
    assert _agent(by, f.places[0])


def test_a_country_inside_a_party_s_name_says_whose_not_where() -> None:
    # "Iran officials said rebels shelled Syria": Iran names the officials, Syria is the scene.
    said = tree("""
        Iran      PROPN:NNP  compound 1
        officials NOUN:NNS   nsubj    2 official
        said      VERB:VBD   ROOT     2 say
        rebels    NOUN:NNS   nsubj    4 rebel
        shelled   VERB:VBD   ccomp    2 shell
        Syria     PROPN:NNP  dobj     4
    """)
    iran = place("Iran", 130758, "country", "IR")
    shelled = CueMatch(4, 5, "shell", "trigger", "shelled")
    officials = {(0, 2): actor("GOV-IR", "state")}
    f = facts(said, actors=officials, places={(0, 1): iran, (5, 6): SYRIA})
    location = locate(f, said[4], said[:], {3, 4, 5}, [shelled], set())
    assert location is not None and location.country == "SY"
    # With the scene gone, the officials' country is still not where the act was.
    f = facts(said, actors=officials, places={(0, 1): iran})
    assert locate(f, said[4], said[:], {3, 4, 5}, [shelled], set()) is None
    # A country that is the whole name of a party ("Iran said") is left to the act's parties.
    said = tree("""
        Iran      PROPN:NNP  nsubj    1
        said      VERB:VBD   ROOT     1 say
        rebels    NOUN:NNS   nsubj    3 rebel
        shelled   VERB:VBD   ccomp    1 shell
        Syria     PROPN:NNP  dobj     3
    """)
    shelled = CueMatch(3, 4, "shell", "trigger", "shelled")
    f = facts(said, actors={(0, 1): actor("GOV-IR", "state")}, places={(0, 1): iran})
    assert locate(f, said[3], said[:], {2, 3, 4}, [shelled], set()) is not None


def test_a_town_a_bearing_is_taken_from_gives_way_to_the_town_named_besides() -> None:
    # "Rebels shelled Hama [province], 40 miles north of Idlib": Idlib is a point of reference,
    # which the province named besides displaces though a town is more specific.
    shelled = tree("""
        Rebels  NOUN:NNS  nsubj    1 rebel
        shelled VERB:VBD  ROOT     1 shell
        Hama    PROPN:NNP dobj     1
        ,       PUNCT:,   punct    2
        40      NUM:CD    nummod   5
        miles   NOUN:NNS  npadvmod 6 mile
        north   ADV:RB    advmod   2
        of      ADP:IN    prep     6
        Idlib   PROPN:NNP pobj     7
    """)
    cue = CueMatch(1, 2, "shell", "trigger", "shelled")
    clause = set(range(9))
    province = place("Hama", 170016, "admin1")
    f = facts(shelled, places={(2, 3): province, (8, 9): IDLIB})
    location = locate(f, shelled[1], shelled[:], clause, [cue], set())
    assert location is not None and location.geonameid == province.geonameid
    # With no other town, the act is placed at the point of reference.
    f = facts(shelled, places={(8, 9): IDLIB})
    location = locate(f, shelled[1], shelled[:], clause, [cue], set())
    assert location is not None and location.geonameid == IDLIB.geonameid
    # A country named besides does not displace it ("north of Idlib, in Syria").
    f = facts(shelled, places={(2, 3): SYRIA, (8, 9): IDLIB})
    location = locate(f, shelled[1], shelled[:], clause, [cue], set())
    assert location is not None and location.geonameid == IDLIB.geonameid


def test_a_place_named_as_someone_s_origin_says_whose_not_where() -> None:
    # "A citizen of Kyrgyzstan joined the bombing in Boston": Boston, not Kyrgyzstan.
    parsed = tree("""
        A          DET:DT    det   1
        citizen    NOUN:NN   nsubj 4 citizen
        of         ADP:IN    prep  1
        Kyrgyzstan PROPN:NNP pobj  2
        joined     VERB:VBD  ROOT  4 join
        the        DET:DT    det   6
        bombing    NOUN:NN   dobj  4 bombing
        in         ADP:IN    prep  6
        Boston     PROPN:NNP pobj  7
    """)
    cue = CueMatch(6, 7, "explosive", "trigger", "bombing")
    kyrgyzstan = place("Kyrgyzstan", 1527747, "country", "KG")
    boston = place("Boston", 4930956, "city", "US")
    f = facts(parsed, places={(3, 4): kyrgyzstan, (8, 9): boston}, country="US")
    location = locate(f, parsed[6], parsed[:], set(range(9)), [cue], set())
    assert location is not None and location.geonameid == boston.geonameid
    # Alone, the country of origin is no place of the act.
    f = facts(parsed, places={(3, 4): kyrgyzstan}, country="KG")
    assert locate(f, parsed[6], parsed[:], set(range(9)), [cue], set()) is None
    # "his native Kyrgyzstan": the same with the origin word as a modifier.
    native = tree("""
        clashes    NOUN:NNS  ROOT  0 clash
        in         ADP:IN    prep  0
        his        PRON:PRP$ poss  4
        native     ADJ:JJ    amod  4
        Kyrgyzstan PROPN:NNP pobj  1
    """)
    f = facts(native, places={(4, 5): kyrgyzstan}, country="KG")
    assert _origin(f, f.places[0])


def test_what_a_protest_is_about_is_not_where_it_was() -> None:
    # "Hundreds massed in Istanbul in protest of police actions in Jerusalem."
    parsed = tree("""
        Hundreds  NOUN:NNS  nsubj 1 hundred
        massed    VERB:VBD  ROOT  1 mass
        in        ADP:IN    prep  1
        Istanbul  PROPN:NNP pobj  2
        in        ADP:IN    prep  1
        protest   NOUN:NN   pobj  4 protest
        of        ADP:IN    prep  5
        police    NOUN:NN   compound 8
        actions   NOUN:NNS  pobj  6 action
        in        ADP:IN    prep  8
        Jerusalem PROPN:NNP pobj  9
    """)
    cue = CueMatch(5, 6, "protest", "trigger", "protest")
    istanbul = place("Istanbul", 745044, "city", "TR")
    jerusalem = place("Jerusalem", 281184, "city", "IL")
    f = facts(parsed, places={(3, 4): istanbul, (10, 11): jerusalem}, country="TR")
    location = locate(f, parsed[5], parsed[:], set(range(11)), [cue], set())
    assert location is not None and location.geonameid == istanbul.geonameid
    # An act that is about nothing keeps the place in its phrase.
    fight = CueMatch(5, 6, "fight", "trigger", "protest")
    location = locate(f, parsed[5], parsed[:], set(range(11)), [fight], set())
    assert location is not None and location.geonameid == jerusalem.geonameid


def test_a_dateline_gives_way_to_a_place_its_sentence_names() -> None:
    # "TEHRAN (FNA)- Jets struck Idlib": filed in Tehran, struck in Idlib.
    parsed = tree("""
        TEHRAN PROPN:NNP  npadvmod 7
        (      PUNCT:-LRB- punct   0
        FNA    PROPN:NNP  appos    0
        )      PUNCT:-RRB- punct   0
        -      PUNCT:HYPH punct    7
        Jets   NOUN:NNS   nsubj    7 jet
        ,      PUNCT:,    punct    7
        struck VERB:VBD   ROOT     7 strike
        Idlib  PROPN:NNP  dobj     7
    """)
    cue = CueMatch(7, 8, "strike", "trigger", "struck")
    tehran = place("Tehran", 112931, "city", "IR")
    f = facts(parsed, places={(0, 1): tehran, (8, 9): IDLIB})
    assert _dateline(f, f.places[0]) and not _dateline(f, f.places[1])
    location = locate(f, parsed[7], parsed[:], set(range(9)), [cue], set())
    assert location is not None and location.geonameid == IDLIB.geonameid
    # A dateline alone is the place.
    f = facts(parsed, places={(0, 1): tehran})
    location = locate(f, parsed[7], parsed[:], set(range(9)), [cue], set())
    assert location is not None and location.geonameid == tehran.geonameid


def test_a_country_as_a_thing_s_modifier_or_its_maker_says_whose_not_where() -> None:
    # "Jets carrying US weapons made in Iran struck Idlib."
    parsed = tree("""
        Jets     NOUN:NNS  nsubj    6 jet
        carrying VERB:VBG  acl      0 carry
        US       PROPN:NNP compound 3
        weapons  NOUN:NNS  dobj     1 weapon
        made     VERB:VBN  acl      3 make
        in       ADP:IN    prep     4
        struck   VERB:VBD  ROOT     6 strike
        Idlib    PROPN:NNP dobj     6
        Iran     PROPN:NNP pobj     5
    """)
    cue = CueMatch(6, 7, "strike", "trigger", "struck")
    us = place("United States", 6252001, "country", "US")
    iran = place("Iran", 130758, "country", "IR")
    f = facts(parsed, places={(2, 3): us, (8, 9): iran}, cues=[cue])
    assert _whose_thing(f, f.places[0]) and _origin(f, f.places[1])
    assert locate(f, parsed[6], parsed[:], set(range(9)), [cue], set()) is None
    # The modifier of an act's word ("the Syria strike") is its place.
    strike = CueMatch(3, 4, "strike", "trigger", "weapons")
    f = facts(parsed, places={(2, 3): us}, cues=[strike])
    assert not _whose_thing(f, f.places[0])
    # "discovered weapons made in Iran and Syria", the later conjunct parsed as the weapons':
    # it goes with the place they were made in.
    found = tree("""
        discovered VERB:VBD  ROOT 0 discover
        weapons    NOUN:NNS  dobj 0 weapon
        made       VERB:VBN  acl  1 make
        in         ADP:IN    prep 2
        Iran       PROPN:NNP pobj 3
        and        CCONJ:CC  cc   1
        Syria      PROPN:NNP conj 1
    """)
    f = facts(found, places={(4, 5): iran, (6, 7): SYRIA})
    assert _origin(f, f.places[0]) and _origin(f, f.places[1])
    # Nor is a country modifying a part of its ground ("attacks on US soil").
    soil = tree("""
        attacks NOUN:NNS  ROOT     0 attack
        on      ADP:IN    prep     0
        US      PROPN:NNP compound 3
        soil    NOUN:NN   pobj     1 soil
    """)
    f = facts(soil, places={(2, 3): us})
    assert not _whose_thing(f, f.places[0])
