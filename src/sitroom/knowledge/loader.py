"""One loader for every data file in ``sitroom/data``: read once, checked, extendable by the user.

Each shipped file has a schema (its known top-level keys and what each holds). A user file named
in ``sitroom.toml``'s ``[data]`` table extends the shipped one (lists appended, mappings merged
key by key, other values replaced) or, with ``replace = true``, stands in for it. A bad or unknown
key is a ``KnowledgeBaseError`` naming the file and line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sitroom.config import DataOverride
from sitroom.errors import KnowledgeBaseError

# What a top-level key holds: a list, a mapping, a number, a string.
_KINDS: dict[str, type | tuple[type, ...]] = {
    "list": list,
    "map": dict,
    "number": (int, float),
    "text": str,
}


@dataclass(frozen=True, slots=True)
class Schema:
    """A data file's known top-level keys (key -> "list", "map", "number" or "text")."""

    keys: Mapping[str, str]
    required: frozenset[str] = frozenset()
    version: int | None = 1  # None: the file has no version key
    columns: tuple[str, ...] = ()  # a TSV file's header; its rows are keyed by the first column


def _schema(version: int | None = 1, required: Iterable[str] = (), **keys: str) -> Schema:
    if version is not None:
        keys = {"version": "number", **keys}
    return Schema(keys, frozenset(required), version)


# syntax.yaml's keys: label sets (lists), each named for its use, which the file comments.
_SYNTAX_KEYS = """
passive_deps
joined_participle_deps
clause_heads
member_role_deps
verb_noun_deps
governed_clause_deps
own_clause_deps
subject_deps
active_subject_deps
object_deps
by_phrase_deps
frame_object_deps
particle_deps
conjunct_deps
direct_object_deps
event_noun_slot_deps
phrase_object_deps
borrowing_deps
noun_clause_deps
told_clause_deps
participle_clause_deps
auxiliary_deps
negation_deps
counting_deps
definite_deps
embedded_clause_deps
subject_barrier_deps
adjectival_deps
noun_modifier_deps
demonym_modifier_deps
agent_modifier_deps
modifier_chain_deps
participle_head_deps
acting_deps
backed_word_deps
composed_word_deps
verbal_pos
nominal_pos
actor_word_pos
demonym_gap_pos
participle_tags
past_participle_tags
finite_tags
plural_noun_tags
present_verb_tags
predicate_deps
relative_pronoun_tags
pronoun_tags
hyphen_modifier_tags
state_complement_deps
not_place_labels
person_pronouns
person_possessives
name_labels
organisation_labels
proper_noun_tags
new_actor_labels
hyphens
"""
_LISTS = "list"
_MAP = "map"
SCHEMAS: dict[str, Schema] = {
    "actors.yaml": _schema(
        required=("version",), derived=_MAP, countries=_LISTS, actors=_LISTS, generic=_LISTS
    ),
    "actor_heads.yaml": _schema(
        forces=_LISTS,
        state=_LISTS,
        police=_LISTS,
        civilians=_LISTS,
        not_parties=_LISTS,
        given_nouns=_LISTS,  # "support from Russia": "from" names the giver, not a place
        locative_preps=_LISTS,  # "in Syria": a country there is a place, not an actor
        place_nouns=_LISTS,  # "the town of Bazoum": the name is a place, not an actor
        stance_prefixes=_LISTS,  # "anti-government": a stance, not the government
        group_pronouns=_LISTS,  # "its fighters": a named group's own members
        leading_words=_LISTS,  # "the US-led attack": the country leads the act
        member_nouns=_LISTS,  # "X, the leader of ISIS": X belongs to the group
    ),
    "event_cues.yaml": _schema(
        blockers=_LISTS,
        concepts=_MAP,
        frames=_LISTS,
        types=_MAP,
        plover_by_trigger=_MAP,
        plover_when_planned=_MAP,
        agent_preps=_MAP,
        patient_preps=_MAP,
        opponent_preps=_MAP,
        attempt_verbs=_LISTS,
        circumstance_verbs=_LISTS,
        trend_verbs=_LISTS,
        circumstance_nouns=_LISTS,
        cause_preps=_LISTS,  # "displaced by the fighting": a circumstance verb's cause
        party_preps=_LISTS,  # "clashed with police": who takes part, for `parties` frames
        negating_dets=_LISTS,  # "no clashes": determiners that negate an event noun
        conditional_marks=_LISTS,  # "if asked": subordinators of a condition, not an act
        anaphoric_dets=_LISTS,  # "these reinforcements": an act told just before
        thing_nouns=_LISTS,  # "the detention center": a thing named by an act's word
        armed_patient_concepts=_LISTS,  # attack concepts that are a battle on an armed party
        remote_concepts=_LISTS,  # weapons that make any attack remote violence
        onward_concepts=_LISTS,  # "advanced on Hama": acts whose places lie ahead
        leaving_concepts=_LISTS,  # "withdrew forces from Panama": who leaves is not the place's
        topic_concepts=_LISTS,  # "in protest of": acts whose object is what they are about
        topic_preps=_LISTS,  # "protest against": prepositions of what such an act is about
        tolled_types=_LISTS,  # types ACLED does not code that still take a toll
        status_cues=_MAP,
        incident_cues=_MAP,
    ),
    "relation_cues.yaml": _schema(
        backed_words=_LISTS,
        support_verbs=_LISTS,
        ally_nouns=_LISTS,
        backer_nouns=_LISTS,
        proxy_nouns=_LISTS,
        part_nouns=_LISTS,
        composed_words=_LISTS,
        passive_support_verbs=_LISTS,  # "backed by Iran": the passive's agent supports
        owner_preps=_LISTS,  # "an ally of Assad": the object owns the ally noun
        whole_preps=_LISTS,  # "a faction of al-Qaeda": the object is the whole
    ),
    "numbers.yaml": _schema(
        units=_MAP,
        scales=_MAP,
        vague=_MAP,
        qualifiers=_LISTS,
        casualty_cues=_MAP,
        auxiliaries=_LISTS,
        adverbs=_LISTS,
        determiners=_LISTS,
        count_openers=_LISTS,  # "killed *all* six": words between a cue and its count
        aside_openers=_LISTS,  # "31 people, *including* 23 soldiers, died": an aside's opener
        dying_words=_LISTS,  # "the driver *has died*": verbs whose subject dies
        killing_words=_LISTS,  # "he *was killed*": verbs whose patient dies
        hearsay_words=_LISTS,  # "*rumours* that he was killed": a death told as hearsay
        victims=_MAP,
        non_victims=_LISTS,
        question_words=_LISTS,  # "how many were killed": a question, not a figure
        function_words=_LISTS,
        zero_cues=_MAP,
        left_verbs=_LISTS,  # "left 5 dead": verbs before a figure and a state word
        left_states=_MAP,  # "dead", "wounded" after such a figure -> casualty kind
        toll_nouns=_LISTS,  # "death toll": nouns before "toll"
        toll_links=_LISTS,  # "toll rose to 25": words between a toll and its figure
        zero_words=_LISTS,  # "no civilians": figure words that count nobody
        nobody_words=_LISTS,  # "no one was killed": pronouns that count nobody
        active_auxiliaries=_LISTS,  # "have killed": the cue after them is active
        singular_endings=_LISTS,  # "virus": endings of words in -s that are no plurals
    ),
    "place_rules.yaml": _schema(
        place_labels=_LISTS,
        other_labels=_LISTS,
        natural_labels=_LISTS,
        holder_labels=_LISTS,
        adjective_tags=_LISTS,
        designators=_MAP,
        locative_prepositions=_LISTS,
        locative_verbs=_LISTS,
        skip_words=_LISTS,
        rite_words=_LISTS,  # "Easter Vigil": a place entity opening with one is a feast or rite
        leading_articles=_LISTS,  # "the Golan": articles dropped before a place name
        dateline_marks=_LISTS,  # "HAMA, Syria —": marks that end a dateline's place
        qualifier_links=_LISTS,  # "Ariha in Idlib": words that put a name in the next one
        province_links=_LISTS,  # "in Idlib": links after which a seat names its province
        qualifier_articles=_LISTS,  # "in the Karak district": words between link and name
        list_words=_LISTS,  # "Homs, Hama and Idlib": words after a name that make a list
        near_words=_LISTS,
        locator_lemmas=_LISTS,
        bearing_words=_LISTS,  # "40 miles northeast of Baghdad": Baghdad is a reference point
        reference_preps=_LISTS,  # "of", "from" after a bearing word
        origin_nouns=_LISTS,  # "a citizen of Kyrgyzstan": the place is whose, not where
        origin_preps=_LISTS,  # "of" after such a noun
        making_verbs=_LISTS,  # "weapons made in the US": the place is whence, not where
        making_preps=_LISTS,  # "in" after such a verb
        ground_nouns=_LISTS,  # "US soil": a country modifying one names where, not whose
        weights=_MAP,
    ),
    "place_aliases.yaml": _schema(
        version=None, countries=_MAP, admin1=_MAP, not_alternate_names=_LISTS
    ),
    "place_folding.yaml": _schema(
        char_map=_MAP,
        drop_chars="text",
        separators="text",
        articles=_LISTS,
        word_map=_MAP,
        substitutions=_LISTS,
    ),
    "place_regions.yaml": _schema(
        continents=_MAP, regions=_LISTS, first_level_points=_MAP, airports=_MAP
    ),
    "word_forms.yaml": _schema(past_forms=_MAP),
    "headline_case.yaml": _schema(
        min_words="number",
        min_capitalised="number",
        not_last_words=_LISTS,
        minor_words=_LISTS,
        names=_LISTS,
        min_evidence="number",
    ),
    "country_points.tsv": Schema({}, version=None, columns=("iso2", "latitude", "longitude")),
    "eval_mappings.yaml": _schema(wikievents=_MAP, rams=_MAP),
    "syntax.yaml": Schema({"version": "number", **dict.fromkeys(_SYNTAX_KEYS.split(), _LISTS)}),
    "argument_cues.yaml": _schema(
        agent_preps=_LISTS,  # "an attack by rebels": the object acts (every trigger)
        hung_agent_preps=_LISTS,  # "shot in their home by forces": a passive's agent, misparsed
        place_preps=_LISTS,  # "strikes on hospitals in Aleppo, Syria": where, not whom
        patient_preps=_LISTS,  # "airstrikes on Idlib": the object is acted on (every trigger)
        bystander_preps=_LISTS,  # "responded to the bombing": the verb's subject is no agent
        between_preps=_LISTS,  # "clashes between A and B": both sides at once
        part_preps=_LISTS,  # "reinforcements, including militias": part of the object
        subject_pronouns=_MAP,  # pronoun -> whether it stands for a person
        beneficiary_nouns=_LISTS,  # "the safety of Kurds": for whose good, not whom targeted
        responsibility_nouns=_LISTS,  # "claimed responsibility for the attack": owner acted
        responsibility_preps=_LISTS,  # "responsibility for", "blamed X for": the act owned
        blame_verbs=_LISTS,  # "blamed the rebels for the attack": the object acted
        blamed_on_preps=_LISTS,  # "blamed the attack on the rebels": the object acted
        perpetration_verbs=_LISTS,  # "the attack was carried out by ETA": the agent acted
        undergoing_verbs=_LISTS,  # "troops died in the attack": the subject is acted on
        undergoing_preps=_LISTS,  # "came under attack": the subject is acted on
        patient_possessor_nouns=_LISTS,  # "Mhlanga's arrest": the possessor is acted on
        unnamed_parties=_MAP,  # ACLED event type -> the generic party where none is named
        toll_targets=_MAP,  # ACLED event type -> kinds of victims a toll names as target
        unnamed_agents=_MAP,  # ACLED sub-event type -> the kind of actor1 where none is named
        self_acting_sub_events=_LISTS,  # "troops were deployed": the troops are actor1
        unnamed_targets=_MAP,  # ACLED event type -> the kind of target where none is named
    ),
    "control_cues.yaml": _schema(
        held_words=_LISTS,  # "rebel-held", "held by": words that name who holds a place
        loss_lemmas=_LISTS,  # "withdrew from": acts that give a place up
        keep_lemmas=_LISTS,  # "remains in control": control held before goes on
        state_preps=_LISTS,  # "in control", "under control": a state, not an act of taking
        time_preps=_LISTS,  # "since the fall of X": a time reference, not an act told
        town_parts=_LISTS,  # "its neighbourhoods", "Hama's centre": parts of a town
        town_nouns=_LISTS,  # "the city": a noun that stands for a town named before
        town_determiners=_LISTS,  # "the city", "this town": what makes such a noun point back
    ),
    "source_scales.yaml": _schema(scales=_MAP),
    "plover_names.yaml": _schema(event_types=_MAP, modes=_MAP, contexts=_MAP),
}
# Trained models, written by a script (``make train-geo``) rather than by hand: each has its own
# reader, which checks the model's format and features version and falls back when they differ.
MODELS = frozenset({"place_ranker.json"})
# Files that hold for the whole process rather than per call: the folding rules key every name
# the gazetteer stores and every lookup into it (the module function ``folding.fold``); the
# dependency labels are the parser's scheme, which the rules read as module constants
# (``labels``). A user's file for them takes effect from ``install`` on (``load_resources`` calls
# it with the config's files), for every analysis in the process.
PROCESS_WIDE = frozenset({"place_folding.yaml", "syntax.yaml"})


Overrides = tuple[DataOverride, ...]


class LabelSet(set[str]):
    """A set of labels from a process-wide file (``labels``): a module constant of the rules,
    refilled in place by ``install`` so that every rule sees the user's labels."""


_installed: Overrides = ()  # the user's files for PROCESS_WIDE files, as installed
_label_sets: list[tuple[LabelSet, str, tuple[str, ...]]] = []
_on_install: list[Callable[[], None]] = []


@dataclass(frozen=True, slots=True, eq=False)
class DataFile:
    """A data file's content (shipped, then the user's files merged in) and where each key is."""

    name: str  # the shipped file's name
    source: str  # the file read (files, joined by " + ", when merged)
    data: Mapping[str, Any]
    texts: tuple[str, ...]  # each source's text, shipped first: what a derived cache is keyed by
    lines: Mapping[tuple[Any, ...], str]  # key path -> "file:line"

    def where(self, *path: Any) -> str:
        """ "file:line" of the deepest key of ``path`` that is known, else the source's name."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return self.source

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


def check_overrides(overrides: Iterable[DataOverride]) -> None:
    """A ``KnowledgeBaseError`` for an override of a file that is not shipped."""
    for o in overrides:
        if o.name not in SCHEMAS:
            known = ", ".join(sorted(SCHEMAS))
            raise KnowledgeBaseError(f"{o.path}: no data file {o.name!r} to extend ({known})")


def load(name: str, overrides: Iterable[DataOverride] = ()) -> DataFile:
    """The data file ``name`` with the user's overrides of it applied (cached per process). A
    process-wide file is read with the installed overrides, whatever ``overrides`` says, so that
    what a cache is keyed by is what the rules use."""
    return _merged(name, _relevant(name, overrides))


@functools.cache
def words(name: str, key: str, overrides: Overrides = ()) -> frozenset[str]:
    """The list ``key`` of data file ``name`` as a set of strings, as written (cached)."""
    if name in PROCESS_WIDE:
        raise KnowledgeBaseError(f"{name}: a process-wide file; read its lists with labels()")
    return _word_list(load(name, overrides), key)


def labels(name: str, *keys: str) -> AbstractSet[str]:
    """The union of the lists ``keys`` of the process-wide file ``name``, as a set that ``install``
    keeps current: what a rule's module constant holds (``_SUBJECT_DEPS = labels("syntax.yaml",
    "subject_deps")``)."""
    if name not in PROCESS_WIDE:
        raise KnowledgeBaseError(f"{name}: not a process-wide file; read its lists with words()")
    found = LabelSet()
    _fill(found, name, keys)
    _label_sets.append((found, name, keys))
    return found


def on_install(hook: Callable[[], None]) -> None:
    """Call ``hook`` whenever ``install`` changes the process-wide files (a cache of them drops)."""
    _on_install.append(hook)


def install(overrides: Iterable[DataOverride]) -> None:
    """Make the user's files among ``overrides`` for the process-wide files current for the whole
    process (every other file is read per call). Every file is read and checked before anything
    changes, so a bad file leaves the previous labels in place."""
    global _installed
    mine = tuple(o for o in overrides if o.name in PROCESS_WIDE)
    if mine == _installed:
        return
    check_overrides(mine)
    files = {name: _merged(name, tuple(o for o in mine if o.name == name)) for name in PROCESS_WIDE}
    refills = [(found, _union(files[name], keys)) for found, name, keys in _label_sets]
    _installed = mine
    for found, values in refills:
        found.clear()
        found.update(values)
    for hook in _on_install:
        hook()


def _fill(found: LabelSet, name: str, keys: tuple[str, ...]) -> None:
    found.clear()
    found.update(_union(load(name), keys))


def _union(data: DataFile, keys: tuple[str, ...]) -> set[str]:
    return set().union(*(_word_list(data, key) for key in keys))


def _word_list(data: DataFile, key: str) -> frozenset[str]:
    values = data.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise KnowledgeBaseError(f"{data.where(key)}: {key} must be a list of words")
    return frozenset(values)


def sources(name: str, overrides: Iterable[DataOverride] = ()) -> tuple[DataFile, ...]:
    """The shipped file and each user file for ``name``, checked but not merged (the actor
    knowledge base merges by actor id, not key by key)."""
    return _sources(name, _relevant(name, overrides))


def _relevant(name: str, overrides: Iterable[DataOverride]) -> Overrides:
    if name not in SCHEMAS:
        raise KnowledgeBaseError(f"{name}: no such data file")
    if name in PROCESS_WIDE:
        return tuple(o for o in _installed if o.name == name)
    mine = tuple(o for o in overrides if o.name == name)
    check_overrides(mine)
    return mine


@functools.cache
def _sources(name: str, overrides: Overrides) -> tuple[DataFile, ...]:
    parts: list[DataFile] = [] if any(o.replace for o in overrides) else [_shipped(name)]
    replaced = max((i for i, o in enumerate(overrides) if o.replace), default=-1)
    for o in overrides[max(replaced, 0) :]:
        try:
            text = Path(o.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise KnowledgeBaseError(f"{o.path}: cannot read: {e}") from e
        parts.append(_parse(name, text, str(o.path)))
    return tuple(parts)


@functools.cache
def _merged(name: str, overrides: Overrides) -> DataFile:
    parts = _sources(name, overrides)
    if len(parts) == 1:
        return parts[0]
    data: dict[str, Any] = {}
    lines: dict[tuple[Any, ...], str] = {}
    for part in parts:
        # A table's rows replace rows of the same key; YAML is merged key by key.
        data = {**data, **part.data} if SCHEMAS[name].columns else _merge(data, part.data)
        lines.update(part.lines)
    source = " + ".join(p.source for p in parts)
    return DataFile(name, source, data, tuple(t for p in parts for t in p.texts), lines)


@functools.cache
def _shipped(name: str) -> DataFile:
    try:
        text = (resources.files("sitroom") / "data" / name).read_text(encoding="utf-8")
    except OSError as e:
        raise KnowledgeBaseError(f"{name}: cannot read the shipped data file: {e}") from e
    return _parse(name, text, name)


def _merge(base: Any, extra: Any) -> Any:
    """``extra`` laid over ``base``: lists appended, mappings merged key by key, else replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


def _parse(name: str, text: str, source: str) -> DataFile:
    schema = SCHEMAS[name]
    if schema.columns:
        return _parse_table(name, text, source, schema.columns)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        raise KnowledgeBaseError(f"{source}: not valid YAML: {e}") from e
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise KnowledgeBaseError(f"{source}: expected a mapping at the top level")
    lines: dict[tuple[Any, ...], str] = {}
    _record(node, (), source, lines)
    for key, value in data.items():
        where = lines.get((key,), source)
        kind = schema.keys.get(str(key))
        if kind is None:
            raise KnowledgeBaseError(f"{where}: unknown key {key!r} in {name}")
        expected = _KINDS[kind]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise KnowledgeBaseError(f"{where}: {key} must be a {kind}, got {value!r:.60}")
    _no_booleans_in_lists(data, (), lines, source)
    missing = sorted(schema.required - set(data))
    if missing:
        raise KnowledgeBaseError(f"{source}: missing key {missing[0]!r}")
    if "version" in data and data["version"] != schema.version:
        raise KnowledgeBaseError(
            f"{lines[('version',)]}: version {data['version']!r} is not supported"
            f" (expected {schema.version})"
        )
    return DataFile(name, source, data, (text,), lines)


def _no_booleans_in_lists(
    value: Any, path: tuple[Any, ...], lines: dict[tuple[Any, ...], str], source: str
) -> None:
    """Refuse a list item YAML read as a boolean: the data files' lists hold words, and YAML
    reads a bare on, off, yes, no, true or false as a boolean, so a word list holding "on"
    would silently hold True."""
    if isinstance(value, dict):
        for key, item in value.items():
            _no_booleans_in_lists(item, (*path, key), lines, source)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, bool):
                where = lines.get((*path, i), source)
                raise KnowledgeBaseError(
                    f"{where}: a list item reads as the boolean {item}: quote the word"
                )
            _no_booleans_in_lists(item, (*path, i), lines, source)


def _record(node: yaml.Node, path: tuple[Any, ...], source: str, out: dict) -> None:
    """The line of every mapping key and list item under ``node``, by key path."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, key_node.value)
            where = f"{source}:{key_node.start_mark.line + 1}"
            if key in out:  # YAML keeps the last silently; a key given twice is a mistake
                first = out[key]
                raise KnowledgeBaseError(f"{where}: {key_node.value!r} given twice (first {first})")
            out[key] = where
            _record(value_node, key, source, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[(*path, i)] = f"{source}:{item.start_mark.line + 1}"
            _record(item, (*path, i), source, out)


def _parse_table(name: str, text: str, source: str, columns: tuple[str, ...]) -> DataFile:
    """A TSV file: comment lines (#), a header naming ``columns``, rows keyed by the first."""
    rows: dict[str, list[str]] = {}
    lines: dict[tuple[Any, ...], str] = {}
    header = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            if tuple(cells) != columns:
                raise KnowledgeBaseError(
                    f"{source}:{number}: the header must be {' '.join(columns)}, got {line!r}"
                )
            header = True
            continue
        if len(cells) != len(columns):
            raise KnowledgeBaseError(
                f"{source}:{number}: expected {len(columns)} tab-separated columns in {name}"
            )
        rows[cells[0]] = cells[1:]
        lines[(cells[0],)] = f"{source}:{number}"
    return DataFile(name, source, rows, (text,), lines)
