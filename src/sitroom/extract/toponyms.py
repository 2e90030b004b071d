"""Toponym recognition: the spans of a spaCy ``Doc`` that name places, and their gazetteer readings.

A place entity (GPE, LOC, FAC) is strong evidence. Weaker evidence (a known name the small model
labelled ORG, PERSON or NORP, a run of proper nouns outside any entity, a place name inside an
organisation's name) is kept only where the document's own geography supports a reading: a
country or region, or a town in a country the strong names and adjectives establish. That keeps
"Enterprise" (Alabama) out of a report from Mauritius and "Paul" (a region of Cape Verde) out of
a sports page, while "Edmonton" mislabelled PERSON stays in a report about Alberta. A city of a
million people needs no support.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sitroom.errors import GazetteerError
from sitroom.knowledge import loader
from sitroom.knowledge.folding import fold, light_fold
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.knowledge.loader import Overrides
from sitroom.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Looks up the country an adjective names: 'Syrian' -> 'SY' (the actor KB's demonyms).
Demonyms = Callable[[str], str | None]

# Gazetteer features (Place.feature, the gazetteer's own vocabulary, not words) of places that are
# a whole country or a continent or sea, not a town.
_WHOLE_AREAS = frozenset({"country", "region"})
# Plural nouns ("Syrians") name people, not places (data/syntax.yaml).
_PLURAL_NOUN_TAGS = loader.labels("syntax.yaml", "plural_noun_tags")


@dataclass(frozen=True, slots=True)
class Toponym:
    """A recognised toponym: a place 'name', an 'adjective' of place ('Syrian') or a name
    'embedded' in an organisation's ('New York' in 'The New York Times'), with its readings."""

    span: Span
    kind: str
    readings: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class Recognition:
    place_labels: frozenset[str]
    natural_labels: frozenset[str]
    other_labels: frozenset[str]
    holder_labels: frozenset[str]
    adjective_tags: frozenset[str]
    skip_words: frozenset[str]
    rite_words: frozenset[str]
    min_other_population: int
    big_city_population: int
    max_acronym: int
    min_alternate_length: int
    min_contained_population: int
    min_variant_length: int
    locative_prepositions: frozenset[str]
    locative_verbs: frozenset[str]
    designators: dict[str, str]
    leading_articles: frozenset[str]
    dateline_marks: frozenset[str]


@cache
def recognition_rules(overrides: Overrides = ()) -> Recognition:
    """The recognition half of ``data/place_rules.yaml`` (with the user's overrides of it)."""
    raw = loader.load("place_rules.yaml", overrides)
    try:
        w = raw["weights"]
        return Recognition(
            place_labels=frozenset(raw["place_labels"]),
            natural_labels=frozenset(raw["natural_labels"]),
            other_labels=frozenset(raw["other_labels"]),
            holder_labels=frozenset(raw["holder_labels"]),
            adjective_tags=frozenset(raw["adjective_tags"]),
            skip_words=frozenset(light_fold(s) for s in raw["skip_words"]),
            rite_words=frozenset(light_fold(s) for s in raw["rite_words"]),
            min_other_population=int(w["min_other_population"]),
            big_city_population=int(w["big_city_population"]),
            max_acronym=int(w["max_acronym"]),
            min_alternate_length=int(w["min_alternate_length"]),
            min_contained_population=int(w["min_contained_population"]),
            min_variant_length=int(w["min_variant_length"]),
            locative_prepositions=frozenset(raw["locative_prepositions"]),
            locative_verbs=frozenset(raw["locative_verbs"]),
            designators={
                str(word).lower(): level
                for level, words in raw["designators"].items()
                for word in words
            },
            leading_articles=frozenset(raw["leading_articles"]),
            dateline_marks=frozenset(raw["dateline_marks"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise GazetteerError(f"{raw.source} is malformed: {e}") from e


def recognise(
    doc: Doc,
    gazetteer: Gazetteer,
    *,
    demonyms: Demonyms | None = None,
    hint: str | None = None,
    overrides: Overrides = (),
) -> list[Toponym]:
    """Every toponym in the document, in text order (``hint``: an ISO2 country known before;
    ``overrides``: the user's data files, for place_rules.yaml)."""
    rules = recognition_rules(overrides)
    persons = _person_words(doc, rules)
    people = _people_words(doc)
    taken = [False] * len(doc)
    strong: list[Toponym] = []
    weak: list[Toponym] = []
    holders: list[Span] = []  # names that are not places but may hold one
    derived: list[Toponym] = []  # place entities read through a name inside them

    def take(span: Span) -> None:
        for i in range(span.start, span.end):
            taken[i] = True

    for ent in doc.ents:
        span = _trim(ent, rules)
        if span is None:
            continue
        if ent.label_ in rules.place_labels:
            if span[-1].tag_ in rules.adjective_tags:
                continue  # "Syrian" tagged GPE: the adjective pass below takes it
            if light_fold(span[0].text) in rules.rite_words:
                continue  # "Easter Vigil", "Ramadan" tagged GPE: a feast or rite, not a place
            named = _plausible(span, gazetteer, rules) or _designated(span, gazetteer, rules)
            if not named and not span[0].text[:1].isupper():
                continue  # "veranda", "meth" tagged GPE: an unknown name is capitalised
            if not named and all(t.lower_ in people for t in span if t.is_alpha):
                continue  # "Neymar" tagged GPE where "Neymar da Silva" is a PERSON: no place
            if named or len(span) == 1:
                strong.append(Toponym(span, "name", tuple(named)))
            else:
                # "Far North Queensland", "Manila Cathedral", "Turkish Embassy": the place inside
                inner = _contained(span, gazetteer, rules, persons, demonyms)
                derived.append(Toponym(span, "name", inner))
            take(span)
        elif ent.label_ in rules.other_labels and not _adjectival(span, rules):
            known = _weak_readings(span, gazetteer, rules, persons, slot=_locative(span, rules))
            if known:
                weak.append(Toponym(span, "name", known))
                take(span)
            elif ent.label_ in rules.holder_labels:
                holders.append(span)
        elif ent.label_ in rules.holder_labels:
            holders.append(span)
    # Runs of proper nouns outside any entity: the small model misses many town names.
    for run in _runs(doc, taken, persons, rules):
        known = _weak_readings(run, gazetteer, rules, persons, slot=_locative(run, rules))
        if known and run[-1].tag_ not in rules.adjective_tags:
            weak.append(Toponym(run, "name", known))
            take(run)
        elif len(run) > 1:
            holders.append(run)
    for holder in holders:
        for sub in _embedded(holder, gazetteer, rules, persons):
            if not any(taken[k] for k in range(sub.start, sub.end)):
                inside = _weak_readings(sub, gazetteer, rules, persons)
                weak.append(Toponym(sub, "embedded", inside))
                take(sub)
    adjectives = list(_adjectives(doc, taken, gazetteer, demonyms, rules))
    # The document's own countries: named, established by a single-country name or an
    # adjective, or where two different weak names agree (chance namesakes scatter).
    countries = {hint} if hint else set()
    for t in (*strong, *adjectives):
        vote = country_vote(t.readings)
        if vote is not None:
            countries.add(vote)
    named_by: dict[str, set[str]] = defaultdict(set)
    for t in weak:
        for p in t.readings:
            if p.country:
                named_by[p.country].add(fold(t.span.text))
    countries |= {c for c, names in named_by.items() if len(names) >= 2}
    kept = [
        Toponym(t.span, t.kind, supported)
        for t in weak
        if (supported := _supported(t, countries, rules))
    ]
    kept += [
        Toponym(t.span, t.kind, _supported(t, countries, rules, by_grammar=False)) for t in derived
    ]
    names = [
        Toponym(t.span, t.kind, t.readings or _variant_region(t.span, gazetteer, countries, rules))
        for t in (*strong, *kept)
    ]
    return sorted((*names, *adjectives), key=lambda t: t.span.start)


def country_vote(readings: Sequence[Place]) -> str | None:
    """The country a name establishes: the one it names, or the only one its readings lie in."""
    readings = [p for p in readings if p.feature != "region"]
    country = next((p.country for p in readings if p.feature == "country"), None)
    if country is None and len({p.country for p in readings}) == 1:
        country = readings[0].country
    return country


def _trim(span: Span, rules: Recognition) -> Span | None:
    """Drop leading determiners and trailing possessives/punctuation from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in rules.leading_articles):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return doc[start:end] if end > start else None


def _variant_region(
    span: Span, gazetteer: Gazetteer, countries: set[str], rules: Recognition
) -> tuple[Place, ...]:
    """A place entity the gazetteer does not know, read as the one first-level region of the
    document's countries whose name it spells with one letter changed, added or dropped
    ("Middle Shabelle" for Middle Shebelle, Somalia): transliterations vary by a vowel or a
    doubled letter. Names shorter than ``min_variant_length`` letters are left alone."""
    words = [t.lower_ for t in span]
    if len(words) > 1 and words[-1] in rules.designators:
        words = words[:-1]
    name = fold(" ".join(words))
    if len(name.replace(" ", "")) < rules.min_variant_length:
        return ()
    found = {
        place
        for country in sorted(countries)
        for key, place in gazetteer.admin1_names(country)
        if _one_edit(name, key)
    }
    return tuple(found) if len(found) == 1 else ()


def _one_edit(a: str, b: str) -> bool:
    """Whether two different strings differ by one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _adjectival(span: Span, rules: Recognition) -> bool:
    """Nationality adjectives and plural demonyms ('Syrian', 'Russians') are not names."""
    last: Token = span[-1]
    return last.tag_ in rules.adjective_tags or (span.label_ == "NORP" and last.tag_ != "NNP")


def _plausible(span: Span, gazetteer: Gazetteer, rules: Recognition) -> list[Place]:
    """Readings the entity label allows: a LOC (sea, range, region) is no village."""
    places = gazetteer.candidates(span.text)
    if span.label_ in rules.natural_labels:
        floor = rules.min_other_population
        return [p for p in places if p.feature != "city" or p.population >= floor]
    return places


def _designated(span: Span, gazetteer: Gazetteer, rules: Recognition) -> list[Place]:
    """'Hama province', 'Province of Hama', 'Granville County': the name with its designator
    word off, a province-like designator preferring first-level regions."""
    words = [t.lower_ for t in span]
    if len(span) >= 2 and words[-1] in rules.designators:
        base, designator = span[:-1], words[-1]
    elif len(span) >= 3 and words[0] in rules.designators and words[1] == "of":
        base, designator = span[2:], words[0]
    else:
        return []
    places = gazetteer.candidates(base.text)
    if rules.designators[designator] == "admin1":
        return [p for p in places if p.feature == "admin1"] or places
    return places


def _contained(
    span: Span,
    gazetteer: Gazetteer,
    rules: Recognition,
    persons: frozenset[str],
    demonyms: Demonyms | None,
) -> tuple[Place, ...]:
    """Readings of the last well-known name inside an unknown place name (the head of an
    English compound: 'Far North *Queensland*', 'Innocence Project of *Texas*'; the longest
    where several end together), else of an adjective of place in it ('Turkish Embassy'). A
    town must be a city: 'Temple Mount' is not in Temple, Texas."""
    best: tuple[Place, ...] = ()
    best_key = (-1, -1)
    for j in range(span.end, span.start, -1):
        for i in range(span.start, j):
            sub = span.doc[i:j]
            if (i, j) == (span.start, span.end) or not _is_name_word(sub[0]):
                continue
            readings = tuple(
                p
                for p in _weak_readings(sub, gazetteer, rules, persons)
                if p.feature != "city" or p.population >= rules.min_contained_population
            )
            if readings and (j, j - i) > best_key:
                best, best_key = readings, (j, j - i)
        if best:
            break
    if best:
        return best
    for token in span:
        place = _adjective_place(token.text, gazetteer, demonyms)
        if place is not None and token.text[:1].isupper():
            return (place,)
    return ()


def _adjective_place(text: str, gazetteer: Gazetteer, demonyms: Demonyms | None) -> Place | None:
    """The region or country an adjective names ('European', 'Syrian'), or None."""
    place = gazetteer.region_of_adjective(text)
    if place is None and demonyms is not None:
        iso2 = demonyms(text)
        place = gazetteer.country(iso2) if iso2 is not None else None
    return place


def _person_words(doc: Doc, rules: Recognition) -> frozenset[str]:
    """Words of the document's multi-word person names: 'King' after 'Jaime King' is her.

    Only names of proper nouns count ('Losing Hama' tagged PERSON is no name), and no word the
    document elsewhere tags as a place.
    """
    places = {t.lower_ for ent in doc.ents if ent.label_ in rules.place_labels for t in ent}
    return frozenset(
        t.lower_
        for ent in doc.ents
        if ent.label_ == "PERSON"
        and len(ent) > 1
        and all(t.pos_ == "PROPN" for t in ent if t.is_alpha)
        for t in ent
        if t.lower_ not in places
    )


def _people_words(doc: Doc) -> frozenset[str]:
    """Words of the document's person names, whatever else the model tags them: a name the
    gazetteer does not know and the document calls a person elsewhere is that person."""
    return frozenset(t.lower_ for ent in doc.ents if ent.label_ == "PERSON" for t in ent)


def _is_name_word(token: Token) -> bool:
    """A proper noun in title case, or in capitals ('BEIRUT (AP) —' datelines)."""
    return token.pos_ == "PROPN" and (token.is_title or (token.is_upper and len(token) > 1))


def _runs(
    doc: Doc, taken: list[bool], persons: frozenset[str], rules: Recognition
) -> Iterator[Span]:
    """Maximal runs of name words that no entity took, person names excluded."""
    blocked = list(taken)
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            for t in ent:
                blocked[t.i] = blocked[t.i] or t.lower_ in persons
    dateline = _dateline_words(doc, rules)
    i = 0
    while i < len(doc):
        if blocked[i] or not (_is_name_word(doc[i]) or i in dateline):
            i += 1
            continue
        j = i
        while j < len(doc) and not blocked[j] and (_is_name_word(doc[j]) or j in dateline):
            j += 1
        yield doc[i:j]
        i = j


def _dateline_words(doc: Doc, rules: Recognition) -> set[int]:
    """Words in capitals that open a line before a dateline mark ('SOUTH WAZIRISTAN, April 5'):
    the model tags such words at random, but a dateline names a place."""
    out: set[int] = set()
    line_start = True
    for token in doc:
        starts, line_start = line_start, "\n" in token.text_with_ws
        if not starts:
            continue
        j = token.i
        while j < len(doc) and doc[j].is_alpha and doc[j].is_upper and len(doc[j]) > 1:
            j += 1
        if token.i < j < len(doc) and doc[j].text in rules.dateline_marks:
            out.update(range(token.i, j))
    return out


def _is_acronym(span: Span, rules: Recognition) -> bool:
    """A short word in capitals ('BA', 'OAS'), unless it opens a dateline ('HAMA, Syria —')."""
    letters = span.text.replace(".", "")
    if not (letters.isalpha() and letters.isupper() and len(letters) <= rules.max_acronym):
        return False
    doc = span.doc
    line_start = span.start == 0 or "\n" in doc[span.start - 1].text_with_ws
    return not (line_start and span.end < len(doc) and doc[span.end].text in rules.dateline_marks)


def _weak_readings(
    span: Span,
    gazetteer: Gazetteer,
    rules: Recognition,
    persons: frozenset[str],
    *,
    slot: bool = False,
) -> tuple[Place, ...]:
    """Readings of a name that only weak evidence offers: well-known places by their own name.

    A town must be sizable and named by its main name or a long alternate one (GeoNames'
    alternate names include nicknames and other languages' short forms: 'King' for Anqing,
    'Julia' for Plovdiv, but also 'Palmyra' for Tadmur); an acronym
    may only be a country's or a union's ('US', 'UAE', 'EU') or a two-letter region code
    ('NJ'): 'BBC' is no 'B.C.'. A word of a person's name is no place. In a place's slot
    ('captured Saraqib', 'the town of Tal Rifaat') the grammar vouches for it: any town will do,
    and only there is a name an airport's ('landed at Dulles').
    """
    text = span.text
    # A designator vouches for a place even where the model reads the word as a person's ("the
    # central town of Beledweyne", tagged PERSON, as in "Beledweyne District Commissioner Omar").
    personal = len(span) == 1 and span[0].lower_ in persons and not _designated_slot(span, rules)
    if light_fold(text) in rules.skip_words or personal:
        return ()
    key = fold(text)
    acronym = _is_acronym(span, rules)
    out = []
    for p in gazetteer.candidates(text):
        if acronym:
            ok = p.feature in _WHOLE_AREAS or (p.feature == "admin1" and len(text) == 2)
        elif p.feature == "city":
            ok = (slot or p.population >= rules.min_other_population) and (
                fold(p.name) == key or len(key) >= rules.min_alternate_length
            )
        elif p.feature == "facility":
            ok = slot  # "Dulles" tagged as no place is an airport only "at" it
        else:
            ok = True
        if ok:
            out.append(p)
    return tuple(out)


def _supported(
    toponym: Toponym, countries: set[str], rules: Recognition, *, by_grammar: bool = True
) -> tuple[Place, ...]:
    """The weak readings the document supports (see the module docstring). A document that
    establishes no country contradicts none, and a name the grammar puts in a place's slot
    ('withdrew from Bakhmut') needs no support; a place entity read through a name inside it
    is known to be a place, the grammar says nothing of which ('at St. Peter's Basilica' is
    not in Saint Peter, Antigua)."""
    if not countries:
        return toponym.readings
    if by_grammar and _locative(toponym.span, rules):
        # The slot vouches for a place, not for a small namesake abroad.
        return tuple(
            p
            for p in toponym.readings
            if p.feature != "city"
            or p.population >= rules.min_other_population
            or p.country in countries
        )
    return tuple(
        p
        for p in toponym.readings
        if p.feature in _WHOLE_AREAS
        or p.country in countries
        or (p.feature == "city" and p.population >= rules.big_city_population)
    )


def _locative(span: Span, rules: Recognition) -> bool:
    """Whether the name is the object of a place preposition or verb ('in X', 'entered X') or
    follows a designator ('the town of X'); a conjunct shares its first's slot ('captured
    Saraqib and Maarat al-Numan')."""
    root = _slot_root(span)
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in rules.locative_prepositions:
        return True
    if _designated_slot(span, rules):
        return True  # "the town of Tal Rifaat", "the province of Idlib"
    return root.dep_ == "dobj" and head.lemma_.lower() in rules.locative_verbs


def _designated_slot(span: Span, rules: Recognition) -> bool:
    """Whether the name follows a designator: "the town of Tal Rifaat", "the province of Idlib"
    (a conjunct shares its first's slot)."""
    root = _slot_root(span)
    head = root.head
    designated = head.lower_ == "of" and head.head.lemma_.lower() in rules.designators
    return root.dep_ == "pobj" and designated


def _slot_root(span: Span) -> Token:
    """The word whose slot a name fills: its root, or the first conjunct's ('captured Saraqib
    and *Maarat al-Numan*')."""
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    return root


def _embedded(
    span: Span, gazetteer: Gazetteer, rules: Recognition, persons: frozenset[str]
) -> Iterator[Span]:
    """Well-known place names inside a longer name: 'New York' in 'The New York Times',
    'Pakistan' in 'Pakistan Army'. Longest first at each word."""
    i = span.start
    while i < span.end:
        for j in range(span.end, i, -1):
            sub = span.doc[i:j]
            if (sub.start, sub.end) == (span.start, span.end):
                continue
            if all(_is_name_word(t) for t in sub) and _weak_readings(
                sub, gazetteer, rules, persons
            ):
                yield sub
                i = j - 1
                break
        i += 1


def _adjectives(
    doc: Doc,
    taken: list[bool],
    gazetteer: Gazetteer,
    demonyms: Demonyms | None,
    rules: Recognition,
) -> Iterator[Toponym]:
    """Adjectives of place ('Syrian army', 'South Korean court', 'European economy'), read as
    the country or region they name; plural demonyms ('Syrians') name people, not places."""
    # Capitalised words no name took, tested on the text first: spans cost more than strings.
    articles = rules.leading_articles
    open_word = [not taken[t.i] and t.text[:1].isupper() and t.lower_ not in articles for t in doc]
    k = 0
    while k < len(doc):
        if not open_word[k]:
            k += 1
            continue
        found = None
        for n in (2, 1):
            if k + n > len(doc) or not all(open_word[k : k + n]):
                continue
            span = doc[k : k + n]
            if span[-1].tag_ in _PLURAL_NOUN_TAGS:
                continue
            place = _adjective_place(span.text, gazetteer, demonyms)
            if place is None and n == 1:
                place = _compound_place(span.text, gazetteer)
            if place is not None:
                found = Toponym(span, "adjective", (place,))
                break
        if found is not None:
            yield found
            k = found.span.end
        else:
            k += 1


def _compound_place(word: str, gazetteer: Gazetteer) -> Place | None:
    """The country or region before the hyphen of one word ('U.S.-led', which the tokenizer
    keeps whole for its dots): a modifier of place like an adjective."""
    head, dash, rest = word.partition("-")
    if not dash or not rest or not head[:1].isupper():
        return None
    return next((p for p in gazetteer.candidates(head) if p.feature in _WHOLE_AREAS), None)
