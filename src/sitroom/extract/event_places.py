"""Where an event was: the place its clause names, the town "the city" stands for, else the
place the report last named before it (inferred), or the report's country (inferred)."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from sitroom.extract.facts import DocFacts, PlaceHit
from sitroom.extract.places import location_of, precision_for
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueMatch
from sitroom.records import Location

# Dependencies and tags the rules read (data/syntax.yaml; each is commented there).
_SUBJECT_DEPS = loader.labels("syntax.yaml", "subject_deps")
_DIRECT_OBJECT_DEPS = loader.labels("syntax.yaml", "direct_object_deps")
_HYPHEN_MODIFIER_TAGS = loader.labels("syntax.yaml", "hyphen_modifier_tags")
_CONJUNCT_DEPS = loader.labels("syntax.yaml", "conjunct_deps")
_PHRASE_OBJECT_DEPS = loader.labels("syntax.yaml", "phrase_object_deps")
_ORIGIN_MODIFIER_DEPS = loader.labels("syntax.yaml", "noun_modifier_deps")
_DEMONYM_MODIFIER_DEPS = loader.labels("syntax.yaml", "demonym_modifier_deps")
_NOMINAL_POS = loader.labels("syntax.yaml", "nominal_pos")
_ADJECTIVAL_DEPS = loader.labels("syntax.yaml", "adjectival_deps")
_OWN_CLAUSE_DEPS = loader.labels("syntax.yaml", "own_clause_deps")
_VERBAL_POS = loader.labels("syntax.yaml", "verbal_pos")
_TOLD_CLAUSE_DEPS = loader.labels("syntax.yaml", "told_clause_deps")  # "celebrated *what ...*"


def locate(
    facts: DocFacts,
    anchor: Token,
    sent: Span,
    clause: set[int],
    group: list[CueMatch],
    parties: set[int],
) -> Location | None:
    """The most specific resolved place in the trigger's clause, else in its sentence."""
    doc = facts.doc
    subtree = {t.i for cue in group for t in doc[cue.start : cue.end].root.subtree}
    subtree |= {t.i for t in anchor.subtree}
    # A place inside another act's phrase ("seized the city, advancing towards Hama") is that
    # act's place, not this one's.
    onward = loader.words("event_cues.yaml", "onward_concepts", facts.overrides)
    elsewhere: set[int] = set()
    for cue in facts.cues:
        other = doc[cue.start]
        if (
            sent.start <= cue.start < sent.end
            and cue.role != "context"
            and other.i not in subtree
            and cue not in group
            # The word the anchor hangs from ("Clashes ... *killed* five fighters near
            # Raqqa") tells the same act, unless it is a move elsewhere ("having seized the
            # city, are now *advancing* towards Hama").
            and (other.i != anchor.head.i or cue.concept in onward)
        ):
            # An event noun's clause is its verb's ("a ceasefire took effect in Lebanon").
            if other.dep_ in _SUBJECT_DEPS and not other.head.is_ancestor(anchor):
                other = other.head
            elsewhere |= {t.i for t in other.subtree} - subtree
    elsewhere |= _topic(facts, anchor, group)
    hits = [
        h
        for h in facts.places_in(sent.start, sent.end)
        if h.mention.place is not None
        and not _modifier(doc, h)
        and not _agent(doc, h)
        and not _in_party_name(facts, h)
        and not _origin(facts, h)
        and not _whose_thing(facts, h)
        and h.start not in elsewhere
        and h.start not in parties
    ]
    # "the army withdrew from the city, ..., opening the road south toward Homs": the town
    # "the city" stands for is the act's, before a place in a clause of the trigger's own.
    own = {anchor.i} | {
        t.i for c in anchor.children if c.dep_ not in _OWN_CLAUSE_DEPS for t in c.subtree
    }
    if not any(h.start in own for h in hits):
        town = _town_meant(facts, anchor)
        hits = [town] if town is not None else hits
    if not hits:
        return None
    # A town a bearing is taken from gives way to a town or province the sentence names
    # besides ("Baquba, 40 miles northeast of Baghdad"), not to a country ("southwest of Mosul,
    # in northern Iraq" is near Mosul).
    references = {h.start for h in hits if _reference_point(facts, h)}
    if any(h.start not in references and not _a_country(h) for h in hits):
        hits = [h for h in hits if h.start not in references]
    # A dateline says where the report was filed ("TEHRAN (FNA)- Iraq's army has shot down two
    # planes ... in Al-Anbar province"): any other place its sentence names is the act's.
    filed = {h.start for h in hits if _dateline(facts, h)}
    if any(h.start not in filed for h in hits):
        hits = [h for h in hits if h.start not in filed]

    def key(hit: PlaceHit) -> tuple[int, int, int, int]:
        place = hit.mention.place
        assert place is not None  # filtered above
        # Features are Place.feature's (the gazetteer's own vocabulary), not words.
        level = {"city": 0, "facility": 0, "admin1": 1, "country": 2}.get(place.feature, 1)
        return (hit.start not in subtree, hit.start not in clause, level, abs(hit.start - anchor.i))

    best = min(hits, key=key)
    place = best.mention.place
    assert place is not None
    before = facts.doc[max(sent.start, best.start - 3) : best.start]
    near_words = loader.words("place_rules.yaml", "near_words", facts.overrides)
    near = any(t.lower_ in near_words for t in before)
    return location_of(place, precision=precision_for(place, near=near))


def in_other_adverbial(token: Token, anchor: Token) -> bool:
    """Whether ``token`` lies in an adverbial clause ("as the threat to Damascus grows")
    that does not hold ``anchor``."""
    while token.head.i != token.i:
        if token.dep_ == "advcl" and not token.is_ancestor(anchor) and token.i != anchor.i:
            return True
        token = token.head
    return False


def report_country(facts: DocFacts) -> Location | None:
    """The report's country as an inferred place, where the report names it and towns or
    provinces in it: a country named only as a party ("Israel attacked Hezbollah") is no
    report's scene."""
    scene = any(
        h.mention.place is not None
        and h.mention.place.feature != "country"
        and h.mention.place.country == facts.country
        for h in facts.places
    )
    if not scene:
        return None
    for hit in facts.places:
        place = hit.mention.place
        if place is not None and place.feature == "country" and place.country == facts.country:
            return replace(location_of(place, precision=3), inferred=True)
    return None


def context_place(facts: DocFacts, sent: Span) -> Location | None:
    """For an incident whose sentence names no place: the town or province of the report's
    country that the report named last before the sentence (ACLED codes the most specific
    place the report ties to the event: the place of the lead or of the paragraph before),
    else the report's country; inferred either way, so it never places two events together."""
    doc = facts.doc
    if facts.country is None:
        return None
    for hit in reversed(facts.places):
        place = hit.mention.place
        if hit.start >= sent.start or place is None:
            continue
        if place.feature == "country" or place.country != facts.country:
            continue
        if _modifier(doc, hit) or _agent(doc, hit) or _in_party_name(facts, hit):
            continue
        if _origin(facts, hit):
            continue
        precision = 3 if place.feature == "admin1" else 2
        return replace(location_of(place, precision=precision), inferred=True)
    return report_country(facts)


def _town_meant(facts: DocFacts, anchor: Token) -> PlaceHit | None:
    """The town that the trigger's object "the city" stands for ("having seized the city")."""
    for word in anchor.children:
        if word.dep_ in _DIRECT_OBJECT_DEPS:
            objects = [word]
        elif word.dep_ == "prep":
            objects = [c for c in word.children if c.dep_ == "pobj"]
        else:
            continue
        for obj in objects:
            if facts.is_town_noun(obj):
                return facts.town_before(obj, sentence_only=False)
    return None


def _agent(doc, hit: PlaceHit) -> bool:
    """A name that is a passive's agent ("fighters, backed by Iran") says who, not where."""
    token = doc[hit.start : hit.end].root
    while token.dep_ == "conj" and token.head.i != token.i:  # "agreed by Russia and Turkey"
        token = token.head
    return token.head.dep_ == "agent"


def _a_country(hit: PlaceHit) -> bool:
    # Features are Place.feature's (the gazetteer's own vocabulary), not words.
    return hit.mention.place is not None and hit.mention.place.feature == "country"


def _reference_point(facts: DocFacts, hit: PlaceHit) -> bool:
    """A town named as the point a bearing or a distance is taken from ("40 miles northeast
    *of Baghdad*", "north-west of the capital *Riyadh*"): not where the act was."""
    token = facts.doc[hit.start : hit.end].root
    while token.dep_ in _CONJUNCT_DEPS and token.head.i != token.i:
        token = token.head  # "the capital Riyadh": the capital is the preposition's object
    prep = token.head
    if token.dep_ not in _PHRASE_OBJECT_DEPS or prep.i == 0:
        return False
    rules = facts.overrides
    bearings = loader.words("place_rules.yaml", "bearing_words", rules)
    return (
        prep.lower_ in loader.words("place_rules.yaml", "reference_preps", rules)
        and facts.doc[prep.i - 1].lower_ in bearings
    )


def _in_party_name(facts: DocFacts, hit: PlaceHit) -> bool:
    """A name inside a longer name of a party ("the *US* President said", "*US* officials",
    "the Islamic State of *Iraq* and Syria") says whose, not where."""
    mention = facts.actor_index[hit.start]
    if mention is None:
        return False
    head = facts.doc[mention.start : mention.end].root  # "*President*"; "The United *States*"
    return not hit.start <= head.i < hit.end


def _modifier(doc, hit: PlaceHit) -> bool:
    """A name used as a modifier ("Iran-backed", "Idlib-based") says who, not where."""
    return (
        hit.end + 1 < len(doc)
        and doc[hit.end].text == "-"
        and doc[hit.end + 1].tag_ in _HYPHEN_MODIFIER_TAGS
    )


def _origin(facts: DocFacts, hit: PlaceHit) -> bool:
    """A place named as someone's or something's origin ("a citizen *of Kyrgyzstan*", "his
    native *Kyrgyzstan*", "weapons made *in the US*") says whose, not where an act was
    (``place_rules.yaml`` ``origin_nouns``, ``making_verbs``)."""
    origins = loader.words("place_rules.yaml", "origin_nouns", facts.overrides)
    rules = facts.overrides
    token = facts.doc[hit.start : hit.end].root
    conjunct = False
    while token.dep_ in _CONJUNCT_DEPS and token.head.i != token.i:
        token, conjunct = token.head, True  # "a citizen of Kyrgyzstan and Russia"
    if any(c.dep_ in _ORIGIN_MODIFIER_DEPS and c.lower_ in origins for c in token.children):
        return True
    if conjunct and _made_in(token, rules):
        # "weapons made in the US, European countries and Israel", the later conjuncts parsed
        # as the thing's own: they go with the place it was made in.
        return True
    prep = token.head
    if token.dep_ not in _PHRASE_OBJECT_DEPS:
        return False
    if prep.lower_ in loader.words("place_rules.yaml", "origin_preps", rules):
        return prep.head.lemma_.lower() in origins
    # "weapons made in the US": where a thing was made.
    making = loader.words("place_rules.yaml", "making_verbs", rules)
    return prep.lower_ in loader.words("place_rules.yaml", "making_preps", rules) and (
        prep.head.lemma_.lower() in making
    )


def _made_in(thing: Token, rules: loader.Overrides) -> bool:
    """Whether a thing has a participle of making with a place phrase ("weapons *made in* the
    US")."""
    making = loader.words("place_rules.yaml", "making_verbs", rules)
    preps = loader.words("place_rules.yaml", "making_preps", rules)
    return any(
        c.dep_ in _ADJECTIVAL_DEPS
        and c.lemma_.lower() in making
        and any(p.dep_ == "prep" and p.lower_ in preps for p in c.children)
        for c in thing.children
    )


def _topic(facts: DocFacts, anchor: Token, group: list[CueMatch]) -> set[int]:
    """Token indices of what a protest is about ("massed in Istanbul *in protest of police
    actions in Jerusalem*", "protesting *the US occupation*"): its object and its phrases of
    ``event_cues.yaml`` ``topic_preps``, where the trigger is a cue of ``topic_concepts``; for
    a crowd's noun that is its verb's subject, the verb's ("demonstrators celebrated *what they
    called a new victory for Sudan*")."""
    rules = facts.overrides
    about = loader.words("event_cues.yaml", "topic_concepts", rules)
    if not any(cue.concept in about for cue in group):
        return set()
    preps = loader.words("event_cues.yaml", "topic_preps", rules)
    holders = [anchor]
    if anchor.dep_ in _SUBJECT_DEPS and anchor.head.pos_ in _VERBAL_POS:
        holders.append(anchor.head)
    return {
        t.i
        for holder in holders
        for child in holder.children
        if child.dep_ in _DIRECT_OBJECT_DEPS | _TOLD_CLAUSE_DEPS
        or (child.dep_ == "prep" and child.lower_ in preps)
        for t in child.subtree
    }


def _dateline(facts: DocFacts, hit: PlaceHit) -> bool:
    """A place in a line's opening dateline ("TEHRAN (FNA)-", "BOSTON —", "Sanaa, Yemen (CNN)"):
    the line opens with place names and commas up to a mark of ``place_rules.yaml``
    ``dateline_marks`` other than a comma."""
    doc = facts.doc
    marks = loader.words("place_rules.yaml", "dateline_marks", facts.overrides) - {","}
    start = hit.start
    while start > 0 and not doc[start - 1].is_space:
        start -= 1
        if doc[start].text != "," and facts.place_index[start] is None:
            return False
    if start > 0 and "\n" not in doc[start - 1].text:
        return False
    for token in doc[hit.end :]:
        if token.text in marks:
            return True
        if token.text != "," and facts.place_index[token.i] is None:
            return False
    return False


def _whose_thing(facts: DocFacts, hit: PlaceHit) -> bool:
    """A country as the modifier of a thing ("*US* and Israeli-made weapons", "the *US*
    embassy") says whose, not where; as the modifier of an act's word ("the *Syria*
    offensive") or of a part of its ground ("*US* soil", ``place_rules.yaml`` ``ground_nouns``
    and ``locator_lemmas``) it is the act's place."""
    token = facts.doc[hit.start : hit.end].root
    head = token.head
    if not _a_country(hit) or token.dep_ not in _DEMONYM_MODIFIER_DEPS or head.i == token.i:
        return False
    rules = facts.overrides
    grounds = loader.words("place_rules.yaml", "ground_nouns", rules)
    if head.lemma_.lower() in grounds | loader.words("place_rules.yaml", "locator_lemmas", rules):
        return False  # "attacks on *US* soil", "the *Syria* border": a part of the country
    return head.pos_ in _NOMINAL_POS and not facts.names_act(head.i)
