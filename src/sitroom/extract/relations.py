"""The alliance graph's edges as one report states them: supports, allied with, part of, opposes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Token

from sitroom.config import DataOverride
from sitroom.errors import KnowledgeBaseError
from sitroom.extract.actors import ActorMention
from sitroom.extract.events import Candidate
from sitroom.extract.facts import DocFacts
from sitroom.knowledge import loader
from sitroom.records import Actor, Relation

# Violent event types whose actors oppose each other.
_HOSTILE_EVENTS = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# Dependencies, tags and token texts the rules read (data/syntax.yaml; each is commented there).
_SUBJECT_DEPS = loader.labels("syntax.yaml", "subject_deps")
_NOUN_CLAUSE_DEPS = loader.labels("syntax.yaml", "noun_clause_deps")
_BACKED_WORD_DEPS = loader.labels("syntax.yaml", "backed_word_deps")
_COMPOSED_WORD_DEPS = loader.labels("syntax.yaml", "composed_word_deps")
_PHRASE_OBJECT_DEPS = loader.labels("syntax.yaml", "phrase_object_deps")
_PARTICIPLE_HEAD_DEPS = loader.labels("syntax.yaml", "participle_head_deps")
_PRONOUN_TAGS = loader.labels("syntax.yaml", "pronoun_tags")
_RELATIVE_PRONOUN_TAGS = loader.labels("syntax.yaml", "relative_pronoun_tags")
_HYPHENS = loader.labels("syntax.yaml", "hyphens")


@dataclass(frozen=True, slots=True)
class RelationCues:
    """Cue words for each relation pattern (``data/relation_cues.yaml``)."""

    backed_words: frozenset[str]
    support_verbs: frozenset[str]
    ally_nouns: frozenset[str]
    backer_nouns: frozenset[str]
    proxy_nouns: frozenset[str]
    part_nouns: frozenset[str]
    composed_words: frozenset[str]
    passive_support_verbs: frozenset[str]
    owner_preps: frozenset[str]
    whole_preps: frozenset[str]

    @classmethod
    def load(cls, overrides: Iterable[DataOverride] = ()) -> RelationCues:
        """``data/relation_cues.yaml`` with the user's overrides of it."""
        data = loader.load("relation_cues.yaml", overrides)
        try:
            return cls(
                **{
                    k: frozenset(str(w).lower() for w in v)
                    for k, v in data.data.items()
                    if k != "version"
                }
            )
        except (TypeError, AttributeError) as e:
            raise KnowledgeBaseError(f"{data.source}: malformed: {e!r}") from e


# A relation one rule finds stated: (subject, predicate, object); a side may be unknown.
_Stated = tuple[Actor | None, str, Actor | None]


def extract_relations(
    facts: DocFacts, *, cues: RelationCues, events: list[Candidate], kb
) -> list[Relation]:
    """Relations stated in the report, each with the sentence it came from as evidence."""
    found: dict[tuple[str, str, str], Relation] = {}
    for token in facts.doc:
        for rule in _WORD_RULES:
            for stated in rule(token, facts, cues, kb):
                _add(found, stated, token, facts)
    for cand in events:
        for stated in hostile_event(cand, facts, kb):
            _add(found, stated, facts.doc[cand.trigger], facts)
    return list(found.values())


def _add(
    found: dict[tuple[str, str, str], Relation], stated: _Stated, token: Token, facts: DocFacts
) -> None:
    """Keep the first telling of each relation, with the sentence of ``token`` as evidence."""
    subject, predicate, obj = stated
    if subject is None or obj is None or subject.id == obj.id:
        return
    if predicate == "allied_with" and subject.id > obj.id:
        subject, obj = obj, subject
    key = (subject.id, predicate, obj.id)
    if key not in found:
        evidence = facts.sentence_evidence(token.sent)
        found[key] = Relation(subject.id, predicate, obj.id, facts.document.published, (evidence,))


def _prefixed(token: Token, cues: RelationCues) -> bool:
    doc = token.doc
    return token.lower_ in cues.backed_words and token.i >= 2 and doc[token.i - 1].text in _HYPHENS


def backed_prefix(token: Token, facts: DocFacts, cues: RelationCues, kb) -> list[_Stated]:
    """ "*Iran-backed* militias": the prefix supports what the participle modifies."""
    if not _prefixed(token, cues):
        return []
    supporter = _actor_near(token.doc[token.i - 2], facts, kb)
    return [(supporter, "supports", target) for target in _targets_of_modifier(token, facts)]


def backed_by(token: Token, facts: DocFacts, cues: RelationCues, kb) -> list[_Stated]:
    """ "militias *backed by* Iran", "Hezbollah, which is *supported by* Iran": the passive's
    agents support what it modifies, else its subjects."""
    word, lemma = token.lower_, token.lemma_.lower()
    has_agent = any(c.dep_ == "agent" for c in token.children)
    backed = word in cues.backed_words and token.dep_ in _BACKED_WORD_DEPS
    if _prefixed(token, cues) or not (
        backed or (lemma in cues.passive_support_verbs and has_agent)
    ):
        return []
    agents = [
        p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
    ]
    if not agents:
        return []
    targets = _targets_of_modifier(token, facts) or _subjects(token, facts, kb)
    return [(s, "supports", t) for s in _all_actors(agents, facts, kb) for t in targets]


def support_verb(token: Token, facts: DocFacts, cues: RelationCues, kb) -> list[_Stated]:
    """ "Iran *supports* Hezbollah": a support verb's subjects support its objects."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in cues.support_verbs:
        return []
    objects = _all_actors([c for c in token.children if c.dep_ == "dobj"], facts, kb)
    return [(s, "supports", o) for s in _subjects(token, facts, kb) for o in objects]


def ally_noun(token: Token, facts: DocFacts, cues: RelationCues, kb) -> list[_Stated]:
    """ "Russia, Assad's main *ally*" and "Iran, the regime's *backer*": the noun's referent
    supports its owner; "the militia, an Iranian *proxy*": the owner supports the referent."""
    word, lemma = token.lower_, token.lemma_.lower()
    referent_supports = lemma in cues.backer_nouns or bool(cues.ally_nouns & {lemma, word})
    if token.pos_ != "NOUN" or not (referent_supports or lemma in cues.proxy_nouns):
        return []
    referents = _referents(token, facts, kb)
    return [
        (referent, "supports", owner) if referent_supports else (owner, "supports", referent)
        for owner in _owners(token, facts, cues, kb)
        for referent in referents
    ]


def allies_together(token: Token, facts: DocFacts, cues: RelationCues, kb) -> list[_Stated]:
    """ "Russia and Iran are *allies*": an ally noun that is the predicate of its subjects and
    names no owner: the subjects are allied with each other."""
    ally = bool(cues.ally_nouns & {token.lemma_.lower(), token.lower_})
    if token.pos_ != "NOUN" or not ally or token.dep_ != "attr" or _owners(token, facts, cues, kb):
        return []
    partners = _subjects(token.head, facts, kb)
    return [
        (one, "allied_with", other) for i, one in enumerate(partners) for other in partners[i + 1 :]
    ]


def _owners(noun: Token, facts: DocFacts, cues: RelationCues, kb) -> list[Actor]:
    """Whose ally, backer or proxy a noun is: "*Assad's* ally", "an ally *of Assad*"."""
    possessors = [_antecedent(c) for c in noun.children if c.dep_ == "poss"]
    return _all_actors(possessors, facts, kb) + _all_actors(
        _objects_of(noun, cues.owner_preps), facts, kb
    )


def part_noun(token: Token, facts: DocFacts, cues: RelationCues, kb) -> list[_Stated]:
    """ "HTS, a breakaway *faction* of al-Qaeda": the referent is part of the "of" object."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in cues.part_nouns:
        return []
    wholes = _all_actors(_objects_of(token, cues.whole_preps), facts, kb)
    return [(part, "part_of", whole) for part in _referents(token, facts, kb) for whole in wholes]


def composed_of(token: Token, facts: DocFacts, cues: RelationCues, kb) -> list[_Stated]:
    """ "opposition forces *composed of* HTS and its allies", "rebels, *including* Jaish
    al-Izza": the objects are part of the noun the word modifies ("led by" is no part)."""
    lemma = token.lemma_.lower()
    if lemma not in cues.composed_words:
        return []
    if token.dep_ not in _COMPOSED_WORD_DEPS:
        return []
    wholes = _all_actors([token.head], facts, kb) if token.head.i != token.i else []
    objects = [
        p
        for c in token.children
        if c.dep_ == "prep" or c.dep_ in _PHRASE_OBJECT_DEPS
        for p in (list(c.children) if c.dep_ == "prep" else [c])
        if p.dep_ in _PHRASE_OBJECT_DEPS
    ]
    # "rebels ..., including Souran and Taibat al-Imam" (a town the model calls a person): a
    # force is composed of groups, not of people.
    parts = [a for a in _all_actors(objects, facts, kb) if a.kind != "person"]
    return [(part, "part_of", whole) for whole in wholes for part in parts]


# Word rules in the order they are tried on each token (the first telling of a relation wins).
_WORD_RULES = (
    backed_prefix,
    backed_by,
    support_verb,
    allies_together,
    ally_noun,
    part_noun,
    composed_of,
)


def hostile_event(cand: Candidate, facts: DocFacts, kb) -> list[_Stated]:
    """A battle, strike or attack on civilians: its first actor opposes its second, unless
    the second is civilians."""
    event = cand.event
    if event.event_type not in _HOSTILE_EVENTS or not event.actor1 or not event.actor2:
        return []
    a1 = kb.get(event.actor1) or _mentioned(event.actor1, facts)
    a2 = kb.get(event.actor2) or _mentioned(event.actor2, facts)
    if a2 is not None and a2.kind == "civilians":
        return []
    return [(a1, "opposes", a2)]


def _mentioned(actor_id: str, facts: DocFacts) -> Actor | None:
    return next((m.actor for m in facts.actors if m.actor.id == actor_id), None)


def _objects_of(token: Token, preps: frozenset[str]) -> list[Token]:
    """The objects of the token's prepositions ``preps``: "ally *of Assad*"."""
    return [
        p
        for c in token.children
        if c.dep_ == "prep" and c.lower_ in preps
        for p in c.children
        if p.dep_ == "pobj"
    ]


def _mention(token: Token, facts: DocFacts) -> ActorMention | None:
    return facts.actor_index[token.i]


def _antecedent(token: Token) -> Token:
    """For "his", "its" or "their", the subject of the clause it sits in; else the token."""
    if token.tag_ != "PRP$":
        return token
    for ancestor in token.ancestors:
        subjects = [c for c in ancestor.children if c.dep_ in _SUBJECT_DEPS]
        if subjects and subjects[0].tag_ not in _PRONOUN_TAGS:
            return subjects[0]
    return token


def _actor_near(token: Token, facts: DocFacts, kb) -> Actor | None:
    """The actor a "X-backed" prefix names: an actor mention, a country or a demonym."""
    mention = _mention(token, facts)
    # "Turkish-backed rebels" may be one alias of the group: the prefix still names the backer.
    inside = mention is not None and mention.end > token.i + 1
    if mention is not None and not inside:
        actor = mention.actor
        # "Iran-backed": the backer is the state, not its forces.
        if actor.kind == "state_forces" and actor.parent:
            return kb.get(actor.parent) or actor
        return actor
    iso2 = kb.country_by_name(token.text) or kb.demonym_country(token.text)
    if iso2:
        return kb.state(iso2)
    return kb.lookup(token.text)


def _targets_of_modifier(token: Token, facts: DocFacts) -> list[Actor]:
    """The actor a participle modifies: "Turkish-backed [rebels]", "militias backed by Iran"."""
    head = token
    for _ in range(3):
        if head.dep_ in _PARTICIPLE_HEAD_DEPS and head.head.i != head.i:
            head = head.head
        else:
            break
    mention = _mention(head, facts)
    if mention is not None:
        return [mention.actor]
    if head.i + 1 < len(head.doc):
        mention = _mention(head.doc[head.i + 1], facts)
        if mention is not None and mention.start <= token.i + 3:
            return [mention.actor]
    return []


def _subjects(verb: Token, facts: DocFacts, kb) -> list[Actor]:
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    relative = verb.dep_ in _NOUN_CLAUSE_DEPS and verb.head.i != verb.i
    if relative and not subjects:
        subjects = [verb.head]
    elif relative and all(s.tag_ in _RELATIVE_PRONOUN_TAGS for s in subjects):
        # "Israel and Hezbollah, which is supported by Iran": the name right before the pronoun.
        i = subjects[0].i - 1
        while i > verb.sent.start and verb.doc[i].is_punct:
            i -= 1
        subjects = [verb.doc[i]]
    return _all_actors(subjects, facts, kb)


def _all_actors(tokens: list[Token], facts: DocFacts, kb) -> list[Actor]:
    actors: list[Actor] = []
    for token in tokens:
        group = [
            token,
            *[
                c
                for c in token.subtree
                if c.dep_ == "conj" and c.head.i in {token.i} | {x.i for x in token.subtree}
            ],
        ]
        for member in group:
            mention = _mention(member, facts)
            actor = mention.actor if mention is not None else None
            if actor is None and member.pos_ == "PROPN":
                iso2 = kb.country_by_name(member.text)
                actor = kb.state(iso2) if iso2 else None
            if actor is not None and actor not in actors:
                actors.append(actor)
    return actors


def _referents(noun: Token, facts: DocFacts, kb) -> list[Actor]:
    """What an appositive or predicate noun describes: "HTS, a faction of..." / "X is an ally"."""
    if noun.dep_ == "appos":
        return _all_actors([noun.head], facts, kb)
    for child in noun.children:
        if child.dep_ == "appos":
            return _all_actors([child], facts, kb)
    if noun.dep_ == "attr":
        return _all_actors([c for c in noun.head.children if c.dep_ == "nsubj"], facts, kb)
    mention = _mention(noun, facts)
    return [mention.actor] if mention is not None else []
