"""Whether an event mention tells an incident that happened: not a heading, a habit, a wave of
attacks, a bomber rather than a bombing, a running figure or an act recalled. Words in another
sense and figures of speech are ``extract.word_senses``'s. The incident grouping
(``extract.incidents``) drops the mentions these rules reject.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts
from sitroom.extract.places import SPOT_FEATURES
from sitroom.knowledge import loader

CURRENT = frozenset({"reported", "claimed"})
# Longest first line (words) read as a headline.
_HEADLINE_WORDS = 20
# Longest line (tokens) read as a heading rather than a sentence.
_HEADING_TOKENS = 8
# Links by which an event noun hangs from the verb that tells it (data/syntax.yaml).
_TO_VERB = loader.labels("syntax.yaml", "verb_noun_deps")
_PLURAL_TAGS = loader.labels("syntax.yaml", "plural_noun_tags")
_PRESENT_TAGS = loader.labels("syntax.yaml", "present_verb_tags")
_AUXILIARY_DEPS = loader.labels("syntax.yaml", "auxiliary_deps")
_PREDICATE_DEPS = loader.labels("syntax.yaml", "predicate_deps")
_CAPTION_MARKS = frozenset({"-", "—", "–", ":"})  # after a caption's opening word


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


def caption(token: Token, cues: dict[str, frozenset[str]], *, archive: bool = False) -> bool:
    """Whether the token lies in a photo's caption ("FILE - Police attend to an incident on
    London Bridge, June 3, 2017", "Pictured is an earlier strike in Kobani"): it shows what the
    story tells. With ``archive``, only a caption of a photo from the files, whose day is the
    photo's, not the act's ("FILE - ... in this handout photo released May 27, 2017")."""
    words = [t for t in token.sent if not t.is_space]
    openers = cues["archive_captions"] if archive else cues["caption_openers"]
    if len(words) < 2 or words[0].lower_ not in openers:
        return False
    return words[1].text in _CAPTION_MARKS or words[1].lemma_ == "be"


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
    verb = governing_verb(anchor)
    if verb is None or first_line(verb):
        return False
    if any(c.dep_ == "advmod" and c.lower_ in cues["habitual_adverbs"] for c in verb.children):
        return True  # "the truce was *frequently* broken by shelling"
    if verb.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return verb.lemma_ not in ("be", "have", "say")
    if _present_passive(verb) and not specific(verb.sent, facts):
        # "the coalition's airstrikes *are launched* only where Kurdish forces are" (a day, a
        # toll or a town makes it one occurrence told in the present)
        return True
    auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    ongoing = any(a in cues["ongoing_auxiliaries"] for a in auxes)
    if verb.lemma_ == "be" and verb.tag_ == "VBN" and ongoing:
        return True  # a state that has lasted: "a town which *has been* under assault by ISIS"
    if ongoing and _lasting(verb, cues):
        return True  # "they *have fought* alongside men *for years*"
    return verb.tag_ == "VBG" and "been" in auxes and ongoing


def _present_passive(verb: Token) -> bool:
    """Whether a verb is in the simple present passive ("are launched", "is targeted"): no
    auxiliary but a present form of "be" ("is being targeted" goes on, "has been" sums up)."""
    if verb.tag_ != "VBN":
        return False
    helpers = [c for c in verb.children if c.dep_ in _AUXILIARY_DEPS]
    return len(helpers) == 1 and helpers[0].dep_ == "auxpass" and helpers[0].tag_ in _PRESENT_TAGS


def _lasting(verb: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether a verb is told over a span of many units of time ("for years", "for months")."""
    return any(
        p.dep_ == "prep" and p.lower_ == "for" and g.lower_ in cues["duration_nouns"]
        for p in verb.children
        for g in p.children
    )


def governing_verb(anchor: Token) -> Token | None:
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
    # ... as a noun or as a clause ("*negotiating* with armed groups is considered a crime")
    mass = gerund and anchor.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass")
    if first_line(anchor) or not (anchor.tag_ in ("NNS", "NNPS") or mass):
        return False
    determined = any(c.dep_ in ("det", "poss", "nummod") for c in children)
    if determined or _episodic(anchor, cues):
        return False
    return not specific(anchor.sent, facts)


def _charged(holder: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the word an act's "of" hangs from accuses or charges: "accused of killing", "a
    count of destroying records", "accuses the group of looting" (the act is the charge's, told
    as a kind of deed, not one incident)."""
    words = cues["accusation_verbs"]
    if holder.lemma_.lower() in words or holder.lower_ in words:
        return True
    return holder.dep_ == "dobj" and holder.head.lemma_.lower() in words


def _prospective(anchor: Token, cues: dict[str, frozenset[str]]) -> bool:
    """Whether the act is what someone faces or risks ("faces up to 20 years in *jail*"), or
    what a move readies ("setting the stage *for* a major clash", "paving the way *for* an
    offensive"): a penalty, danger or step ahead, not an incident."""
    if anchor.dep_ == "pobj" and anchor.head.lower_ in cues["prospect_preps"]:
        holder = anchor.head.head
        # the noun, or the object of the verb the parser hangs the phrase on ("setting the
        # stage | for a clash")
        holders = [holder, *(c for c in holder.children if c.dep_ == "dobj")]
        if any(h.lemma_.lower() in cues["prospect_nouns"] for h in holders):
            return True
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
    act, `mission_concepts`). A gerund of manner takes its verb's mood ("called for Russia *to
    reciprocate by agreeing* to a ceasefire")."""
    token = anchor
    while token.head.i != token.i and (
        token.dep_ == "conj"  # "to recruit and expand"
        or (token.dep_ == "pcomp" and token.head.lower_ in cues["manner_preps"])
    ):
        token = token.head if token.dep_ == "conj" else token.head.head
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
    verb = governing_verb(anchor)
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


def specific(sent: Span, facts: DocFacts) -> bool:
    """Whether a sentence names what makes an act one occurrence: a time, a toll or a town."""
    if _tolled(sent, facts):
        return True
    if any(sent.start <= d.start < sent.end and d.date is not None for d in facts.dates):
        return True
    return any(
        h.mention.place is not None and h.mention.place.feature in SPOT_FEATURES
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
    return head.i == token.i or not facts.names_act(head.i)


def activity(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight's gerund that a noun or an adjective governs names the activity, not an
    incident: "a major role in *fighting* against the IS", "not serious in *fighting* against
    ISIL", "after more than a year of *fighting*"; so does a verb of aiding ("troops to train
    and assist Iraqi forces in *fighting* ISIS": the aim the help serves). Under another verb it
    may tell one ("were killed in *fighting* with militants", "displaced this week by *fighting*
    between rebels and forces")."""
    anchor = facts.doc[cand.trigger]
    if anchor.dep_ not in ("pobj", "pcomp") or not anchor.lower_.endswith("ing"):
        return False
    if not in_concepts(anchor, facts, cues["fight_concepts"], told=True):
        return False
    if anchor.head.dep_ != "prep":
        return False
    holder = anchor.head.head
    return holder.pos_ in ("NOUN", "ADJ") or holder.lemma_.lower() in cues["aid_verbs"]


def going_on(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A fight told as going on now, with nothing that makes it one occurrence (a day, a toll, a
    town): "Thousands of Kurdish women are battling the Islamic State in Syria" is the war, not
    an incident ("troops are battling rebels in Aleppo's eastern districts" names a town)."""
    anchor = facts.doc[cand.trigger]
    if anchor.tag_ != "VBG" or not in_concepts(anchor, facts, cues["fight_concepts"], told=True):
        return False
    auxes = {c.lower_ for c in anchor.children if c.dep_ == "aux"}
    return bool(auxes & cues["present_auxiliaries"]) and not specific(anchor.sent, facts)


def judged(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """Acts of a kind judged in the present ("U.S.-led air strikes *are not enough* to defeat
    the group", "the strikes are precise", "his trial and detention are an example of ..."):
    the subject of a present copula with a predicate (or a conjunct of it) tells what such acts
    are worth, not an incident, unless its own phrase places or dates them ("the airstrikes on
    Idlib are a violation of the truce")."""
    anchor = facts.doc[cand.trigger]
    subject = anchor.head if anchor.dep_ == "conj" else anchor  # "trial and *detention* are"
    plural = anchor.tag_ in _PLURAL_TAGS or subject is not anchor
    if not plural or subject.dep_ != "nsubj":
        return False
    phrase = {t.i for t in anchor.subtree}
    if any(facts.place_index[i] is not None for i in phrase):
        return False
    if any(d.start in phrase for d in facts.dates):
        return False
    verb = subject.head
    if verb.tag_ not in _PRESENT_TAGS or verb.lemma_.lower() not in cues["copulas"]:
        return False
    return any(c.dep_ in _PREDICATE_DEPS for c in verb.children)


def held(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """A captivity noun that names a lasting state ("the eight Uyghurs *still* in Thai custody",
    "had been in pretrial detention *since* September 30", "*remains* in jail"): people held,
    not an arrest. Without such a word it may tell a recent one ("a suspect is in custody")."""
    anchor = facts.doc[cand.trigger]
    prep = anchor.head
    if anchor.dep_ != "pobj" or prep.lower_ not in cues["held_preps"]:
        return False
    if not in_concepts(anchor, facts, cues["held_concepts"], told=True):
        return False
    lasting = cues["lasting_words"]
    holder = prep.head
    if holder.lemma_.lower() in lasting:
        return True
    return any(c.lower_ in lasting for t in (prep, holder) for c in t.children)


def recalled(cand: Candidate, facts: DocFacts, cues: dict[str, frozenset[str]]) -> bool:
    """An event noun recalled as the start or the span of what the news follows: "have
    escalated attacks *since* the withdrawal", "in the *aftermath* of the fall of Mosul",
    "*throughout* the 40-day siege of Kobani, images ... have circulated". The act frames the
    news; a report that tells it as news tells it elsewhere."""
    anchor = facts.doc[cand.trigger]
    if anchor.pos_ not in ("NOUN", "PROPN") or anchor.dep_ != "pobj":
        return False
    prep = anchor.head
    if prep.lower_ in cues["recall_preps"]:
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in cues["recall_nouns"]


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
    with a toll, a count of acts or of those it was done to ("313 Kurds have been killed
    fighting to defend the area since the siege began", "has carried out more than 100
    airstrikes over the past month", "2,702 people have been shot so far this year"):
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
    # "at least 2,702 people have been shot so far this year": a count of those it was done to
    victims = any(c.dep_ == "nummod" for t in taken(anchor) for c in t.children)
    if not (_tolled(sent, facts) or counted or victims):
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


def in_concepts(
    token: Token, facts: DocFacts, concepts: frozenset[str], *, told: bool = False
) -> bool:
    """Whether the token lies in a cue of one of ``concepts`` (with ``told``, one that tells
    the act, not a word of its context: "hostage" is the context of a truce's "release")."""
    return any(
        c.start <= token.i < c.end and c.concept in concepts and not (told and c.role == "context")
        for c in facts.cues
    )
