"""Actor mentions: names, demonym phrases and descriptions resolved to canonical actors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from sitroom.config import DataOverride
from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge import loader
from sitroom.knowledge.actor_file import slug
from sitroom.nlp import ACTOR_LABEL
from sitroom.records import Actor, Mention

# Actor kinds (sitroom.records' vocabulary, not words of a language) whose backer is a state.
_STATE_KINDS = frozenset({"state", "state_forces", "police"})
# Kinds of the non-state armed parties a description ("militants", "rebels") may stand for.
_ARMED_KINDS = frozenset({"armed_group", "militia"})
# Entity labels, parts of speech and dependencies the rules read (data/syntax.yaml).
_NAME_LABELS = loader.labels("syntax.yaml", "name_labels")
_NEW_ACTOR_LABELS = loader.labels("syntax.yaml", "new_actor_labels")
_ACTOR_WORD_POS = loader.labels("syntax.yaml", "actor_word_pos")
_DEMONYM_GAP_POS = loader.labels("syntax.yaml", "demonym_gap_pos")
_NOUN_MODIFIER_DEPS = loader.labels("syntax.yaml", "noun_modifier_deps")
_DEMONYM_MODIFIER_DEPS = loader.labels("syntax.yaml", "demonym_modifier_deps")
_ACTING_DEPS = loader.labels("syntax.yaml", "acting_deps")
_HYPHENS = loader.labels("syntax.yaml", "hyphens")
_PHRASE_OBJECT_DEPS = loader.labels("syntax.yaml", "phrase_object_deps")
_NOUN_CLAUSE_DEPS = loader.labels("syntax.yaml", "noun_clause_deps")
_MEMBER_ROLE_DEPS = loader.labels("syntax.yaml", "member_role_deps")
_GROUP_MODIFIER_DEPS = loader.labels("syntax.yaml", "agent_modifier_deps")


class ActorKnowledge(Protocol):
    """What this stage needs of the actor knowledge base (``sitroom.knowledge.ActorKB``)."""

    def get(self, actor_id: str) -> Actor | None: ...
    def lookup(self, text: str) -> Actor | None: ...
    def demonym_country(self, word: str) -> str | None: ...
    def country_by_name(self, text: str) -> str | None: ...
    def state(self, iso2: str) -> Actor | None: ...
    def forces(self, iso2: str) -> Actor | None: ...
    def police(self, iso2: str) -> Actor | None: ...
    def civilians(self, iso2: str) -> Actor | None: ...
    def generic(self, term: str, *, country: str | None) -> Actor | None: ...
    def stand_ins(self, actor_id: str) -> frozenset[str]: ...
    def new_actor(
        self, name: str, *, kind: str = "unknown", country: str | None = None
    ) -> Actor: ...


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in the doc: tokens [start, end), and the actor it resolves to."""

    start: int
    end: int
    actor: Actor
    how: str  # 'name', 'demonym', 'country', 'generic', 'new'

    def to_mention(self, doc: Doc, document_id: str) -> Mention:
        span = doc[self.start : self.end]
        return Mention(
            document_id=document_id,
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            kind="actor",
            actor_id=self.actor.id,
        )


@dataclass(frozen=True, slots=True)
class HeadNouns:
    """Head nouns that make a demonym an actor, by the kind of actor they make, and the other
    words of ``data/actor_heads.yaml`` that tell an actor from a place or a stance."""

    forces: frozenset[str]
    state: frozenset[str]
    police: frozenset[str]
    civilians: frozenset[str]
    given_nouns: frozenset[str]
    locative_preps: frozenset[str]
    place_nouns: frozenset[str]
    stance_prefixes: frozenset[str]
    group_pronouns: frozenset[str]
    leading_words: frozenset[str]
    member_nouns: frozenset[str]
    not_parties: frozenset[str] = frozenset()

    @classmethod
    def load(cls, overrides: Iterable[DataOverride] = ()) -> HeadNouns:
        """``data/actor_heads.yaml`` with the user's overrides of it."""
        data = loader.load("actor_heads.yaml", overrides)
        try:
            return cls(
                **{
                    k: frozenset(str(w).lower() for w in data[k])
                    for k in (f.name for f in fields(cls))
                }
            )
        except (KeyError, TypeError) as e:
            raise KnowledgeBaseError(f"{data.source}: malformed: {e!r}") from e

    def kind_of(self, token: Token) -> str | None:
        for kind in ("forces", "state", "police", "civilians"):
            words: frozenset[str] = getattr(self, kind)
            if token.lower_ in words or token.lemma_.lower() in words:
                return kind
        return None


def find_actors(
    doc: Doc,
    *,
    kb: ActorKnowledge,
    heads: HeadNouns,
    country: str | None,
    places: Iterable[tuple[int, int]] = (),
) -> list[ActorMention]:
    """Actor mentions in reading order; at most one per token.

    ``country``: the report's (ISO2). ``places``: token spans read as toponyms, resolved or
    not; an unknown name there is a place ("Hama"), not a new actor.
    """
    taken = [False] * len(doc)
    place_tokens = {i for start, end in places for i in range(start, end)}
    found: list[ActorMention] = []

    def add(start: int, end: int, actor: Actor | None, how: str) -> None:
        if actor is None or any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        found.append(ActorMention(start, end, actor, how))

    for ent in doc.ents:
        if ent.label_ == ACTOR_LABEL and ent.ent_id_:
            actor = kb.get(ent.ent_id_)
            if actor is not None and not (actor.kind == "person" and _named_place(ent, heads)):
                add(ent.start, ent.end, actor, "name")
    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS and not any(taken[ent.start : ent.end]):
            is_place = any(i in place_tokens for i in range(ent.start, ent.end))
            is_place = is_place or _named_place(ent, heads)
            _resolve_entity(ent, kb=kb, heads=heads, add=add, is_place=is_place)
    for token in doc:
        if taken[token.i] or token.pos_ not in _ACTOR_WORD_POS:
            continue
        # "anti-government protests", "pro-government toughs": a stance, not the government.
        if (
            token.i >= 2
            and doc[token.i - 1].text == "-"
            and doc[token.i - 2].lower_ in heads.stance_prefixes
        ):
            continue
        if token.dep_ in _NOUN_MODIFIER_DEPS and _is_word(token.head, heads.not_parties):
            continue  # "military support": a kind of help, not the military
        two = doc[token.i : token.i + 2]
        # "Turkish-backed forces" are someone's proxies, not the report country's own forces;
        # "Iran-backed militias" in Syria are militias of Syria's war (MILITIA-SY).
        proxy = (
            token.i >= 2 and doc[token.i - 2].text in _HYPHENS and doc[token.i - 1].tag_ == "VBN"
        )
        for span in (two, token) if len(two) == 2 else (token,):
            text = span.text
            actor = kb.generic(text, country=country)
            if (
                proxy
                and actor is not None
                and (actor.kind in _STATE_KINDS or _backer_country(doc[token.i - 3], kb) == country)
            ):
                actor = kb.generic(text, country=None)
            if actor is not None:
                end = span.end if isinstance(span, Span) else token.i + 1
                owner = _owner(token, found, heads)
                if owner is not None and owner.end == token.i:  # "HTS fighters": one name
                    found.remove(owner)
                    taken[owner.start : owner.end] = [False] * (owner.end - owner.start)
                    add(owner.start, end, owner.actor, owner.how)
                elif owner is not None:  # "HTS said its fighters ...": the group's own
                    add(token.i, end, owner.actor, "name")
                else:
                    add(token.i, end, actor, "generic")
                break
    found.sort(key=lambda m: m.start)
    return found


def described_parties(
    found: Iterable[ActorMention], doc: Doc, *, kb: ActorKnowledge, country: str | None
) -> dict[str, str]:
    """Descriptions of an armed party (the generic actor "militants", "attackers" stand for) ->
    the one named group the document itself calls so ("Seven *Taliban militants* were killed",
    "militants linked with the banned BLA"), or else the one it names that the knowledge base
    says the description stands for (``ActorKB.stand_ins``); a description it gives two groups
    is left out."""
    found = list(found)
    named: dict[str, set[str]] = {}
    for mention in found:
        if mention.how != "name" or mention.actor.kind not in _ARMED_KINDS:
            continue
        described = _described_as(mention, found, doc, kb=kb, country=country)
        if described is not None:
            named.setdefault(described, set()).add(mention.actor.id)
    stands = {generic: next(iter(g)) for generic, g in named.items() if len(g) == 1}
    # ... or, where it calls no group so, the one group it names that the knowledge base says
    # the description stands for ("separatists" in a story that names the BLA)
    names = {m.actor.id for m in found if m.how == "name" and m.actor.kind in _ARMED_KINDS}
    for mention in found:
        generic = mention.actor.id
        if mention.how != "generic" or generic in stands or generic in named:
            continue
        stood = names & kb.stand_ins(generic)
        if len(stood) == 1:
            stands[generic] = next(iter(stood))
    return stands


def members_groups(found: Iterable[ActorMention], doc: Doc, heads: HeadNouns) -> dict[str, str]:
    """Persons -> the one armed group the document makes them a member or leader of, in the
    phrase that names them ("Abu Bakr al-Baghdadi, the leader of *ISIS*", "the *Islamic State*
    leader Abu Bakr al-Baghdadi", "*BLA* commander X"); one tied to two groups is left out."""
    found = list(found)
    tied: dict[str, set[str]] = {}
    for mention in found:
        if mention.actor.kind != "person":
            continue
        for group in _groups_of(mention, found, doc, heads):
            tied.setdefault(mention.actor.id, set()).add(group)
    return {person: next(iter(groups)) for person, groups in tied.items() if len(groups) == 1}


def _groups_of(
    mention: ActorMention, found: list[ActorMention], doc: Doc, heads: HeadNouns
) -> set[str]:
    """The armed groups a member noun in apposition to or compounded with the person's name
    names, by its modifiers or its "of" phrase."""
    root = doc[mention.start : mention.end].root
    roles = [c for c in root.children if c.dep_ in _MEMBER_ROLE_DEPS]
    if root.dep_ in _MEMBER_ROLE_DEPS:
        roles.append(root.head)
    groups: set[str] = set()
    for role in roles:
        if not _is_word(role, heads.member_nouns):
            continue
        for child in role.children:
            words = [child]
            if child.dep_ == "prep" and child.lower_ == "of":
                words = [c for c in child.children if c.dep_ in _PHRASE_OBJECT_DEPS]
            elif child.dep_ not in _GROUP_MODIFIER_DEPS:
                continue
            for word in words:
                group = next((m for m in found if m.start <= word.i < m.end), None)
                if group is not None and group.actor.kind in _ARMED_KINDS:
                    groups.add(group.actor.id)
    return groups


def _described_as(
    mention: ActorMention,
    found: list[ActorMention],
    doc: Doc,
    *,
    kb: ActorKnowledge,
    country: str | None,
) -> str | None:
    """The id of the generic actor a named group's mention describes it as: its own last word
    ("Taliban *militants*") or the description its name hangs from by a preposition ("militants
    [linked] with the BLA")."""
    last = doc[mention.end - 1]
    if mention.end - mention.start > 1:
        generic = kb.generic(last.text, country=country)
        if generic is not None and generic.kind in _ARMED_KINDS:
            return generic.id
    root = doc[mention.start : mention.end].root
    if root.dep_ not in _PHRASE_OBJECT_DEPS:
        return None
    holder = root.head.head  # the word the preposition hangs from
    if holder.dep_ in _NOUN_CLAUSE_DEPS and holder.tag_ == "VBN":
        holder = holder.head  # "militants *linked* with the BLA"
    described = next((m for m in found if m.start <= holder.i < m.end), None)
    if described is None or described.how != "generic":
        return None
    return described.actor.id if described.actor.kind in _ARMED_KINDS else None


def _named_place(ent: Span, heads: HeadNouns) -> bool:
    """Whether a name is the place a place noun's "of" names ("the village of Jangebe", "the
    towns of Bocaranga and Bazoum"), however like a person's or a group's name it reads."""
    root = ent.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    of = root.head
    return (
        root.dep_ in _PHRASE_OBJECT_DEPS
        and of.lower_ == "of"
        and of.head.lemma_.lower() in heads.place_nouns
    )


def _backer_country(name: Token, kb: ActorKnowledge) -> str | None:
    """The country named before "-backed" ("Iran-backed"), if it is one."""
    return kb.country_by_name(name.text) or kb.demonym_country(name.text)


def _is_word(token: Token, words: frozenset[str]) -> bool:
    return token.lower_ in words or token.lemma_.lower() in words


def _owner(token: Token, found: list[ActorMention], heads: HeadNouns) -> ActorMention | None:
    """The named group a generic noun belongs to: its compound ("HTS fighters"), or for a
    possessive pronoun ("HTS said its fighters ...") the subject of the verb governing it."""
    names = [m for m in found if m.how == "name"]
    for child in token.children:
        if child.dep_ == "compound":
            owner = next((m for m in names if m.start <= child.i < m.end), None)
            if owner is not None and owner.end == token.i:
                return owner
        if child.dep_ == "poss" and child.lower_ in heads.group_pronouns:
            # "the insurgents ... their fighters": a described party owns them as a named one
            for verb in token.ancestors:
                subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < token.i]
                for subject in subjects:
                    owner = next((m for m in found if m.start <= subject.i < m.end), None)
                    if owner is not None:
                        return owner
    return None


def _resolve_entity(
    ent: Span, *, kb: ActorKnowledge, heads: HeadNouns, add, is_place: bool = False
) -> None:
    doc = ent.doc
    actor = kb.lookup(ent.text)
    if actor is not None and ent.label_ != "GPE":
        add(ent.start, ent.end, actor, "name")
        return
    iso2 = kb.demonym_country(ent.text) if ent.label_ == "NORP" else None
    if ent.label_ == "GPE":
        iso2 = kb.country_by_name(ent.text)
    if iso2 is not None:
        head_end, kind = _head_phrase(doc, ent.end, heads)
        if kind is not None:
            add(ent.start, head_end, by_kind(kb, iso2, kind), "demonym")
        elif ent.label_ == "GPE" and _acts(ent, heads):
            add(ent.start, ent.end, kb.state(iso2), "country")
        elif ent.label_ == "NORP" and _modifies_noun(ent):
            # "Russian airstrikes", "Syrian and Russian jets": the country's forces act.
            add(ent.start, ent.end, kb.forces(iso2), "demonym")
        return
    # A name with no letter or digit in ASCII folding (a CJK or Arabic-script name) gets no
    # slug, so it cannot become a new actor; such text is beyond this English pipeline.
    if ent.label_ in _NEW_ACTOR_LABELS and _acts(ent, heads) and not is_place and slug(ent.text):
        kind = "person" if ent.label_ == "PERSON" else "organisation"
        add(ent.start, ent.end, kb.new_actor(ent.text, kind=kind), "new")


def _head_phrase(doc: Doc, after: int, heads: HeadNouns) -> tuple[int, str | None]:
    """The head noun right after a demonym ("Russian [and Syrian] jets"), as (end, kind).

    Where another demonym stands between ("Syrian and Russian jets"), ``end`` is ``after``:
    each demonym is its own mention, of the kind the shared head gives.
    """
    i = after
    # Skip a coordinated demonym and adjectives: "Russian and Syrian jets", "Iranian military";
    # a noun compounded into the head ("a US *air* strike") and a leading participle after a
    # hyphen ("the US-*led* attack": the country leads it).
    while i < len(doc) and i < after + 4:
        token = doc[i]
        kind = heads.kind_of(token)
        if kind is not None and token.pos_ in _ACTOR_WORD_POS:
            if any(t.ent_type_ in ("NORP", ACTOR_LABEL) for t in doc[after:i]):
                return after, kind
            end = i + 1
            if end < len(doc) and heads.kind_of(doc[end]) == kind and doc[end].pos_ == "NOUN":
                end += 1
            return end, kind
        compounded = token.dep_ == "compound" and token.head.i > token.i
        leading = token.lower_ in heads.leading_words and doc[i - 1].text in _HYPHENS
        if not (compounded or leading) and (
            token.pos_ not in _DEMONYM_GAP_POS and token.ent_type_ != "NORP"
        ):
            break
        i += 1
    return after, None


def by_kind(kb: ActorKnowledge, iso2: str, kind: str) -> Actor | None:
    """The country's actor of a head-noun kind (``HeadNouns``: forces, state, police, civilians)."""
    return {
        "forces": kb.forces,
        "state": kb.state,
        "police": kb.police,
        "civilians": kb.civilians,
    }[kind](iso2)


def _modifies_noun(ent: Span) -> bool:
    """A demonym that is an adjective of a noun, directly or as a coordinated adjective."""
    token = ent.root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.dep_ in _DEMONYM_MODIFIER_DEPS and token.head.pos_ == "NOUN"


def _acts(ent: Span, heads: HeadNouns) -> bool:
    """A name that acts or is acted on, rather than a place where something happens."""
    root = ent.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "from Russia and Iran": Iran is read as Russia is
    head = root.head
    # "support from Russia", "aid from Qatar": what is given comes from a party, not a place.
    given = head.lower_ == "from" and head.head.lemma_.lower() in heads.given_nouns
    if root.dep_ == "pobj" and head.lower_ in heads.locative_preps and not given:
        return False
    if root.dep_ == "compound":
        return False
    return root.dep_ in _ACTING_DEPS


def actor_at(mentions: Iterable[ActorMention], doc: Doc) -> list[ActorMention | None]:
    """A token-indexed view: for each token, the actor mention covering it, or None."""
    index: list[ActorMention | None] = [None] * len(doc)
    for mention in mentions:
        for i in range(mention.start, mention.end):
            index[i] = mention
    return index
