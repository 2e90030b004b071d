"""Whether an event mention tells an incident that happened: not a heading, a habit, a wave of
attacks, a bomber rather than a bombing, or a word in another sense ("withdrew from ECOWAS").
The incident grouping (``extract.incidents``) drops the mentions these rules reject.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts
from sitroom.knowledge import loader
from sitroom.records import ARMED_KINDS

CURRENT = frozenset({"reported", "claimed"})
# Kinds of party a group change is made to: armed, political, an organisation.
_GROUP_KINDS = ARMED_KINDS | {"political", "organisation"}
# Longest first line (words) read as a headline.
_HEADLINE_WORDS = 20
# Longest line (tokens) read as a heading rather than a sentence.
_HEADING_TOKENS = 8
# A hyphen, and the tags of a modifier after one ("battle-*hardened*"; data/syntax.yaml).
_HYPHENS = loader.labels("syntax.yaml", "hyphens")
_MODIFIER_TAGS = loader.labels("syntax.yaml", "hyphen_modifier_tags")
# Entity labels of names that are no place (data/syntax.yaml).
_NOT_PLACE_ENTITIES = loader.labels("syntax.yaml", "not_place_labels")
# Links by which an event noun hangs from the verb that tells it (data/syntax.yaml).
_TO_VERB = loader.labels("syntax.yaml", "verb_noun_deps")


def tells_incident(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the trigger tells an incident that happened, not a heading, a habit, a wave of
    attacks or a person ("suicide bombers were holding hostages")."""
    return not (
        _heading(anchor, facts)
        or _habitual(anchor, facts, cues)
        or _generic_noun(anchor, facts, cues)
        or _agent_only(anchor, facts, cues)
        or _prospective(anchor, cues)
        or _infinitive(anchor, facts, cues)
    )


def first_line(token: Token) -> bool:
    """Whether the token lies in the report's headline: a first line of its own that is not a
    sentence ("Roadside IED kills Russian general in Syria")."""
    text = token.doc.text
    end = text.find("\n")
    if end < 0 or token.idx >= end:
        return False
    line = text[:end].strip()
    return bool(line) and line[-1] not in ".!?\"'”" and len(line.split()) <= _HEADLINE_WORDS


def _heading(anchor: Token, facts: DocFacts) -> bool:
    """A short line without a verb after the title ("Car bombs", "Collapsed ceasefire") names a
    topic of the text below it."""
    sent = anchor.sent
    if first_line(anchor) or len(sent) > _HEADING_TOKENS:
        return False
    if _own_line(sent):
        return True  # "Collapsed ceasefire": a participle does not make a heading a sentence
    return not any(t.pos_ in ("VERB", "AUX") for t in sent)


def _own_line(sent: Span) -> bool:
    """Whether a sentence is a whole line between other lines of the text, ending with no
    sentence mark (a text of one line is no heading)."""
    text = sent.doc.text
    line = sent.text.strip()
    start = sent.start_char + sent.text.index(line[:1]) if line else sent.start_char
    before = text[:start].rstrip(" \t")
    after = text[start + len(line) :].lstrip(" \t")
    return before.endswith("\n") and after.startswith("\n") and bool(line) and line[-1].isalnum()


def _habitual(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An act told in the simple present outside the title ("fighters who *fight* to control
    villages"; a speaker's too: "Israel *attacks* the Muslims in Jerusalem"), as going on ("has
    been fighting an insurgency") or as happening often ("was frequently broken by shelling")."""
    verb = _governing_verb(anchor)
    if verb is None or first_line(verb):
        return False
    if any(c.dep_ == "advmod" and c.lower_ in cues["habitual_adverbs"] for c in verb.children):
        return True  # "the truce was *frequently* broken by shelling"
    if verb.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return verb.lemma_ not in ("be", "have", "say")
    auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    ongoing = any(a in cues["ongoing_auxiliaries"] for a in auxes)
    if verb.lemma_ == "be" and verb.tag_ == "VBN" and ongoing:
        return True  # a state that has lasted: "a town which *has been* under assault by ISIS"
    if ongoing and _lasting(verb, cues):
        return True  # "they *have fought* alongside men *for years*"
    return verb.tag_ == "VBG" and "been" in auxes and ongoing


def _lasting(verb: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a verb is told over a span of many units of time ("for years", "for months")."""
    return any(
        p.dep_ == "prep" and p.lower_ == "for" and g.lower_ in cues["duration_nouns"]
        for p in verb.children
        for g in p.children
    )


def _governing_verb(anchor: Token) -> Token | None:
    """The anchor if a verb, else the verb its noun phrase hangs from ("have been using IEDs")."""
    token = anchor
    for _ in range(5):
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "prep":
            return token  # a participle used as a preposition ("following") tells no tense
        if token.dep_ not in _TO_VERB:
            return None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _generic_noun(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An event noun that names a kind of act: "a wave of kidnappings", "several recent
    attacks", "accused of killing and looting", or a bare plural (English's generic form) told
    neither as one past occasion nor with anything in its sentence (a day, a toll, a town) that
    makes it one occurrence."""
    if anchor.pos_ not in ("NOUN", "PROPN") and anchor.tag_ != "VBG":
        return False
    children = list(anchor.children)
    if any(c.dep_ == "amod" and c.lower_ in cues["habitual_modifiers"] for c in children):
        return True
    token = anchor
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ in ("pobj", "pcomp") and token.head.lower_ == "of":
        holder = token.head.head
        collective = cues["collective_nouns"]
        if holder.lemma_.lower() in collective or holder.lower_ in collective:
            # ... unless told as one past occasion with its own toll ("a series of airstrikes
            # conducted by Russian jets, resulting in at least 25 fatalities"): ACLED codes it.
            return not (_episodic(holder, cues) and _tolled(anchor.sent, facts))
        if _charged(holder, cues):
            return True
    # A bare plural or a bare mass noun of doing ("fighting has forced a million to flee") is
    # English's generic form; a bare singular is one act ("came under attack", "taken hostage").
    gerund = anchor.tag_ == "VBG" or (anchor.tag_ == "NN" and anchor.lower_.endswith("ing"))
    mass = gerund and anchor.dep_ in ("nsubj", "nsubjpass")
    if first_line(anchor) or not (anchor.tag_ in ("NNS", "NNPS") or mass):
        return False
    determined = any(c.dep_ in ("det", "poss", "nummod") for c in children)
    if determined or _episodic(anchor, cues):
        return False
    return not _specific(anchor.sent, facts)


def _charged(holder: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the word an act's "of" hangs from accuses or charges: "accused of killing", "a
    count of destroying records", "accuses the group of looting" (the act is the charge's, told
    as a kind of deed, not one incident)."""
    words = cues["accusation_verbs"]
    if holder.lemma_.lower() in words or holder.lower_ in words:
        return True
    return holder.dep_ == "dobj" and holder.head.lemma_.lower() in words


def _prospective(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the act is what someone faces or risks ("faces up to 20 years in *jail*"): a
    penalty or danger ahead, not an incident."""
    token = anchor
    for _ in range(6):
        if token.head.i == token.i:
            return False
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token.lemma_.lower() in cues["prospect_verbs"]
    return False


def _infinitive(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An act told in the infinitive is an aim, not a deed ("took advantage of the chaos *to
    recruit*", "recruited thousands of foreign fighters *to fight* beside Syrian troops"),
    unless the verb it completes says it was done ("managed to seize") or is a past move that
    news tells with the place it took ("the army moved in *to take control*": a territorial
    act, `mission_concepts`)."""
    token = anchor
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "to recruit and expand"
    if token.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return False
    head = token.head
    if head.lemma_.lower() in cues["implicative_verbs"]:
        return False
    mission = any(
        c.start <= anchor.i < c.end and c.concept in cues["mission_concepts"] for c in facts.cues
    )
    return not (head.tag_ == "VBD" and mission)


def _episodic(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the verb that tells an event noun tells one past occasion: the simple past
    ("fired stun grenades"), the past perfect or the past passive ("had taken hostages"), but
    not the present perfect, which sums up ("has ramped up attacks")."""
    verb = _governing_verb(anchor)
    if verb is None:
        return False
    if verb.tag_ == "VBD":
        return True
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return (
        verb.tag_ == "VBN"
        and bool(auxes & cues["past_auxiliaries"])
        and not auxes & cues["ongoing_auxiliaries"]
    )


def _tolled(sent: Span, facts: DocFacts) -> bool:
    return any(sent.start <= c.start < sent.end for c in facts.casualties)


def _specific(sent: Span, facts: DocFacts) -> bool:
    """Whether a sentence names what makes an act one occurrence: a time, a toll or a town."""
    if _tolled(sent, facts):
        return True
    if any(sent.start <= d.start < sent.end and d.date is not None for d in facts.dates):
        return True
    return any(
        h.mention.place is not None and h.mention.place.feature == "city"
        for h in facts.places_in(sent.start, sent.end)
    )


def _agent_only(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A trigger that names a person who acts ("bomber") tells an act only as the subject of an
    act's word ("suicide bombers *attacked* the camp", "a bomber *blew* himself up")."""
    return _person_only(anchor, facts, cues["agent_nouns"], cues["agent_act_verbs"])


def patient_only(anchor: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A trigger that names a person an act is done to ("hostages") tells the act only where an
    act's word governs it ("gunmen *seized* hostages", "were *taken* hostage", "attacked a train,
    *taking* many hostages"); "several hostages believed to be held by the group", "John Cantlie,
    also *held* hostage" tell captives. They may be the captives of an incident told with them
    ("bombers were holding hostages in three places"), so such a mention joins incidents as any
    other does; an incident told by such mentions alone is no kidnapping."""
    return _person_only(anchor, facts, cues["patient_nouns"], cues["patient_act_verbs"])


def _person_only(
    anchor: Token, facts: DocFacts, nouns: frozenset[str], act_verbs: frozenset[str]
) -> bool:
    """Whether a trigger is one of ``nouns``, words for a person, that neither a verb of
    ``act_verbs`` nor an act's cue governs."""
    if anchor.pos_ not in ("NOUN", "PROPN"):
        return False  # "they recruit fighters": the verb is the act
    if anchor.lemma_.lower() not in nouns and anchor.lower_ not in nouns:
        return False
    token = anchor
    while token.dep_ in ("conj", "appos") and token.head.i != token.i:
        token = token.head
    head = token.head
    if head.i != token.i and head.lemma_.lower() in act_verbs:
        return False
    return head.i == token.i or not _is_cue(head, facts)


def figurative(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An act's noun that a modifier or its opponent makes a figure of speech: "launched a
    political offensive against the budget", "a legal battle", "a verbal attack", "lost his
    battle with cancer"."""
    anchor = facts.doc[cand.trigger]
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


def civil_fight(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight whose doers are people who do not bear arms by trade ("lawmakers waged a fierce
    battle over tariffs", "the firms are locked in a legal battle", "he's still fighting"), or
    told by a loose word of fighting whoever its doers ("teenagers deeply engaged with screens",
    "the struggle that we're engaged with"): a figure of speech, unless an armed party takes
    part in its sentence."""
    anchor = facts.doc[cand.trigger]
    if not _in_concepts(anchor, facts, cues["fight_concepts"]):
        return False
    verb = anchor
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    doers = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    loose = anchor.lemma_.lower() in cues["loose_fight_words"]
    if not loose and not any(_civil(d, facts, cues) for d in doers):
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
    if not _in_concepts(anchor, facts, cues["fight_concepts"]):
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
    whose object is a place, a place's word or a held thing ("seized the base") is territorial."""
    event = cand.event
    if (event.sub_event_type or "").lower() not in cues["territory_sub_events"]:
        return False
    if event.status not in CURRENT:
        return False
    anchor = facts.doc[cand.trigger]
    objects = taken(anchor)
    objects += [g for p in anchor.children if p.dep_ == "prep" for g in p.children]
    for obj in list(objects):  # "took control of/over X"
        objects += [g for p in obj.children if p.dep_ == "prep" for g in p.children]
    dated = {i for d in facts.dates for i in range(d.start, d.end)}  # "in late January"
    objects = [o for o in objects if o.dep_ != "prep" and o.i not in dated]
    if anchor.dep_ == "relcl":  # "Aleppo, which rebels had swept into": the pronoun's antecedent
        objects = [anchor.head if o.tag_ in ("WDT", "WP") else o for o in objects]
    return bool(objects) and not any(_a_place(o, facts, cues) for o in objects)


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
        for token in joiner.subtree:
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
    if not _in_concepts(anchor, facts, concepts):
        return False
    if words is not None and anchor.lemma_.lower() not in words and anchor.lower_ not in words:
        return False
    moved = taken(anchor)
    noun = anchor.pos_ in ("NOUN", "PROPN")
    if noun:
        preps = noun_preps or frozenset({"of"})
        moved += [
            g for p in anchor.children if p.dep_ == "prep" and p.lower_ in preps for g in p.children
        ]
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
        for token in thing.subtree:
            mention = facts.actor_index[token.i]
            if token.i in context or (mention is not None and mention.actor.kind in kinds):
                return False
    return True


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
    return _in_concepts(anchor.head.head, facts, cues["fight_concepts"], told=True)


def activity(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight's gerund that a noun or an adjective governs names the activity, not an
    incident: "a major role in *fighting* against the IS", "not serious in *fighting* against
    ISIL", "after more than a year of *fighting*". Under a verb it may tell one ("were killed in
    *fighting* with militants", "displaced this week by *fighting* between rebels and forces")."""
    anchor = facts.doc[cand.trigger]
    if anchor.dep_ not in ("pobj", "pcomp") or not anchor.lower_.endswith("ing"):
        return False
    if not _in_concepts(anchor, facts, cues["fight_concepts"], told=True):
        return False
    return anchor.head.dep_ == "prep" and anchor.head.head.pos_ in ("NOUN", "ADJ")


def going_on(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight told as going on now, with nothing that makes it one occurrence (a day, a toll, a
    town): "Thousands of Kurdish women are battling the Islamic State in Syria" is the war, not
    an incident ("troops are battling rebels in Aleppo's eastern districts" names a town)."""
    anchor = facts.doc[cand.trigger]
    if anchor.tag_ != "VBG" or not _in_concepts(anchor, facts, cues["fight_concepts"], told=True):
        return False
    auxes = {c.lower_ for c in anchor.children if c.dep_ == "aux"}
    return bool(auxes & cues["present_auxiliaries"]) and not _specific(anchor.sent, facts)


def role(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight's participle that says who a party is ("the militia group *battling* ISIS in
    Kobani", "Iraqi and Kurdish fighters *battling* the Islamic State group on the ground", "the
    Kurdish resistance *fighting* the Islamic State"): a description, not an incident. A fight
    told as one has a verb of its own ("Isis fighters were battling government forces in a key
    town")."""
    anchor = facts.doc[cand.trigger]
    if anchor.tag_ != "VBG" or anchor.dep_ != "acl":
        return False
    return anchor.head.pos_ in ("NOUN", "PROPN") and _in_concepts(
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
    if not _in_concepts(anchor, facts, cues["accord_concepts"], told=True):
        return False
    verb = _governing_verb(anchor)
    return verb is None or verb.lemma_.lower() not in cues["accord_verbs"]


def no_accord(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A verb of an accord whose object is no accord nor a party: "each of the letters is
    *signed* with a purple stamp", "the troops *handed over* some to airport workers" ("signed
    eight pacts", "signed with the rebels", "agreed to a ceasefire" are accords)."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ != "VERB" or not _in_concepts(anchor, facts, cues["accord_concepts"], told=True):
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


def held(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A captivity noun that names a lasting state ("the eight Uyghurs *still* in Thai custody",
    "had been in pretrial detention *since* September 30", "*remains* in jail"): people held,
    not an arrest. Without such a word it may tell a recent one ("a suspect is in custody")."""
    anchor = facts.doc[cand.trigger]
    prep = anchor.head
    if anchor.dep_ != "pobj" or prep.lower_ not in cues["held_preps"]:
        return False
    if not _in_concepts(anchor, facts, cues["held_concepts"], told=True):
        return False
    lasting = cues["lasting_words"]
    holder = prep.head
    if holder.lemma_.lower() in lasting:
        return True
    return any(c.lower_ in lasting for t in (prep, holder) for c in t.children)


def recalled(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An event noun recalled as the start of what the news follows: "have escalated attacks
    *since* the withdrawal", "in the *aftermath* of the fall of Mosul". The act is earlier than
    the news; a report that tells it as news tells it elsewhere."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ not in ("NOUN", "PROPN") or anchor.dep_ != "pobj":
        return False
    prep = anchor.head
    if prep.lower_ in cues["recall_preps"]:
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in cues["recall_nouns"]


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
    return _in_concepts(act, facts, cues["violent_concepts"], told=True)


def summed(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A territorial act over a counted plural of places, or over no named place in a period
    running to the report's time, told in the present perfect ("the rebels *have captured*
    fifteen towns and villages since the weekend", "the territory ISIS *has seized* over the
    past year"), sums many captures: ACLED codes each town taken, not the sum. One day's deed
    ("by nightfall they had overrun a dozen villages") is told in another tense."""
    if (cand.event.sub_event_type or "").lower() not in cues["territory_sub_events"]:
        return False
    anchor = facts.doc[cand.trigger]
    auxes = {c.lower_ for c in anchor.children if c.dep_ == "aux"}
    if not auxes & cues["ongoing_auxiliaries"]:
        return False
    objects = taken(anchor)
    named = any(facts.place_index[t.i] is not None for o in objects for t in o.subtree)
    if not named and _over_a_period(anchor.sent, cues):
        # "the vast territory that ISIS has seized over the past year" (a town held "since
        # August 2016" was taken then: `status.opens_period`)
        return True
    return any(
        o.tag_ == "NNS"
        and o.lemma_.lower() in cues["territory_nouns"]
        and any(c.dep_ == "nummod" for c in o.children)
        for o in objects
    )


def cumulative(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A violent act told in the present perfect over a period running to the report's time,
    with a toll or a count of acts ("313 Kurds have been killed fighting to defend the area
    since the siege began", "has carried out more than 100 airstrikes over the past month"):
    a monitor's running figure over many incidents, not one of them."""
    if cand.event.event_type is None or cand.event.sub_event_type is None:
        return False
    if (cand.event.sub_event_type or "").lower() in cues["territory_sub_events"]:
        return False  # a summed territorial act is `summed`'s
    anchor = facts.doc[cand.trigger]
    sent = anchor.sent
    perfect = cues["ongoing_auxiliaries"]
    verbs = [t for t in [anchor, *anchor.ancestors] if t.pos_ in ("VERB", "AUX")]
    if not any(c.dep_ == "aux" and c.lower_ in perfect for v in verbs for c in v.children):
        return False
    counted = any(c.dep_ == "nummod" for c in anchor.children) and anchor.tag_ == "NNS"
    if not (_tolled(sent, facts) or counted):
        return False
    return _over_a_period(sent, cues)


def _over_a_period(sent: Span, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a sentence tells a period running to the report's time ("over the past month",
    "since the offensive began")."""
    words = f" {' '.join(t.lower_ for t in sent)} "
    if any(f" {p} " in words for p in cues["period_phrases"]):
        return True
    return any(t.lower_ in cues["period_words"] and t.dep_ in ("prep", "mark") for t in sent)


def taken(anchor: Token) -> list[Token]:
    """What an act takes or leaves: its object, or its passive subject ("the base was seized")."""
    return [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass")]


def _a_place(token: Token, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a word names a place: the gazetteer's, a place's word ("the city", "the base"),
    or a name that is no actor's (a village the gazetteer lacks)."""
    if facts.place_index[token.i] is not None:
        return True
    if token.lemma_.lower() in cues["territory_nouns"] | cues["held_objects"]:
        return True
    # ... not a person's ("Al-Baghdadi was taken to Al Qaim hospital")
    return (
        token.pos_ == "PROPN"
        and facts.actor_index[token.i] is None
        and token.ent_type_ not in _NOT_PLACE_ENTITIES
    )


def _is_cue(token: Token, facts: DocFacts) -> bool:
    return any(c.start <= token.i < c.end and c.role != "context" for c in facts.cues)


def _in_concepts(
    token: Token, facts: DocFacts, concepts: frozenset[str], *, told: bool = False
) -> bool:
    """Whether the token lies in a cue of one of ``concepts`` (with ``told``, one that tells
    the act, not a word of its context: "hostage" is the context of a truce's "release")."""
    return any(
        c.start <= token.i < c.end and c.concept in concepts and not (told and c.role == "context")
        for c in facts.cues
    )
