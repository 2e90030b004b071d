"""Whether an event mention's word is in another sense than an act, or a figure of speech: what
is taken or banned is no place or group ("withdrew from ECOWAS", "banned the import of chicks"),
a fight is allegiance or a description ("militants fighting for IS", "the militia group battling
ISIS"), an accord is named rather than made, a crowd is a target, a fight is a figure ("a battle
over tariffs"). The incident grouping (``extract.incidents``) drops the mentions these rules
reject; ``extract.incident_filters`` holds the rules of tense, habit and time.
"""

from __future__ import annotations

from spacy.tokens import Token

from sitroom.extract.arguments import borrowed_subject, own_phrase
from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts
from sitroom.extract.incident_filters import (
    CURRENT,
    governing_verb,
    in_concepts,
    specific,
    taken,
)
from sitroom.knowledge import loader
from sitroom.records import ARMED_KINDS

# Kinds of party a group change is made to: armed, political, an organisation.
_GROUP_KINDS = ARMED_KINDS | {"political", "organisation"}
# A hyphen, and the tags of a modifier after one ("battle-*hardened*"; data/syntax.yaml).
_HYPHENS = loader.labels("syntax.yaml", "hyphens")
_MODIFIER_TAGS = loader.labels("syntax.yaml", "hyphen_modifier_tags")
# Entity labels of names that are no place (data/syntax.yaml).
_NOT_PLACE_ENTITIES = loader.labels("syntax.yaml", "not_place_labels")
_OF = frozenset({"of"})  # the preposition of what a noun is of
# Dependencies of an adjective that tells a state a verb brings ("fell *ill*"; data/syntax.yaml).
_STATE_DEPS = loader.labels("syntax.yaml", "state_complement_deps")
_SUBJECT_DEPS = loader.labels("syntax.yaml", "subject_deps")
# Possessive pronouns of one person (a thing held over is then one's own: "*his* health").
_PERSON_POSSESSIVES = loader.labels("syntax.yaml", "person_possessives")
_NOUN_POS = loader.labels("syntax.yaml", "nominal_pos")
_PARTICIPLE_TAGS = loader.labels("syntax.yaml", "participle_tags")
_ACRONYM_LENGTH = 3  # letters of an upper-case name read as an acronym ("JCPOA", not "UK")


def figurative(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An act's noun that a modifier or its opponent makes a figure of speech: "launched a
    political offensive against the budget", "a legal battle", "a verbal attack", "lost his
    battle with cancer"; an act's verb whose object is a state of relations, not a thing or a
    party ("diplomats defused tensions", "the crisis was defused"), or, with no object, whose
    subject is one ("Bosnia needs this situation defused")."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ in ("VERB", "AUX"):
        # ... or, with none, its subject where that is a state ("needs this situation defused")
        objects = taken(anchor) or [c for c in anchor.children if c.dep_ == "nsubj"]
        return bool(objects) and all(
            o.lemma_.lower() in cues["figurative_objects"] for o in objects
        )
    if anchor.pos_ != "NOUN":
        return False
    words = cues["figurative_modifiers"]
    if any(c.dep_ in ("amod", "compound") and c.lower_ in words for c in anchor.children):
        return True
    foes = cues["figurative_opponents"]
    # the noun's own phrase, or its verb's where the parser hangs it there ("lost his battle
    # *with* cancer")
    holders = [anchor, anchor.head] if anchor.dep_ == "dobj" else [anchor]
    opponents = [g for h in holders for p in h.children if p.dep_ == "prep" for g in p.children]
    return any(o.dep_ == "pobj" and o.lemma_.lower() in foes for o in opponents)


def campaign(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A noun of a campaign told against a foe ("a key ally in the fight against AQAP", "the
    fight against al-Shabab militants has caused many to flee"): the war, not an incident,
    unless its own phrase gives it a day or a toll ("the fight against IS on Tuesday")."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ != "NOUN" or anchor.lemma_.lower() not in cues["campaign_nouns"]:
        return False
    if not any(c.dep_ == "prep" and c.lower_ in cues["campaign_preps"] for c in anchor.children):
        return False
    phrase = {t.i for t in anchor.subtree}
    if any(d.start in phrase for d in facts.dates):
        return False
    return not any(h.start in phrase for h in facts.casualties)


def civil_fight(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight whose doers are people who do not bear arms by trade ("lawmakers waged a fierce
    battle over tariffs", "the firms are locked in a legal battle", "he's still fighting"), or
    told by a loose word of fighting whoever its doers ("teenagers deeply engaged with screens",
    "the struggle that we're engaged with"): a figure of speech, unless an armed party takes
    part in its sentence."""
    anchor = facts.doc[cand.trigger]
    if not in_concepts(anchor, facts, cues["fight_concepts"]):
        return False
    verb = anchor
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    doers = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    loose = anchor.lemma_.lower() in cues["loose_fight_words"]
    # "the Oval Office clash between Trump and Zelenskyy": a fight's sides named by "between"
    sides = [
        side
        for p in anchor.children
        if p.dep_ == "prep" and p.lower_ in cues["fight_side_preps"]
        for g in p.children
        if g.dep_ == "pobj"
        for side in (g, *g.conjuncts)
    ]
    two_people = bool(sides) and all(_civil(s, facts, cues) for s in sides)
    if not loose and not two_people and not any(_civil(d, facts, cues) for d in doers):
        return False
    sent = anchor.sent
    # a party named by a noun: a nationality's adjective ("many *Chinese* teenagers") is none
    armed = (facts.actor_index[t.i] for t in sent if t.pos_ != "ADJ")
    return not any(m is not None and m.actor.kind in ARMED_KINDS for m in armed)


def _civil(doer: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a fight's doer bears no arms by trade: a word of `civil_doers`, one person ("he's
    still fighting", said of a man on trial), or a person the knowledge base knows."""
    if doer.lemma_.lower() in cues["civil_doers"] or doer.lower_ in cues["person_pronouns"]:
        return True
    mention = facts.actor_index[doer.i]
    return mention is not None and mention.actor.kind == "person"


def allegiance(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight whose preposition names the side fought on ("militants *fighting for* ISIS in
    Syria"): it tells who belongs to a party, not an incident."""
    anchor = facts.doc[cand.trigger]
    if not in_concepts(anchor, facts, cues["fight_concepts"]):
        return False
    preps = cues["allegiance_preps"]
    sides = [
        g
        for p in anchor.children
        if p.dep_ == "prep" and p.lower_ in preps
        for g in p.children
        if g.dep_ == "pobj"
    ]
    # the side's own words ("the Kurdish YPJ"), not a phrase inside ("for years in a war
    # against Turkey")
    return any(facts.actor_index[t.i] is not None for s in sides for t in s.subtree if t.i <= s.i)


def other_sense(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A territorial act's word in another sense: what is taken or left is no place ("withdrew
    from ECOWAS", "seized critical data"). An act with no object ("the rebels withdrew") or
    whose object is a place, a place's word or a held thing ("seized the base") is territorial;
    a verb with an adjective of state ("fell ill") is not."""
    event = cand.event
    if (event.sub_event_type or "").lower() not in cues["territory_sub_events"]:
        return False
    if event.status not in CURRENT:
        return False
    anchor = facts.doc[cand.trigger]
    if any(c.dep_ in _STATE_DEPS or c.lower_ in cues["state_words"] for c in anchor.children):
        return True  # a change of state: "the deputy president *fell ill*"
    if _a_hold_alone(anchor, facts, cues):
        return True
    objects = taken(anchor)
    if objects and all(_a_person(o, facts, cues) for o in objects):
        return True  # a person taken somewhere: "Al-Baghdadi was taken to Al Qaim hospital"
    objects += [
        g
        for p in anchor.children
        if p.dep_ == "prep"
        for g in p.children
        # ... not who it goes to ("Aleppo fell *to the rebels*")
        if not (p.lower_ in cues["recipient_preps"] and facts.actor_index[g.i] is not None)
    ]
    for obj in list(objects):  # "took control of/over X"; "a *district* centre"
        held = [
            g
            for p in obj.children
            if p.dep_ == "prep" and p.lower_ in cues["holding_preps"]
            for g in p.children
        ]
        if obj.lemma_.lower() in cues["holding_nouns"] and any(_owned(h) for h in held):
            # a hold over what a person owns is a figure: "regained control over his health"
            # holds no place ("took control of the town", "of their positions" do)
            return True
        objects += held
        objects += [c for c in obj.children if c.dep_ == "compound"]
    dated = {i for d in facts.dates for i in range(d.start, d.end)}  # "in late January"
    objects = [o for o in objects if o.dep_ != "prep" and o.i not in dated]
    if anchor.dep_ == "relcl":  # "Aleppo, which rebels had swept into": the pronoun's antecedent
        objects = [anchor.head if o.tag_ in ("WDT", "WP") else o for o in objects]
    return bool(objects) and not any(_a_place(o, facts, cues) for o in objects)


def _a_hold_alone(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a territorial act's word is the noun of a hold and its sentence tells no taking
    or leaving: "a dispute over *control* of a stretch of the Indian Ocean", "since the group
    expanded its *control* of territory" name a hold, not its taking ("the army had driven the
    rebels *back* and remained in full *control* of Hama" tells one: a word of regaining)."""
    if anchor.pos_ not in _NOUN_POS or anchor.lemma_.lower() not in cues["holding_nouns"]:
        return False
    sent = anchor.sent
    return not any(
        c.concept in (cues["taking_concepts"] if c.role == "trigger" else cues["taking_contexts"])
        for c in facts.cues
        if sent.start <= c.start < sent.end and c.start != anchor.i
    )


def no_side(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Joining that names no side joined: "many joined believing ...", "joined the talks" tell
    no change of a group; "Iran-backed militias join Assad" does (its object is a party)."""
    anchor = facts.doc[cand.trigger]
    if anchor.lemma_.lower() not in cues["side_verbs"]:
        return False
    sides = [c for c in anchor.children if c.dep_ == "dobj"]
    if not any(facts.actor_index[t.i] is not None for s in sides for t in s.subtree):
        return True
    return _one_person_joins(anchor, facts, cues)


def _one_person_joins(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether who joins is a person, not a group: "he then joined the Islamic State", "the
    mother had joined the policemen", "many who have joined the Islamic State" tell recruits;
    ACLED codes a group's change of side ("Iran-backed militias join Assad")."""
    joiners = [c for c in anchor.children if c.dep_ == "nsubj"]
    if anchor.dep_ == "relcl":  # "many who have joined": the pronoun's antecedent
        joiners = [anchor.head if j.tag_ in ("WDT", "WP") else j for j in joiners]
    if not joiners:
        return False  # "troops were sent to join": the subject is elsewhere
    for joiner in joiners:
        if joiner.lower_ in cues["person_pronouns"]:
            continue
        for token in own_phrase(joiner):
            mention = facts.actor_index[token.i]
            if mention is not None and mention.actor.kind in _GROUP_KINDS:
                return False
        if joiner.tag_ == "PRP":
            return False  # "they joined": whoever they are
    return True


def not_forces(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A mobilisation's word in another sense: what is sent, deployed or amassed is no force
    ("dispatched coffins from Quetta railway station", "amassed 12.89 million followers"). A
    force is an armed party the knowledge base knows or a word of the concept's own context
    ("reinforcements", "units")."""
    return _moves_none(cand, facts, cues["mobilize_concepts"], None, ARMED_KINDS)


def not_a_group(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A group change's word in another sense: what is banned, suspended, formed, appointed or
    relocated is no group ("banned the import of chicks", "the book was banned", "the bench
    appointed to hear the case", "nationals who have relocated to Japan"). A group is a party
    the knowledge base knows (armed, political or an organisation) or a word of the concept's
    own context ("a new faction", "its leadership"); a curfew or a state of emergency changes
    no one in particular and is left alone (`group_verbs` lists the words this reads)."""
    return _moves_none(
        cand,
        facts,
        cues["group_concepts"],
        cues["group_verbs"],
        _GROUP_KINDS,
        noun_preps=cues["group_noun_preps"],
    )


def _moves_none(
    cand: Candidate,
    facts: DocFacts,
    concepts: frozenset[str],
    words: frozenset[str] | None,
    kinds: frozenset[str],
    *,
    noun_preps: frozenset[str] | None = None,
) -> bool:
    """Whether an act of one of ``concepts`` (its word one of ``words``, where given) moves or
    changes none of what it must: an actor of ``kinds`` or a word of the concept's context.
    What it moves is the verb's object, its passive subject, a noun's "of" phrase (or its
    phrases of ``noun_preps``, where given: then a noun that names nothing moved moves none),
    or, with none of these, the verb's subject ("troops deployed to the border")."""
    anchor = facts.doc[cand.trigger]
    if not in_concepts(anchor, facts, concepts):
        return False
    if words is not None and anchor.lemma_.lower() not in words and anchor.lower_ not in words:
        return False
    moved = taken(anchor)
    noun = anchor.pos_ in ("NOUN", "PROPN")
    if noun:
        preps = noun_preps or _OF
        moved += _noun_phrases(anchor, preps)
    elif not moved and anchor.dep_ == "acl" and anchor.tag_ in _PARTICIPLE_TAGS:
        # the noun a participle qualifies: "the bench *appointed* to hear the case",
        # "foreigners *relocating* to Japan"
        moved = [anchor.head]
    elif not moved:
        moved = [c for c in anchor.children if c.dep_ == "nsubj"]
    moved = [
        anchor.head if m.tag_ in ("WDT", "WP") and anchor.dep_ == "relcl" else m for m in moved
    ]
    if not moved:
        return noun and noun_preps is not None
    context = {
        i
        for c in facts.cues
        if c.concept in concepts and c.role == "context"
        for i in range(c.start, c.end)
    }
    for thing in moved:
        for token in own_phrase(thing):
            mention = facts.actor_index[token.i]
            if token.i in context or (mention is not None and mention.actor.kind in kinds):
                return False
    return True


def _noun_phrases(noun: Token, preps: frozenset[str]) -> list[Token]:
    """The objects of a noun's phrases of ``preps``; a conjunct without its own shares its
    head's ("the advancement and deployment *of AI technology*")."""
    for holder in (noun, noun.head) if noun.dep_ == "conj" else (noun,):
        found = [
            g for p in holder.children if p.dep_ == "prep" and p.lower_ in preps for g in p.children
        ]
        if found:
            return found
    return []


def compound_modifier(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An act's word that opens a hyphenated modifier ("*battle*-hardened fighters", "*combat*-
    ready troops"): it describes, it tells no act."""
    anchor = facts.doc[cand.trigger]
    if anchor.i + 2 >= len(anchor.doc):
        return False
    hyphen, word = anchor.doc[anchor.i + 1], anchor.doc[anchor.i + 2]
    return (
        hyphen.text in _HYPHENS
        and not hyphen.whitespace_
        and not anchor.whitespace_
        and word.tag_ in _MODIFIER_TAGS
    )


def fought_for(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A territorial act's noun that a fight is for ("battling *for control* of the border
    town", "fighting for control of Aleppo"): the fight's aim, not a capture."""
    anchor = facts.doc[cand.trigger]
    if (cand.event.sub_event_type or "").lower() not in cues["territory_sub_events"]:
        return False
    if anchor.dep_ != "pobj" or anchor.head.lower_ not in cues["allegiance_preps"]:
        return False
    return in_concepts(anchor.head.head, facts, cues["fight_concepts"], told=True)


def role(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight's participle that says who a party is ("the militia group *battling* ISIS in
    Kobani", "Iraqi and Kurdish fighters *battling* the Islamic State group on the ground", "the
    Kurdish resistance *fighting* the Islamic State"): a description, not an incident. A fight
    told as one has a verb of its own ("Isis fighters were battling government forces in a key
    town")."""
    anchor = facts.doc[cand.trigger]
    if anchor.tag_ != "VBG" or anchor.dep_ != "acl":
        return False
    return anchor.head.pos_ in ("NOUN", "PROPN") and in_concepts(
        anchor, facts, cues["fight_concepts"]
    )


def standing_accord(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An accord's noun that no verb of making governs names the accord, not its making: "the
    proposed deal has the backing of India", "a Ukraine ceasefire deal", "the Schengen
    Agreement", "an unconditional ceasefire is the first step" (`accord_verbs`: "signed an
    agreement", "declared a ceasefire", "the truce took effect")."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ not in ("NOUN", "PROPN"):
        return False
    if not in_concepts(anchor, facts, cues["accord_concepts"], told=True):
        return False
    verb = governing_verb(anchor)
    return verb is None or verb.lemma_.lower() not in cues["accord_verbs"]


def no_accord(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A verb of an accord whose object is no accord nor a party: "each of the letters is
    *signed* with a purple stamp", "the troops *handed over* some to airport workers" ("signed
    eight pacts", "signed with the rebels", "agreed to a ceasefire" are accords)."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ != "VERB" or not in_concepts(anchor, facts, cues["accord_concepts"], told=True):
        return False
    objects = taken(anchor)
    if not objects:
        return False
    accords = {
        i
        for c in facts.cues
        if c.concept in cues["accord_concepts"] and c.role != "context" and c.start != anchor.i
        for i in range(c.start, c.end)
    }
    return not any(
        t.i in accords or facts.actor_index[t.i] is not None for o in objects for t in o.subtree
    )


def crowd_target(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A crowd's noun that names no protest, aimed at by an act of violence, is its target, not
    a protest: "a strike *on* a gathering of ISIS leaders", "the assault *on* a Shi'ite
    gathering" (fire "on peaceful protests" is force against protesters, a protest event)."""
    anchor = facts.doc[cand.trigger]
    if anchor.dep_ != "pobj" or anchor.head.lower_ not in cues["target_preps"]:
        return False
    if anchor.lemma_.lower() not in cues["neutral_crowds"]:
        return False
    act = anchor.head.head
    return in_concepts(act, facts, cues["violent_concepts"], told=True)


def not_assembling(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A word of people assembling in another sense: a verb with an object ("police were
    *gathering* evidence", "*rallied* support", "*demonstrated* its resolve", a meeting
    "*gathering* Europe's five top military powers") or a noun of one thing ("a *demonstration*
    of our commitment", "the *march* of progress"). People gather, rally and march; a crowd's
    noun names the people ("a rally of supporters", "a march of 5,000"), unarmed ones ("a
    gathering of Islamic State leaders" is a meeting; "soldiers were seen *gathering* on the
    scene" muster)."""
    anchor = facts.doc[cand.trigger]
    if anchor.lemma_.lower() not in cues["assembly_words"]:
        return False
    if anchor.pos_ == "VERB":
        if any(c.dep_ == "dobj" for c in anchor.children):
            return True
        who = [c for c in anchor.children if c.dep_ in _SUBJECT_DEPS] or borrowed_subject(anchor)
        return any(m.actor.kind in ARMED_KINDS for w in who for m in facts.actors_in(own_phrase(w)))
    of = _noun_phrases(anchor, _OF)
    if any(g.tag_ == "NN" and facts.actor_index[g.i] is None for g in of):
        return True
    # "a gathering of Islamic State leaders": armed men meet, they do not protest
    return any(m.actor.kind in ARMED_KINDS for g in of for m in facts.actors_in(list(g.subtree)))


def not_a_target(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A verb of aiming in another sense: what it aims at is neither a party, a place nor a
    word of people or of what armed men hold, and nothing else in its sentence is violent ("the
    White House effort *targeting* fentanyl"). "A drone targeted a car" is a strike (the drone),
    "gunmen targeted a bus" an attack (the gunmen)."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ != "VERB" or anchor.lemma_.lower() not in cues["aim_verbs"]:
        return False
    aimed = taken(anchor)
    if not aimed:
        return False
    for thing in aimed:
        words = list(thing.subtree)
        if facts.actors_in(words) or any(facts.place_index[t.i] is not None for t in words):
            return False
        if any(in_concepts(t, facts, cues["aimed_at_concepts"]) for t in words):
            return False
    sentence = [t for t in anchor.sent if t.i != anchor.i]
    if any(in_concepts(t, facts, cues["violent_concepts"]) for t in sentence):
        return False
    return not any(m.actor.kind in ARMED_KINDS for m in facts.actors_in(sentence))


def _owned(token: Token) -> bool:
    """Whether a noun is one person's own, by a singular possessive pronoun ("*his* health",
    "*her* life"; "their positions" may be a party's)."""
    return any(c.dep_ == "poss" and c.lower_ in _PERSON_POSSESSIVES for c in token.children)


def a_whole_country(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An attack whose target is a whole country, in a sentence that names no day, toll or
    town, is the war, not an incident: "probably the Russia *attack on Ukraine*", "fighting
    *against Ukraine*" (ACLED codes a war's incidents, not the war; "Iran's missile attack on
    Israel on Saturday" names a day)."""
    anchor = facts.doc[cand.trigger]
    if not in_concepts(anchor, facts, cues["war_concepts"], told=True):
        return False
    if anchor.pos_ in _NOUN_POS:
        targets = [
            g
            for p in anchor.children
            if p.dep_ == "prep" and p.lower_ in cues["target_preps"]
            for g in p.children
        ]
    else:
        targets = taken(anchor)
    countries = [
        t
        for t in targets
        if (hit := facts.place_index[t.i]) is not None
        and hit.mention.place is not None
        and hit.mention.place.feature == "country"
    ]
    return bool(countries) and len(countries) == len(targets) and not specific(anchor.sent, facts)


def _a_person(token: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a word names one person: a personal pronoun, a person's name that names no place
    the gazetteer knows (the small model tags some towns as people: "recaptured *Palmyra*"), or
    a person the knowledge base knows."""
    if token.lower_ in cues["person_pronouns"]:
        return True
    if token.ent_type_ == "PERSON" and facts.place_index[token.i] is None:
        return True
    mention = facts.actor_index[token.i]
    return mention is not None and mention.actor.kind == "person"


def _a_place(token: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a word names a place: the gazetteer's, a place's word ("the city", "the base"),
    or a name that is no actor's nor an acronym (a village the gazetteer lacks)."""
    if facts.place_index[token.i] is not None:
        return True
    if token.lemma_.lower() in cues["territory_nouns"] | cues["held_objects"]:
        return True
    if token.text.isupper() and len(token.text) >= _ACRONYM_LENGTH:
        return False  # an acronym names a body or a pact ("pulled out of the JCPOA")
    # ... not a person's ("Al-Baghdadi was taken to Al Qaim hospital")
    return (
        token.pos_ == "PROPN"
        and facts.actor_index[token.i] is None
        and token.ent_type_ not in _NOT_PLACE_ENTITIES
    )
