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


def extract_relations(
    facts: DocFacts, *, cues: RelationCues, events: list[Candidate], kb
) -> list[Relation]:
    """Relations stated in the report, each with the sentence it came from as evidence."""
    found: dict[tuple[str, str, str], Relation] = {}

    def add(subject: Actor | None, predicate: str, obj: Actor | None, token: Token) -> None:
        if subject is None or obj is None or subject.id == obj.id:
            return
        if predicate == "allied_with" and subject.id > obj.id:
            subject, obj = obj, subject
        key = (subject.id, predicate, obj.id)
        if key in found:
            return
        sent = token.sent
        evidence = facts.sentence_evidence(sent)
        found[key] = Relation(subject.id, predicate, obj.id, facts.document.published, (evidence,))

    doc = facts.doc
    for token in doc:
        word = token.lower_
        lemma = token.lemma_.lower()
        if word in cues.backed_words and token.i >= 2 and doc[token.i - 1].text in ("-", "–"):
            supporter = _actor_near(doc[token.i - 2], facts, kb)
            for target in _targets_of_modifier(token, facts):
                add(supporter, "supports", target, token)
        elif (
            word in cues.backed_words and token.dep_ in ("acl", "amod", "ROOT", "relcl", "conj")
        ) or (lemma in {"back", "support"} and any(c.dep_ == "agent" for c in token.children)):
            agents = [
                p
                for c in token.children
                if c.dep_ == "agent"
                for p in c.children
                if p.dep_ == "pobj"
            ]
            if agents:
                supporters = _all_actors(agents, facts, kb)
                targets = _targets_of_modifier(token, facts) or _subjects(token, facts, kb)
                for supporter in supporters:
                    for target in targets:
                        add(supporter, "supports", target, token)
        if token.pos_ == "VERB" and lemma in cues.support_verbs:
            subjects = _subjects(token, facts, kb)
            objects = _all_actors([c for c in token.children if c.dep_ in ("dobj",)], facts, kb)
            for subject in subjects:
                for obj in objects:
                    add(subject, "supports", obj, token)
        if token.pos_ == "NOUN" and (
            lemma in cues.ally_nouns
            or word in cues.ally_nouns
            or lemma in cues.backer_nouns
            or lemma in cues.proxy_nouns
        ):
            possessors = [c for c in token.children if c.dep_ == "poss"]
            owners = _all_actors([_antecedent(p) for p in possessors], facts, kb)
            owners += _all_actors(
                [
                    p
                    for c in token.children
                    if c.dep_ == "prep" and c.lower_ in ("of", "to")
                    for p in c.children
                    if p.dep_ == "pobj"
                ],
                facts,
                kb,
            )
            referents = _referents(token, facts, kb)
            if not owners and token.dep_ == "attr" and cues.ally_nouns & {lemma, word}:
                # "Russia and Iran are allies": the subjects are allied with each other.
                partners = _subjects(token.head, facts, kb)
                for i, one in enumerate(partners):
                    for other in partners[i + 1 :]:
                        add(one, "allied_with", other, token)
            for owner in owners:
                for referent in referents:
                    if lemma in cues.backer_nouns or cues.ally_nouns & {lemma, word}:
                        add(referent, "supports", owner, token)
                    else:
                        add(owner, "supports", referent, token)
        if token.pos_ == "NOUN" and lemma in cues.part_nouns:
            wholes = _all_actors(
                [
                    p
                    for c in token.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for p in c.children
                    if p.dep_ == "pobj"
                ],
                facts,
                kb,
            )
            for part in _referents(token, facts, kb):
                for whole in wholes:
                    add(part, "part_of", whole, token)
        if lemma in cues.composed_words and token.dep_ in ("acl", "amod", "relcl", "prep"):
            wholes = _all_actors([token.head], facts, kb) if token.head.i != token.i else []
            parts = _all_actors(
                [
                    p
                    for c in token.children
                    if c.dep_ in ("prep", "pobj", "dobj")
                    for p in (list(c.children) if c.dep_ == "prep" else [c])
                    if p.dep_ in ("pobj", "dobj")
                ],
                facts,
                kb,
            )
            for whole in wholes:
                for part in parts:
                    # "rebels ..., including Souran and Taibat al-Imam" (a town the model calls
                    # a person): a force is composed of groups, not of people.
                    if part.kind != "person":
                        add(part, "part_of", whole, token)
    for cand in events:
        event = cand.event
        if event.event_type in _HOSTILE_EVENTS and event.actor1 and event.actor2:
            a1, a2 = kb.get(event.actor1), kb.get(event.actor2)
            if a1 is None:
                a1 = next((m.actor for m in facts.actors if m.actor.id == event.actor1), None)
            if a2 is None:
                a2 = next((m.actor for m in facts.actors if m.actor.id == event.actor2), None)
            if a2 is not None and a2.kind == "civilians":
                continue
            anchor = next((t for t in doc if t.idx >= event.evidence[0].start), doc[0])
            add(a1, "opposes", a2, anchor)
    return list(found.values())


def _mention(token: Token, facts: DocFacts) -> ActorMention | None:
    return facts.actor_index[token.i]


def _antecedent(token: Token) -> Token:
    """For "his", "its" or "their", the subject of the clause it sits in; else the token."""
    if token.tag_ != "PRP$":
        return token
    for ancestor in token.ancestors:
        subjects = [c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects and subjects[0].tag_ not in ("PRP", "PRP$", "WP", "WDT"):
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
        if head.dep_ in ("amod", "acl", "compound", "npadvmod", "advmod") and head.head.i != head.i:
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
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    relative = verb.dep_ in ("relcl", "acl") and verb.head.i != verb.i
    if relative and not subjects:
        subjects = [verb.head]
    elif relative and all(s.tag_ in ("WDT", "WP") for s in subjects):
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
