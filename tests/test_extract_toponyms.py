"""Tests for sitroom.extract.toponyms: which spans name places (hand-built docs, tiny gazetteer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.extract.places import find_places
from sitroom.extract.toponyms import Toponym, country_vote, recognise
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.records import Place

SYRIA = Place(163843, "Syria", 35.0, 38.0, "SY", feature="country", population=22_000_000)
MAURITIUS = Place(934292, "Mauritius", -20.3, 57.58, "MU", feature="country", population=1_265_000)
UNITED_STATES = Place(6252001, "United States", 39.76, -98.5, "US", feature="country")
ALEPPO = Place(170063, "Aleppo", 36.2, 37.16, "SY", "Aleppo", population=2_098_210)
HAMA_CITY = Place(170017, "Ḩamāh", 35.13, 36.76, "SY", "Hama", population=460_602)
HAMA_REGION = Place(None, "Hama", 35.2, 37.0, "SY", "Hama", feature="admin1")
IDLIB_CITY = Place(169389, "Idlib", 35.93, 36.63, "SY", "Idlib", population=128_840)
IDLIB_REGION = Place(None, "Idlib", 35.83, 36.67, "SY", "Idlib", feature="admin1")
SARAQIB = Place(164816, "Saraqib", 35.86, 36.81, "SY", "Idlib", population=34_231)
NEW_YORK = Place(5128581, "New York City", 40.71, -74.01, "US", "New York", population=8_804_190)
ENTERPRISE = Place(4060954, "Enterprise", 31.32, -85.86, "US", "Alabama", population=108_481)
KING = Place(1809858, "Anqing", 30.51, 117.05, "CN", None, population=804_493)
BATH = Place(2656173, "Bath", 51.38, -2.36, "GB", None, population=101_557)
PORT_LOUIS = Place(934154, "Port Louis", -20.16, 57.5, "MU", None, population=155_226)
FAR_NORTH = Place(None, "Far North", 10.6, 14.3, "CM", "Far North", feature="admin1")
QUEENSLAND = Place(None, "Queensland", -22.2, 144.6, "AU", "Queensland", feature="admin1")
VILLAGE = Place(2, "Middle East", 39.3, -76.4, "US", "Maryland", population=1_872)
MIDDLE_EAST = Place(None, "Middle East", 29.0, 42.0, "", feature="region")
EUROPE = Place(6255148, "Europe", 48.69, 9.14, "", feature="region", population=741_000_000)

NLP = spacy.blank("en")
LEMMAS = {"entered": "enter"}


def gazetteer() -> Gazetteer:
    return Gazetteer.from_places(
        [
            SYRIA,
            MAURITIUS,
            UNITED_STATES,
            ALEPPO,
            HAMA_CITY,
            HAMA_REGION,
            IDLIB_CITY,
            IDLIB_REGION,
            SARAQIB,
            NEW_YORK,
            ENTERPRISE,
            KING,
            BATH,
            PORT_LOUIS,
            VILLAGE,
            FAR_NORTH,
            QUEENSLAND,
            MIDDLE_EAST,
            EUROPE,
        ],
        alternate_names={
            "United States": ["US", "U.S."],
            "New York City": ["New York"],
            "Anqing": ["King"],
            "Bath": ["BA"],
            "Europe": ["EU"],
        },
        adjectives={"Europe": ["European"]},
    )


def demonyms(word: str) -> str | None:
    return {"syrian": "SY", "american": "US"}.get(word.lower())


def make_doc(
    spec: str,
    ents: Sequence[tuple[str, str]] = (),
    deps: Mapping[str, tuple[str, str]] | None = None,
) -> Doc:
    """A doc from 'word/TAG' items; ents are (text, label) in order; deps map a word to its
    (dependency, head word)."""
    deps = deps or {}
    items = [item.rsplit("/", 1) for item in spec.split()]
    words = [w for w, _ in items]
    tags = [t for _, t in items]
    pos = ["PROPN" if t.startswith("NNP") else "ADJ" if t == "JJ" else "X" for t in tags]
    heads = [words.index(deps[w][1]) if w in deps else i for i, w in enumerate(words)]
    dep_labels = [deps[w][0] if w in deps else "dep" for w in words]
    labels = ["O"] * len(words)
    start = 0
    for text, label in ents:
        n = len(text.split())
        i = next(k for k in range(start, len(words)) if words[k : k + n] == text.split())
        labels[i : i + n] = [f"B-{label}"] + [f"I-{label}"] * (n - 1)
        start = i + n
    lemmas = [LEMMAS.get(w, w.lower()) for w in words]
    return Doc(
        NLP.vocab,
        words=words,
        tags=tags,
        pos=pos,
        heads=heads,
        deps=dep_labels,
        ents=labels,
        lemmas=lemmas,
    )


def found(doc: Doc, *, every: bool = True) -> dict[str, Place | None]:
    mentions = find_places(
        doc, document_id="d", gazetteer=gazetteer(), demonyms=demonyms, every_toponym=every
    )
    return {m.text: m.place for m in mentions}


def test_adjectives_of_place_count_only_as_every_toponym() -> None:
    doc = make_doc("Syrian/JJ forces/NNS entered/VBD Aleppo/NNP", [("Aleppo", "GPE")])
    assert found(doc) == {"Syrian": SYRIA, "Aleppo": ALEPPO}
    assert found(doc, every=False) == {"Aleppo": ALEPPO}


def test_plural_demonyms_and_articles_are_no_adjectives() -> None:
    doc = make_doc("The/DT Syrians/NNPS fled/VBD to/IN Europe/NNP", [("Europe", "LOC")])
    assert found(doc) == {"Europe": EUROPE}


def test_region_adjectives() -> None:
    doc = make_doc("the/DT European/JJ economy/NN")
    assert found(doc) == {"European": EUROPE}


def test_a_region_beats_its_namesake_village_but_locates_no_event() -> None:
    doc = make_doc("Peace/NN in/IN the/DT Middle/NNP East/NNP", [("Middle East", "LOC")])
    assert found(doc) == {"Middle East": MIDDLE_EAST}
    assert found(doc, every=False) == {"Middle East": None}


def test_a_place_inside_an_organisation_name() -> None:
    doc = make_doc(
        "The/DT New/NNP York/NNP Times/NNP reported/VBD", [("The New York Times", "ORG")]
    )
    assert found(doc) == {"New York": NEW_YORK}
    assert found(doc, every=False) == {}


def test_a_weak_name_needs_the_documents_support() -> None:
    # "Enterprise" (Alabama) is no place in a report from Mauritius ...
    doc = make_doc(
        "Minister/NNP of/IN Enterprise/NNP visited/VBD Mauritius/NNP",
        [("Enterprise", "ORG"), ("Mauritius", "GPE")],
    )
    assert found(doc) == {"Mauritius": MAURITIUS}
    # ... unless the grammar puts it in a place's slot, or the report names no country at all.
    doc = make_doc(
        "Rebels/NNS entered/VBD Enterprise/NNP from/IN Mauritius/NNP",
        [("Enterprise", "ORG"), ("Mauritius", "GPE")],
        deps={"Enterprise": ("dobj", "entered")},
    )
    assert found(doc) == {"Enterprise": ENTERPRISE, "Mauritius": MAURITIUS}
    doc = make_doc("Minister/NNP of/IN Enterprise/NNP", [("Enterprise", "ORG")])
    assert found(doc) == {"Enterprise": ENTERPRISE}


def test_a_word_of_a_persons_name_is_no_place() -> None:
    doc = make_doc(
        "Jaime/NNP King/NNP said/VBD King/NNP was/VBD hurt/VBN",
        [("Jaime King", "PERSON"), ("King", "PERSON")],
    )
    assert found(doc) == {}


def test_a_short_alternate_name_is_no_weak_place() -> None:
    doc = make_doc("King/NNP spoke/VBD", [("King", "ORG")])  # 'King' is an alternate of Anqing
    assert found(doc) == {}
    doc = make_doc("King/NNP spoke/VBD", [("King", "GPE")])  # strong evidence keeps it
    assert found(doc) == {"King": KING}


@pytest.mark.parametrize(("word", "expected"), [("BA", {}), ("US", {"US": UNITED_STATES})])
def test_acronyms_are_only_countries(word: str, expected: dict[str, Place]) -> None:
    doc = make_doc(f"{word}/NNP said/VBD", [(word, "ORG")])
    assert found(doc) == expected


def test_a_dateline_in_capitals() -> None:
    doc = make_doc("HAMA/NNP ,/, Syria/NNP —/: Rebels/NNS", [("Syria", "GPE")])
    assert found(doc)["HAMA"] in (HAMA_CITY, HAMA_REGION)
    # the model tags words in capitals at random; a dateline still names a place
    doc = make_doc("ALEPPO/NN ,/, Syria/NNP —/: Rebels/NNS", [("Syria", "GPE")])
    assert found(doc)["ALEPPO"] == ALEPPO
    doc = make_doc("Rebels/NNS said/VBD ALEPPO/NN was/VBD quiet/JJ")
    assert "ALEPPO" not in found(doc)


def test_designators_and_names_inside_place_names() -> None:
    doc = make_doc(
        "in/IN Hama/NNP province/NN near/IN the/DT Aleppo/NNP Citadel/NNP",
        [("Hama province", "GPE"), ("the Aleppo Citadel", "FAC")],
    )
    assert found(doc) == {"Hama province": HAMA_REGION, "Aleppo Citadel": ALEPPO}


def test_recognise_orders_and_labels_kinds() -> None:
    doc = make_doc(
        "Syrian/JJ jets/NNS and/CC The/DT New/NNP York/NNP Times/NNP in/IN Aleppo/NNP",
        [("The New York Times", "ORG"), ("Aleppo", "GPE")],
    )
    got = recognise(doc, gazetteer(), demonyms=demonyms)
    assert all(isinstance(t, Toponym) for t in got)
    assert [(t.span.text, t.kind) for t in got] == [
        ("Syrian", "adjective"),
        ("New York", "embedded"),
        ("Aleppo", "name"),
    ]


def test_country_vote() -> None:
    assert country_vote([SYRIA, ALEPPO]) == "SY"
    assert country_vote([HAMA_CITY, HAMA_REGION]) == "SY"
    assert country_vote([ALEPPO, ENTERPRISE]) is None
    assert country_vote([MIDDLE_EAST]) is None


def test_a_province_named_like_its_city_reads_as_the_city_unless_designated() -> None:
    # Saraqib lies in Idlib province, yet a bare "Idlib" is the city; "Idlib province" is not.
    doc = make_doc(
        "Jets/NNS struck/VBD Idlib/NNP and/CC Saraqib/NNP in/IN Idlib/NNP province/NN",
        [("Idlib", "GPE"), ("Saraqib", "GPE"), ("Idlib province", "GPE")],
    )
    got = [(m.text, m.place) for m in find_places(doc, document_id="d", gazetteer=gazetteer())]
    assert [(t, p.feature if p else None) for t, p in got] == [
        ("Idlib", "city"),
        ("Saraqib", "city"),
        ("Idlib province", "admin1"),
    ]


def test_the_place_inside_a_place_name_is_its_head() -> None:
    # "Far North" is a region of Cameroon; the compound's head says where this is.
    doc = make_doc(
        "crime/NN in/IN Far/NNP North/NNP Queensland/NNP", [("Far North Queensland", "LOC")]
    )
    place = found(doc)["Far North Queensland"]
    assert place is not None and (place.name, place.country) == ("Queensland", "AU")


def test_a_place_inside_a_place_name_needs_the_documents_support_even_after_in() -> None:
    # The grammar says the basilica is a place, not that it lies in Cameroon's Far North.
    doc = make_doc(
        "Mass/NNP in/IN the/DT Far/NNP North/NNP Basilica/NNP ,/, Mauritius/NNP",
        [("the Far North Basilica", "FAC"), ("Mauritius", "GPE")],
        deps={
            "Far": ("compound", "Basilica"),
            "North": ("compound", "Basilica"),
            "Basilica": ("pobj", "in"),
        },
    )
    assert found(doc) == {"Far North Basilica": None, "Mauritius": MAURITIUS}


def test_a_place_before_the_hyphen_of_one_word_is_a_modifier() -> None:
    doc = make_doc("the/DT U.S.-led/NNP campaign/NN", [("U.S.-led", "ORG")])
    assert found(doc) == {"U.S.-led": UNITED_STATES}
    assert found(doc, every=False) == {}


def test_a_unions_acronym_is_its_region() -> None:
    doc = make_doc("EU/NNP leaders/NNS met/VBD")
    assert found(doc) == {"EU": EUROPE}


def test_an_unknown_lowercase_word_tagged_as_a_place_is_none() -> None:
    doc = make_doc(
        "a/DT covered/JJ veranda/NN near/IN Zzyzx/NNP", [("veranda", "GPE"), ("Zzyzx", "GPE")]
    )
    assert found(doc) == {"Zzyzx": None}  # an unknown name is kept, unresolved


def test_a_feast_or_rite_tagged_as_a_place_is_none() -> None:
    doc = make_doc(
        "the/DT Easter/NNP Vigil/NNP in/IN Aleppo/NNP", [("Easter Vigil", "GPE"), ("Aleppo", "GPE")]
    )
    assert found(doc) == {"Aleppo": ALEPPO}


def test_an_unknown_name_the_document_calls_a_person_is_none() -> None:
    doc = make_doc(
        "Neymar/NNP da/NNP Silva/NNP scored/VBD ./. Neymar/NNP and/CC Zzyzx/NNP won/VBD",
        [("Neymar da Silva", "PERSON"), ("Neymar", "GPE"), ("Zzyzx", "GPE")],
    )
    assert found(doc) == {"Zzyzx": None}
    # a known place keeps its reading though a person bears its name ("Paris Hilton")
    doc = make_doc(
        "Aleppo/NNP Smith/NNP spoke/VBD ./. Aleppo/NNP was/VBD shelled/VBN",
        [("Aleppo Smith", "PERSON"), ("Aleppo", "GPE")],
    )
    assert found(doc) == {"Aleppo": ALEPPO}


def test_a_designator_vouches_for_a_place_the_model_calls_a_person() -> None:
    # "the central town of Beledweyne ... Beledweyne District Commissioner Omar": the words of a
    # person's name are no place, unless a designator puts one in a place's slot.
    spec = "the/DT town/NN of/IN Saraqib/NNP ,/, said/VBD Saraqib/NNP Commissioner/NNP Ali/NNP"
    ents = [("Saraqib", "PERSON"), ("Saraqib Commissioner Ali", "PERSON")]
    designated = {"of": ("prep", "town"), "Saraqib": ("pobj", "of")}
    assert found(make_doc(spec, ents, designated)) == {"Saraqib": SARAQIB}
    undesignated = {"of": ("prep", "man"), "Saraqib": ("pobj", "of")}
    assert found(make_doc(spec.replace("town", "man"), ents, undesignated)) == {}


def test_an_institution_named_like_a_village_is_no_place() -> None:
    # "spoke to Congress": Congress, Arizona is a village, but the word is the US Congress, even
    # in a place's slot.
    congress = Place(5289282, "Congress", 34.16, -112.85, "US", "Arizona", population=1_975)
    doc = make_doc(
        "He/PRP spoke/VBD to/IN Congress/NNP",
        [("Congress", "ORG")],
        deps={"Congress": ("pobj", "to"), "to": ("prep", "spoke")},
    )
    places = Gazetteer.from_places([congress, UNITED_STATES])
    mentions = find_places(doc, document_id="d", gazetteer=places, demonyms=demonyms)
    assert [m.place for m in mentions if m.place is not None] == []


def test_an_airport_tagged_as_no_place_is_one_only_in_a_place_slot() -> None:
    dulles = Place(
        None, "Washington Dulles International Airport", 38.95, -77.46, "US", None, "facility"
    )
    g = Gazetteer.from_places([dulles], alternate_names={dulles.name: ["Dulles"]})

    def read(doc: Doc) -> dict[str, Place | None]:
        return {m.text: m.place for m in find_places(doc, document_id="d", gazetteer=g)}

    assert read(make_doc("Dulles/NNP said/VBD", [("Dulles", "ORG")])) == {}
    doc = make_doc(
        "landed/VBD at/IN Dulles/NNP", [("Dulles", "ORG")], deps={"Dulles": ("pobj", "at")}
    )
    assert read(doc) == {"Dulles": dulles}
