"""Who did what to whom: an event trigger's agents and patients from the dependency tree."""

from __future__ import annotations

from spacy.tokens import Token

from sitroom.extract.actors import ActorMention
from sitroom.extract.facts import DocFacts
from sitroom.knowledge.cues import CueLexicon

_AGENT_PREPS = frozenset({"by"})
_PATIENT_PREPS = frozenset({"against", "on", "upon", "targeting", "at"})
# Prepositions after which an event noun's verb is someone's reaction or the time of something
# else ("Carter responded *to* the bombing", "*after* the explosion, the minister sent ..."):
# that verb's subject is not the event's agent.
_BYSTANDER_PREPS = frozenset({"to", "after", "before", "since", "about", "over", "despite", "amid"})
# Subject pronouns that may stand for an actor named earlier in the same sentence, with
# whether they stand for a person ("Russia said *he* had stepped down" is not Russia).
_SUBJECT_PRONOUNS = {"it": False, "they": False, "he": True, "she": True}
# Prepositions that name both sides of a fight at once.
_BETWEEN_PREPS = frozenset({"between"})


def arguments(
    anchor: Token, facts: DocFacts, lexicon: CueLexicon
) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who acted (agents) and who was acted on (patients), from the dependency tree."""
    lemma = anchor.lemma_.lower()
    patient_preps = (
        _PATIENT_PREPS | lexicon.patient_preps.get(lemma, frozenset())
    ) - lexicon.opponent_preps.get(lemma, frozenset())
    agent_preps = (
        _AGENT_PREPS | {"from"} | lexicon.agent_preps.get(lemma, frozenset())
    ) - patient_preps
    agent_tokens: list[Token] = []
    patient_tokens: list[Token] = []
    verb = anchor
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ in _BETWEEN_PREPS:
            _sides(child, agent_tokens, patient_tokens)
    if anchor.pos_ in ("NOUN", "PROPN"):
        for child in anchor.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                agent_tokens.append(child)
            elif child.dep_ == "prep" and child.lower_ in agent_preps:
                agent_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "prep" and child.lower_ in patient_preps:
                patient_tokens.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ == "acl":  # "airstrikes conducted by Russian jets, targeting rebels"
                _verb_arguments(child, agent_tokens, patient_tokens, _PATIENT_PREPS)
        if anchor.dep_ in ("dobj", "nsubjpass", "attr") and anchor.head.pos_ in ("VERB", "AUX"):
            verb = anchor.head
        elif anchor.dep_ in ("nsubj",) and anchor.head.pos_ in ("VERB", "AUX"):
            for child in anchor.head.children:
                if child.dep_ == "dobj":
                    patient_tokens.append(child)
            verb = anchor
        elif (
            anchor.dep_ == "pobj"
            and anchor.head.lower_ not in _BYSTANDER_PREPS
            # "Iran is stretched thin by attacks on X": a passive verb that names no event is
            # what the event caused, and its subject is not whom it targets ("killed by a
            # bomb" is the same act).
            and (anchor.head.dep_ != "agent" or _names_event(anchor.head.head, facts))
            and anchor.head.head.pos_ in ("VERB", "AUX", "NOUN")
        ):
            verb = anchor.head.head
    if verb.i != anchor.i or anchor.pos_ in ("VERB", "AUX", "ADJ"):
        _verb_arguments(
            verb,
            agent_tokens,
            patient_tokens,
            patient_preps,
            skip=anchor if verb.i != anchor.i else None,
            with_agent=lexicon.agent_preps.get(verb.lemma_.lower(), frozenset()),
        )
    # A side named by "between" is not also an agent through its conjunct ("A and B").
    sides = mentions_for([t for t in patient_tokens if t.dep_ == "conj"], facts)
    agents = [m for m in mentions_for(agent_tokens, facts) if m not in sides]
    pronouns = [t for t in agent_tokens if t.lower_ in _SUBJECT_PRONOUNS]
    if not agents and pronouns:
        agents = [m for m in _antecedent(pronouns[0], facts) if m not in sides]
    patients = [m for m in mentions_for(patient_tokens, facts) if m not in agents]
    return agents, patients


def _antecedent(pronoun: Token, facts: DocFacts) -> list[ActorMention]:
    """The actor a subject pronoun stands for within its sentence: the subject of the nearest
    governing clause that names one ("Turkey seeks to secure its border from militias, whom *it*
    accuses ...")."""
    for ancestor in pronoun.head.ancestors:
        subjects = [
            c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != pronoun.i
        ]
        person = _SUBJECT_PRONOUNS[pronoun.lower_]
        found = [m for m in mentions_for(subjects, facts) if (m.actor.kind == "person") == person]
        if found:
            return found
    return []


def _names_event(token: Token, facts: DocFacts) -> bool:
    return any(c.start <= token.i < c.end and c.role != "context" for c in facts.cues)


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
    _subject_and_objects(verb, agents, patients, patient_preps, skip, with_agent)
    agents.extend(companions)


def _subject_and_objects(
    verb: Token,
    agents: list[Token],
    patients: list[Token],
    patient_preps: frozenset[str],
    skip: Token | None,
    with_agent: frozenset[str],
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
            patients.extend(own_objects(child, verb, patient_preps, with_agent))
    if subject_found:
        return
    if verb.dep_ == "amod" and verb.head.i != verb.i:
        acting, acted_on = participle_noun(verb)
        agents.extend(acting)
        patients.extend(acted_on)
    elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        agents.extend(gerund_subject(verb))
    else:
        agents.extend(borrowed_subject(verb))


_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "dative"})
_RELATIVE_PRONOUNS = frozenset({"WDT", "WP"})


def own_subject(child: Token, verb: Token) -> list[Token] | None:
    """Who acts, as the verb's child names it, or None where the child is no subject: "*Rebels*
    captured", "captured by *rebels*", "the *rebels*, who captured" (the antecedent acts)."""
    if child.dep_ in _SUBJECT_DEPS and child.tag_ in _RELATIVE_PRONOUNS:
        return [verb.head] if verb.dep_ == "relcl" else None
    if child.dep_ in _SUBJECT_DEPS:
        return [child]
    if child.dep_ == "agent":
        return [c for c in child.children if c.dep_ == "pobj"]
    return None


def own_objects(
    child: Token, verb: Token, patient_preps: frozenset[str], with_agent: frozenset[str]
) -> list[Token]:
    """Who is acted on, as the verb's child names it: "shelled *Idlib*", "attacks *on* the
    town", "militias, *whom* it accuses" (the antecedent), "sending reinforcements, *including*
    militia groups" (part of the object). Objects of ``with_agent`` prepositions are not."""
    if child.dep_ in _OBJECT_DEPS and child.tag_ in _RELATIVE_PRONOUNS:
        return [verb.head] if verb.dep_ == "relcl" else []
    if child.dep_ in _OBJECT_DEPS:
        return [child]
    if child.dep_ != "prep" or child.lower_ in with_agent:
        return []  # the caller adds the objects of ``with_agent`` after the subject
    if child.lower_ in patient_preps or child.lower_ == "including":
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
    finite_advcl = verb.dep_ == "advcl" and verb.tag_ not in ("VBG", "VBN") and not infinitive
    if finite_advcl or verb.dep_ not in ("xcomp", "advcl", "conj", "acl", "relcl"):
        return []
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ in ("acl", "relcl"):
        return [head]
    if verb.dep_ == "xcomp":
        controller = [c for c in head.children if c.dep_ == "dobj" and c.i < verb.i]
        if controller:
            return controller
    return [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != verb.i]


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_CLAUSE_BOUNDARIES = frozenset({"relcl", "ccomp", "parataxis", "csubj"})
_MAX_CLIMB = 8


def _implicit_subject(verb: Token) -> list[Token]:
    """The subject of the nearest governing verb that has one, climbing through non-finite
    verbs, nouns and prepositions only; none past a finite verb or a clause of its own."""
    current = verb
    for _ in range(_MAX_CLIMB):
        if current.dep_ in _CLAUSE_BOUNDARIES or current.head.i == current.i:
            return []
        head = current.head
        if head.pos_ in ("VERB", "AUX"):
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
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
            # The phrase the token heads, without relative clauses that may name others.
            subtree = [
                t
                for t in token.subtree
                if not _in_clause(t, token) and not _for_whose_good(t, token)
            ]
            candidates = facts.actors_in(subtree)
        for cand in candidates:
            if cand not in found:
                found.append(cand)
    return found


def _modifies(token: Token, head: Token) -> bool:
    """Whether ``token`` hangs on ``head`` through adjectives, compounds and conjuncts only."""
    while token.i != head.i:
        if token.dep_ not in ("amod", "compound", "conj", "cc", "nmod") or token.head.i == token.i:
            return False
        token = token.head
    return True


# "concern about the safety of Syrian Kurds": the Kurds are whom the act is for, not its target.
_BENEFICIARY_NOUNS = frozenset(
    {"safety", "fate", "plight", "welfare", "well-being", "wellbeing", "protection", "lives"}
)


def _for_whose_good(token: Token, root: Token) -> bool:
    while token.i != root.i and token.head.i != token.i:
        of = token.dep_ == "pobj" and token.head.lower_ == "of"
        if of and token.head.head.lemma_.lower() in _BENEFICIARY_NOUNS:
            return True
        token = token.head
    return False


def _in_clause(token: Token, root: Token) -> bool:
    while token.i != root.i:
        if token.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False
