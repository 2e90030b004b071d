"""Who did what to whom: an event trigger's agents and patients from the dependency tree."""

from __future__ import annotations

import functools

from spacy.tokens import Token

from sitroom.extract.actors import ActorMention
from sitroom.extract.facts import DocFacts
from sitroom.knowledge import loader
from sitroom.knowledge.cues import CueLexicon
from sitroom.knowledge.loader import Overrides

# Dependencies, parts of speech and tags the rules read (data/syntax.yaml; each is commented there).
_SUBJECT_DEPS = loader.labels("syntax.yaml", "subject_deps")
_ACTIVE_SUBJECT_DEPS = loader.labels("syntax.yaml", "active_subject_deps")
_OBJECT_DEPS = loader.labels("syntax.yaml", "object_deps")
_EVENT_NOUN_SLOT_DEPS = loader.labels("syntax.yaml", "event_noun_slot_deps")
_AGENT_MODIFIER_DEPS = loader.labels("syntax.yaml", "agent_modifier_deps")
_BORROWING_DEPS = loader.labels("syntax.yaml", "borrowing_deps")
_NOUN_CLAUSE_DEPS = loader.labels("syntax.yaml", "noun_clause_deps")
_SUBJECT_BARRIER_DEPS = loader.labels("syntax.yaml", "subject_barrier_deps")
_MODIFIER_CHAIN_DEPS = loader.labels("syntax.yaml", "modifier_chain_deps")
_EMBEDDED_CLAUSE_DEPS = loader.labels("syntax.yaml", "embedded_clause_deps")
_NOMINAL = loader.labels("syntax.yaml", "nominal_pos")
_VERBAL = loader.labels("syntax.yaml", "verbal_pos")
_PARTICIPLE_TAGS = loader.labels("syntax.yaml", "participle_tags")
_PAST_PARTICIPLE_TAGS = loader.labels("syntax.yaml", "past_participle_tags")
_AUXILIARY_DEPS = loader.labels("syntax.yaml", "auxiliary_deps")
_JOINED_DEPS = loader.labels("syntax.yaml", "joined_participle_deps")
_FINITE_TAGS = loader.labels("syntax.yaml", "finite_tags")
_RELATIVE_PRONOUN_TAGS = loader.labels("syntax.yaml", "relative_pronoun_tags")
_PASSIVE_DEPS = loader.labels("syntax.yaml", "passive_deps")


def _cues(key: str, overrides: Overrides = ()) -> frozenset[str]:
    """The argument_cues.yaml list ``key`` with the user's overrides (cached by the loader)."""
    return loader.words("argument_cues.yaml", key, overrides)


def arguments(
    anchor: Token, facts: DocFacts, lexicon: CueLexicon
) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who acted (agents) and who was acted on (patients), from the dependency tree."""
    return argument_mentions(*argument_words(anchor, facts, lexicon), facts)


def argument_words(
    anchor: Token, facts: DocFacts, lexicon: CueLexicon
) -> tuple[list[Token], list[Token]]:
    """The words that name the agents and the patients of the act ``anchor`` names, whether
    or not they name actors ("attacked *a checkpoint*")."""
    overrides = facts.overrides
    agent_preps, patient_preps = _trigger_preps(anchor.lemma_.lower(), lexicon, overrides)
    agent_tokens: list[Token] = []
    patient_tokens: list[Token] = []
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ in _cues("between_preps", overrides):
            _sides(child, agent_tokens, patient_tokens)
    verb = anchor
    owner = _owned(anchor, overrides)
    if owner is not None:
        # "X claimed responsibility for the attack", "blamed the attack on X": X did it; what a
        # verb's act was done to stays its object ("took credit for attacking *a convoy*").
        if anchor.pos_ in _VERBAL:
            _verb_arguments(anchor, [], patient_tokens, patient_preps, overrides=overrides)
        return [*agent_tokens, *owner], patient_tokens
    if anchor.pos_ in _NOMINAL:
        _noun_arguments(anchor, agent_preps, patient_preps, agent_tokens, patient_tokens, overrides)
        verb, objects = _noun_verb(anchor, facts)
        patient_tokens.extend(objects)
        if verb.i != anchor.i and _undergoes(anchor, verb, overrides):
            patient_tokens.extend(c for c in verb.children if c.dep_ in _SUBJECT_DEPS)
            return agent_tokens, patient_tokens
    if verb.i != anchor.i or anchor.pos_ in _VERBAL or anchor.pos_ == "ADJ":
        _verb_arguments(
            verb,
            agent_tokens,
            patient_tokens,
            patient_preps,
            skip=anchor if verb.i != anchor.i else None,
            with_agent=lexicon.agent_preps.get(verb.lemma_.lower(), frozenset()),
            overrides=overrides,
        )
    return agent_tokens, patient_tokens


def owners(anchor: Token, facts: DocFacts) -> list[ActorMention]:
    """The actors an act's phrase says own it or are blamed for it ("X claimed responsibility
    for the attack"); none where it does not say."""
    owned = _owned(anchor, facts.overrides)
    return mentions_for(owned, facts) if owned else []


def _owned(anchor: Token, overrides: Overrides) -> list[Token] | None:
    """Who an act is owned by or blamed on, where its phrase says so: the subject of "claimed
    *responsibility* for the attack" or "took *credit* for the bombing", the object of "*blamed*
    the rebels for the attack", the "on" phrase of "*blamed* the attack on the rebels"; None
    where the act is not named so."""
    token = anchor
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    blame = _cues("blame_verbs", overrides)
    if token.dep_ == "nsubjpass":
        return _perpetrators(token.head, overrides)
    if token.dep_ in _OBJECT_DEPS and token.head.lemma_.lower() in blame:
        on = _cues("blamed_on_preps", overrides)
        preps = [p for h in (token, token.head) for p in h.children if p.dep_ == "prep"]
        return [g for p in preps if p.lower_ in on for g in p.children if g.dep_ == "pobj"] or None
    if token.dep_ not in ("pobj", "pcomp"):
        return None
    if token.head.lower_ not in _cues("responsibility_preps", overrides):
        return None
    holder = token.head.head
    if holder.lemma_.lower() in blame:
        return [c for c in holder.children if c.dep_ in _OBJECT_DEPS] or None
    nouns = _cues("responsibility_nouns", overrides)
    if holder.lemma_.lower() in nouns and holder.head.i != holder.i:
        verb = holder.head
    elif any(c.dep_ in _OBJECT_DEPS and c.lemma_.lower() in nouns for c in holder.children):
        verb = holder
    else:
        return None
    subjects = [c for c in verb.children if c.dep_ in _ACTIVE_SUBJECT_DEPS]
    return subjects or borrowed_subject(verb) or None


def _perpetrators(verb: Token, overrides: Overrides) -> list[Token] | None:
    """The "by" phrase of a verb of perpetration whose passive subject is the act ("the attack
    was carried out *by ETA*"), or of its infinitive where a verb of belief raises the act
    ("the attack is believed to have been carried out *by ETA*"); None elsewhere."""
    doers = _cues("perpetration_verbs", overrides)
    verbs = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
    for done in verbs:
        if done.lemma_.lower() in doers:
            agents = [g for a in done.children if a.dep_ == "agent" for g in a.children]
            return agents or None
    return None


def _undergoes(anchor: Token, verb: Token, overrides: Overrides) -> bool:
    """Whether the subject of the verb an event noun's phrase hangs from suffers the act:
    "troops *died* in the attack", "the train came *under* attack"."""
    prep = anchor.head
    return prep.dep_ == "prep" and (
        verb.lemma_.lower() in _cues("undergoing_verbs", overrides)
        or prep.lower_ in _cues("undergoing_preps", overrides)
    )


def _trigger_preps(
    lemma: str, lexicon: CueLexicon, overrides: Overrides
) -> tuple[frozenset[str], frozenset[str]]:
    """(agent prepositions, patient prepositions) of a trigger: every trigger's, with its own
    added ("the fall of X *to* Y") and its opponent prepositions taken out ("fought *against*
    X" is not whom it acted on); a word that is both names the patient."""
    patient_preps = (
        _cues("patient_preps", overrides) | lexicon.patient_preps.get(lemma, frozenset())
    ) - lexicon.opponent_preps.get(lemma, frozenset())
    agent_preps = (
        _cues("agent_preps", overrides) | lexicon.agent_preps.get(lemma, frozenset())
    ) - patient_preps
    return agent_preps, patient_preps


def _noun_arguments(
    anchor: Token,
    agent_preps: frozenset[str],
    patient_preps: frozenset[str],
    agents: list[Token],
    patients: list[Token],
    overrides: Overrides,
) -> None:
    """An event noun's own arguments, added to ``agents`` and ``patients``: its modifiers ("the
    *army's* shelling"; but "*Mhlanga's* arrest" is suffered), its preposition phrases ("an
    attack *by* rebels *on* Idlib") and a participle's ("airstrikes *conducted by* Russian
    jets, *targeting* rebels")."""
    suffered = anchor.lemma_.lower() in _cues("patient_possessor_nouns", overrides)
    for child in anchor.children:
        if child.dep_ == "poss" and suffered:
            patients.append(child)  # "Mhlanga's arrest": Mhlanga was arrested
        elif child.dep_ in _AGENT_MODIFIER_DEPS:
            agents.append(child)
        elif child.dep_ == "prep" and child.lower_ in agent_preps:
            agents.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "prep" and child.lower_ in patient_preps:
            patients.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "acl":
            every_patient_prep = _cues("patient_preps", overrides)
            _verb_arguments(child, agents, patients, every_patient_prep, overrides=overrides)


def _noun_verb(anchor: Token, facts: DocFacts) -> tuple[Token, list[Token]]:
    """The verb whose arguments an event noun takes, and the objects it takes as patients:
    "rebels launched an *attack*" -> launched; "the *attack* hit Idlib" -> the noun, with
    Idlib; "killed in *airstrikes*" -> killed; else the noun itself."""
    head = anchor.head
    if anchor.dep_ in _EVENT_NOUN_SLOT_DEPS and head.pos_ in _VERBAL:
        return head, []
    if anchor.dep_ == "nsubj" and head.pos_ in _VERBAL:
        return anchor, [c for c in head.children if c.dep_ == "dobj"]
    if (
        anchor.dep_ == "pobj"
        and head.lower_ not in _cues("bystander_preps", facts.overrides)
        # "Iran is stretched thin by attacks on X": a passive verb that names no event is
        # what the event caused, and its subject is not whom it targets ("killed by a
        # bomb" is the same act).
        and (head.dep_ != "agent" or facts.names_act(head.head.i))
        and (head.head.pos_ in _VERBAL or head.head.pos_ == "NOUN")
    ):
        return head.head, []
    return anchor, []


def argument_mentions(
    agent_tokens: list[Token], patient_tokens: list[Token], facts: DocFacts
) -> tuple[list[ActorMention], list[ActorMention]]:
    """The actors the argument words name. A side named by "between" is not also an agent
    through its conjunct ("between A and B"); a subject pronoun with no actor of its own stands
    for its governing clause's subject ("Turkey said *it* shelled")."""
    sides = mentions_for([t for t in patient_tokens if t.dep_ == "conj"], facts)
    agents = [m for m in mentions_for(agent_tokens, facts) if m not in sides]
    pronouns = [t for t in agent_tokens if t.lower_ in _subject_pronouns(facts.overrides)]
    if not agents and pronouns:
        agents = [m for m in _antecedent(pronouns[0], facts) if m not in sides]
    patients = [m for m in mentions_for(patient_tokens, facts) if m not in agents]
    return agents, patients


def _antecedent(pronoun: Token, facts: DocFacts) -> list[ActorMention]:
    """The actor a subject pronoun stands for within its sentence: the subject of the nearest
    governing clause that names one ("Turkey seeks to secure its border from militias, whom *it*
    accuses ...")."""
    for ancestor in pronoun.head.ancestors:
        subjects = [c for c in ancestor.children if c.dep_ in _SUBJECT_DEPS and c.i != pronoun.i]
        person = _subject_pronouns(facts.overrides)[pronoun.lower_]
        found = [m for m in mentions_for(subjects, facts) if (m.actor.kind == "person") == person]
        if found:
            return found
    return []


@functools.cache
def _subject_pronouns(overrides: Overrides) -> dict[str, bool]:
    """Pronoun -> whether it stands for a person (argument_cues.yaml)."""
    pronouns = loader.load("argument_cues.yaml", overrides)["subject_pronouns"]
    return {str(k).lower(): bool(v) for k, v in pronouns.items()}


def _sides(prep: Token, agents: list[Token], patients: list[Token]) -> None:
    """'Clashes between A and B': A is one side, B (A's conjunct) the other."""
    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
        agents.append(pobj)
        patients.extend(c for c in pobj.children if c.dep_ == "conj")


def _verb_arguments(
    verb: Token,
    agents: list[Token],
    patients: list[Token],
    patient_preps: frozenset[str],
    skip: Token | None = None,
    with_agent: frozenset[str] = frozenset(),
    overrides: Overrides = (),
) -> None:
    """``with_agent``: prepositions whose objects act with the subject, after it ("sent
    reinforcements, including militias": the militias are the sender's)."""
    # The preposition hangs from the verb or from its object ("sent fighters, including ...").
    holders = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
    companions = [
        pobj
        for holder in holders
        for child in holder.children
        if child.dep_ == "prep" and child.lower_ in with_agent
        for pobj in child.children
        if pobj.dep_ == "pobj"
    ]
    _subject_and_objects(verb, agents, patients, patient_preps, skip, with_agent, overrides)
    agents.extend(companions)


def _subject_and_objects(
    verb: Token,
    agents: list[Token],
    patients: list[Token],
    patient_preps: frozenset[str],
    skip: Token | None,
    with_agent: frozenset[str],
    overrides: Overrides,
) -> None:
    """The verb's own subjects and objects; where it has no subject, the one it borrows."""
    subject_found = False
    for child in verb.children:
        if skip is not None and child.i == skip.i:
            continue
        subject = own_subject(child, verb)
        if subject is not None:
            agents.extend(subject)
            subject_found = True
        else:
            patients.extend(own_objects(child, verb, patient_preps, with_agent, overrides))
    if subject_found:
        return
    hung = _hung_agents(verb, with_agent, overrides)
    if hung:
        agents.extend(hung)
    elif verb.dep_ == "amod" and verb.head.i != verb.i:
        acting, acted_on = participle_noun(verb)
        agents.extend(acting)
        patients.extend(acted_on)
    elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        agents.extend(gerund_subject(verb))
    else:
        # "people were deported, *massacred*": a past participle joined to a passive, without
        # an auxiliary of its own, shares its subject as the one acted on.
        undergone = (
            verb.dep_ in _JOINED_DEPS
            and verb.tag_ in _PAST_PARTICIPLE_TAGS
            and not any(c.dep_ in _AUXILIARY_DEPS for c in verb.children)
        )
        for borrowed in borrowed_subject(verb):
            passive = borrowed.dep_ in _SUBJECT_DEPS and borrowed.dep_ not in _ACTIVE_SUBJECT_DEPS
            (patients if undergone and passive else agents).append(borrowed)


def _hung_agents(verb: Token, with_agent: frozenset[str], overrides: Overrides) -> list[Token]:
    """A passive's agent that the parser hung on the place or time phrase before it: "the
    villagers were shot dead in their home *by* Azerbaijani special forces" (the by-phrase under
    "home"). Only one phrase down, and only for a passive without an agent of its own."""
    if not any(c.dep_ in _PASSIVE_DEPS for c in verb.children):
        return []
    hung_preps = _cues("hung_agent_preps", overrides)
    return [
        agent
        for phrase in verb.children
        if phrase.dep_ == "prep" and phrase.lower_ not in with_agent
        for noun in phrase.children
        if noun.dep_ == "pobj"
        for by in noun.children
        if by.dep_ == "prep" and by.lower_ in hung_preps
        for agent in by.children
        if agent.dep_ == "pobj"
    ]


def own_subject(child: Token, verb: Token) -> list[Token] | None:
    """Who acts, as the verb's child names it, or None where the child is no subject: "*Rebels*
    captured", "captured by *rebels*", "the *rebels*, who captured" (the antecedent acts)."""
    if child.dep_ in _ACTIVE_SUBJECT_DEPS and child.tag_ in _RELATIVE_PRONOUN_TAGS:
        return [verb.head] if verb.dep_ == "relcl" else None
    if child.dep_ in _ACTIVE_SUBJECT_DEPS:
        return [child]
    if child.dep_ == "agent":
        return [c for c in child.children if c.dep_ == "pobj"]
    return None


def own_objects(
    child: Token,
    verb: Token,
    patient_preps: frozenset[str],
    with_agent: frozenset[str],
    overrides: Overrides = (),
) -> list[Token]:
    """Who is acted on, as the verb's child names it: "shelled *Idlib*", "attacks *on* the
    town", "militias, *whom* it accuses" (the antecedent), "sending reinforcements, *including*
    militia groups" (part of the object). Objects of ``with_agent`` prepositions are not."""
    if child.dep_ in _OBJECT_DEPS and child.tag_ in _RELATIVE_PRONOUN_TAGS:
        return [verb.head] if verb.dep_ == "relcl" else []
    if child.dep_ in _OBJECT_DEPS:
        return [child]
    if child.dep_ != "prep" or child.lower_ in with_agent:
        return []  # the caller adds the objects of ``with_agent`` after the subject
    if child.lower_ in patient_preps or child.lower_ in _cues("part_preps", overrides):
        return [c for c in child.children if c.dep_ == "pobj"]
    return []


def participle_noun(verb: Token) -> tuple[list[Token], list[Token]]:
    """(agents, patients) of a participle before a noun: "the *retreating* army" acts, "the
    *besieged* town" is acted on."""
    return ([verb.head], []) if verb.tag_ == "VBG" else ([], [verb.head])


def gerund_subject(verb: Token) -> list[Token]:
    """The subject a gerund after a preposition borrows: "Iran responded by *sending*
    reinforcements" (the subject of the verb the "by" hangs on); "Turkey complicated things by
    announcing plans ..., aimed at *pushing* back Kurdish forces" (the nearest subject up a
    chain of non-finite verbs)."""
    governor = verb.head.head
    subjects = [c for c in governor.children if c.dep_ == "nsubj"]
    return subjects or _implicit_subject(verb)


def borrowed_subject(verb: Token) -> list[Token]:
    """The subject a participle, infinitive or conjunct borrows from the verb it hangs from
    ("entered Syria to *provide* support"); the object of that verb does an infinitive's act
    ("ordered troops to *withdraw*"); the noun a participle or relative clause modifies acts
    ("fighters *advancing* on Hama"). A finite adverbial clause has its own subject: none."""
    infinitive = verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    )
    finite_advcl = verb.dep_ == "advcl" and verb.tag_ not in _PARTICIPLE_TAGS and not infinitive
    if finite_advcl or verb.dep_ not in _BORROWING_DEPS:
        return []
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ in _NOUN_CLAUSE_DEPS:
        return [head]
    if verb.dep_ == "xcomp":
        controller = [c for c in head.children if c.dep_ == "dobj" and c.i < verb.i]
        if controller:
            return controller
    return [c for c in head.children if c.dep_ in _SUBJECT_DEPS and c.i != verb.i]


_MAX_CLIMB = 8


def _implicit_subject(verb: Token) -> list[Token]:
    """The subject of the nearest governing verb that has one, climbing through non-finite
    verbs, nouns and prepositions only; none past a finite verb or a clause of its own."""
    current = verb
    for _ in range(_MAX_CLIMB):
        if current.dep_ in _SUBJECT_BARRIER_DEPS or current.head.i == current.i:
            return []
        head = current.head
        if head.pos_ in _VERBAL:
            subjects = [c for c in head.children if c.dep_ in _SUBJECT_DEPS]
            if subjects:
                return subjects
            if head.tag_ in _FINITE_TAGS:
                return []
        current = head
    return []


def mentions_for(tokens: list[Token], facts: DocFacts) -> list[ActorMention]:
    found: list[ActorMention] = []
    for token in tokens:
        mention = facts.actor_index[token.i]
        if mention is not None:
            # "Syrian and Russian warplanes": the head's own mention, then its modifiers'.
            modifiers = [t for t in token.subtree if _modifies(t, token)]
            candidates = [mention, *facts.actors_in(modifiers)]
        else:
            # The phrase the token heads, without clauses that may name others.
            phrase = [
                t
                for t in own_phrase(token)
                if not _for_whose_good(t, token, facts.overrides)
                and not _where_it_is(t, token, facts)
            ]
            candidates = facts.actors_in(phrase)
        for cand in candidates:
            if cand not in found:
                found.append(cand)
    return found


def own_phrase(head: Token) -> list[Token]:
    """The words of the phrase a token heads, in reading order, without the clauses inside it,
    which tell acts or name parties of their own ("a strike on his attackers *killing 25*",
    "anything *that is against the Taliban's beliefs* is banned")."""
    return [t for t in head.subtree if not _in_clause(t, head)]


def _modifies(token: Token, head: Token) -> bool:
    """Whether ``token`` hangs on ``head`` through adjectives, compounds and conjuncts only."""
    while token.i != head.i:
        if token.dep_ not in _MODIFIER_CHAIN_DEPS or token.head.i == token.i:
            return False
        token = token.head
    return True


def _for_whose_good(token: Token, root: Token, overrides: Overrides) -> bool:
    """Whether ``token`` is in the "of" phrase of a beneficiary noun under ``root``: "concern
    about the safety of Syrian Kurds" (the Kurds are whom the act is for, not its target)."""
    beneficiary_nouns = _cues("beneficiary_nouns", overrides)
    while token.i != root.i and token.head.i != token.i:
        of = token.dep_ == "pobj" and token.head.lower_ == "of"
        if of and token.head.head.lemma_.lower() in beneficiary_nouns:
            return True
        token = token.head
    return False


def _where_it_is(token: Token, root: Token, facts: DocFacts) -> bool:
    """Whether ``token`` is a place name in a phrase of place under ``root``: "airstrikes on two
    hospitals *in Aleppo, Syria*" (Syria is where the hospitals are, not whom the strikes hit)."""
    if facts.place_index[token.i] is None:
        return False
    place_preps = _cues("place_preps", facts.overrides)
    while token.i != root.i and token.head.i != token.i:
        if token.dep_ == "pobj" and token.head.lower_ in place_preps:
            return True
        token = token.head
    return False


def _in_clause(token: Token, root: Token) -> bool:
    while token.i != root.i:
        if token.dep_ in _EMBEDDED_CLAUSE_DEPS:
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False
