"""The actor knowledge base's file format: YAML schema, validation and name folding.

``sitroom.knowledge.actors`` indexes what this module parses; user files follow the same schema.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sitroom.config import DataOverride
from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge import loader
from sitroom.records import ACTOR_KINDS, Actor

SHIPPED = "actors.yaml"
# Derived-actor keys that ActorKB.state/forces/police/civilians read; the data must define them.
_ROLE_KEYS = ("gov", "mil", "pol", "civ")

_DERIVED_KEYS = frozenset({"id", "name", "kind", "parent", "aliases"})
_COUNTRY_KEYS = frozenset({"iso2", "name", "demonyms", "aliases", "leaders"})
_LEADER_KEYS = frozenset({"name", "aliases", "role", "from", "to"})
_ACTOR_KEYS = frozenset({"id", "name", "kind", "country", "aliases", "parent"})
_GENERIC_KEYS = frozenset({"terms", "kind", "by_country", "by_named", "template", "fallback"})
_ISO2 = re.compile(r"[A-Z]{2}")
_ID = re.compile(r"[A-Z0-9][A-Z0-9-]*")

_TRANSLATE = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "ʻ": "'",
        "`": "'",
        "´": "'",
        "′": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$", re.IGNORECASE)
# "al Nusra", "al-Nusra" and "Al Nusra" are one name in transliterated Arabic.
_ARTICLE = re.compile(r"\b(al)[\s-]+", re.IGNORECASE)
_DROPPED = re.compile(r"[.']")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = '"“”«»()[]{},;:!?*'


@functools.lru_cache(maxsize=200_000)
def fold(text: str, *, keep_case: bool = False) -> str:
    """The key a name is indexed under: diacritics, quotes, "the", possessive 's, dots folded."""
    s = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _SPACES.sub(" ", s).strip().strip(_EDGE_PUNCT).strip()
    s = _LEADING_THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    s = _ARTICLE.sub(lambda m: m.group(1) + "-", s)
    s = _DROPPED.sub("", s)
    return s if keep_case else s.lower()


def is_acronym(text: str) -> bool:
    """Whether a name is all capitals (HTS, U.N., M23); such names only match case-exactly."""
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def slug(text: str) -> str:
    """A lowercase ASCII slug of a name: "Hayat Tahrir al-Sham" -> "hayat-tahrir-al-sham"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@dataclass(frozen=True, slots=True)
class Tenure:
    """A leader's office and years in it (``end`` None: still in office)."""

    role: str
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class _Derived:
    key: str
    id: str
    name: str
    kind: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Country:
    iso2: str
    name: str
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]
    role_aliases: Mapping[str, tuple[str, ...]]
    leaders: tuple[tuple[str, tuple[str, ...], Tenure], ...]  # name, aliases, tenure
    where: str


@dataclass(frozen=True, slots=True)
class _ActorSpec:
    actor: Actor
    where: str


@dataclass(frozen=True, slots=True)
class _Generic:
    terms: tuple[str, ...]
    kind: str
    by_country: Mapping[str, str]
    template: tuple[str, str] | None  # (id, name) with {iso2} and {country} to fill in
    fallback: Actor
    where: str
    # Named groups the description stands for in a report that names one of them.
    by_named: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _File:
    source: str
    derived: dict[str, _Derived]
    countries: dict[str, _Country]
    actors: dict[str, _ActorSpec]
    generic: tuple[_Generic, ...]


# --- parsing and validation ---------------------------------------------------------------------


def files(overrides: Iterable[DataOverride] = ()) -> list[_File]:
    """The shipped knowledge base and each user file (``overrides`` of actors.yaml), parsed."""
    return [_parse(part) for part in loader.sources(SHIPPED, overrides)]


@functools.cache
def _parse(part: loader.DataFile) -> _File:
    """One YAML file of the knowledge base (its top level checked by the loader), validated
    entry by entry; an entry's errors name its file and line."""
    data, source = part.data, part.where()
    derived: dict[str, _Derived] = {}
    for key, raw in _mapping(data.get("derived") or {}, f"{source}: derived").items():
        where = f"{part.where('derived', key)}: derived.{key}"
        _keys(raw, _DERIVED_KEYS, {"id", "name", "kind"}, where)
        d = _Derived(
            key=str(key),
            id=_text(raw["id"], f"{where}.id"),
            name=_text(raw["name"], f"{where}.name"),
            kind=_kind(raw["kind"], where),
            parent=_optional(raw.get("parent"), f"{where}.parent"),
            aliases=_texts(raw.get("aliases"), f"{where}.aliases"),
        )
        for template in (d.id, d.name, *d.aliases):
            _check_template(template, where, iso2="XX", name="X", demonym="X")
        derived[d.key] = d
    countries: dict[str, _Country] = {}
    for i, raw in enumerate(_list(data.get("countries"), f"{source}: countries")):
        country = _country(raw, f"{part.where('countries', i)}: countries[{i}]")
        if country.iso2 in countries:
            raise KnowledgeBaseError(f"{country.where}: country {country.iso2} is listed twice")
        countries[country.iso2] = country
    actors: dict[str, _ActorSpec] = {}
    for i, raw in enumerate(_list(data.get("actors"), f"{source}: actors")):
        spec = _actor(raw, f"{part.where('actors', i)}: actors[{i}]")
        if spec.actor.id in actors:
            raise KnowledgeBaseError(f"{spec.where}: id {spec.actor.id!r} is used twice")
        actors[spec.actor.id] = spec
    generic = tuple(
        _generic(raw, f"{part.where('generic', i)}: generic[{i}]")
        for i, raw in enumerate(_list(data.get("generic"), f"{source}: generic"))
    )
    return _File(source, derived, countries, actors, generic)


def _country(raw: Any, where: str) -> _Country:
    raw = _mapping(raw, where)
    extra = {k for k in raw if isinstance(k, str) and k.endswith("_aliases")}
    _keys(raw, _COUNTRY_KEYS | extra, {"iso2", "name"}, where)
    iso2 = _text(raw["iso2"], f"{where}.iso2")
    if not _ISO2.fullmatch(iso2):
        raise KnowledgeBaseError(f"{where}: iso2 {iso2!r} is not two capital letters")
    where = f"{where} ({iso2})"
    leaders = []
    for j, item in enumerate(_list(raw.get("leaders"), f"{where}.leaders")):
        at = f"{where}.leaders[{j}]"
        _keys(_mapping(item, at), _LEADER_KEYS, {"name", "role"}, at)
        role, start = _text(item["role"], f"{at}.role"), _year(item.get("from"), f"{at}.from")
        tenure = Tenure(role, start, _year(item.get("to"), f"{at}.to"))
        name, aliases = _text(item["name"], f"{at}.name"), _texts(item.get("aliases"), at)
        leaders.append((name, aliases, tenure))
    return _Country(
        iso2=iso2,
        name=_text(raw["name"], f"{where}.name"),
        demonyms=_texts(raw.get("demonyms"), f"{where}.demonyms"),
        aliases=_texts(raw.get("aliases"), f"{where}.aliases"),
        role_aliases={k.removesuffix("_aliases"): _texts(raw[k], f"{where}.{k}") for k in extra},
        leaders=tuple(leaders),
        where=where,
    )


def _actor(raw: Any, where: str) -> _ActorSpec:
    raw = _mapping(raw, where)
    _keys(raw, _ACTOR_KEYS, {"id", "name", "kind"}, where)
    actor_id = _text(raw["id"], f"{where}.id")
    if not _ID.fullmatch(actor_id):
        raise KnowledgeBaseError(f"{where}: id {actor_id!r} is not an uppercase slug")
    where = f"{where} ({actor_id})"
    country = _optional(raw.get("country"), f"{where}.country")
    name = _text(raw["name"], f"{where}.name")
    actor = Actor(
        id=actor_id,
        name=name,
        aliases=_aliases(name, _texts(raw.get("aliases"), f"{where}.aliases")),
        kind=_kind(raw["kind"], where),
        country=country,
        parent=_optional(raw.get("parent"), f"{where}.parent"),
    )
    return _ActorSpec(actor, where)


def _generic(raw: Any, where: str) -> _Generic:
    raw = _mapping(raw, where)
    _keys(raw, _GENERIC_KEYS, {"terms", "kind", "fallback"}, where)
    terms = _texts(raw["terms"], f"{where}.terms")
    if not terms:
        raise KnowledgeBaseError(f"{where}: terms is empty")
    where = f"{where} ({terms[0]!r})"
    kind = _kind(raw["kind"], where)
    by_country = {
        _text(k, f"{where}.by_country"): _text(v, f"{where}.by_country.{k}")
        for k, v in _mapping(raw.get("by_country") or {}, f"{where}.by_country").items()
    }
    template = None
    if raw.get("template") is not None:
        spec = _mapping(raw["template"], f"{where}.template")
        _keys(spec, {"id", "name"}, {"id", "name"}, f"{where}.template")
        template = (
            _text(spec["id"], f"{where}.template.id"),
            _text(spec["name"], f"{where}.template.name"),
        )
        if "{iso2}" not in template[0]:
            raise KnowledgeBaseError(f"{where}: template id must contain {{iso2}}")
        for text in template:
            _check_template(text, f"{where}.template", iso2="XX", country="X")
    spec = _mapping(raw["fallback"], f"{where}.fallback")
    _keys(spec, {"id", "name", "country"}, {"id", "name"}, f"{where}.fallback")
    fallback = Actor(
        id=_text(spec["id"], f"{where}.fallback.id"),
        name=_text(spec["name"], f"{where}.fallback.name"),
        kind=kind,
        country=_optional(spec.get("country"), f"{where}.fallback.country"),
    )
    by_named = frozenset(_texts(raw.get("by_named"), f"{where}.by_named"))
    return _Generic(terms, kind, by_country, template, fallback, where, by_named)


def _check_template(template: str, where: str, **fields: str) -> None:
    try:
        template.format(**fields)
    except (KeyError, IndexError, ValueError) as e:
        raise KnowledgeBaseError(f"{where}: bad placeholder in {template!r}: {e!r}") from e


def _keys(
    raw: Mapping[Any, Any], allowed: Iterable[str], required: Iterable[str], where: str
) -> None:
    unknown = sorted(str(k) for k in raw if k not in set(allowed))
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown key {unknown[0]!r}")
    missing = sorted(k for k in required if raw.get(k) is None)
    if missing:
        raise KnowledgeBaseError(f"{where}: missing key {missing[0]!r}")


def _mapping(value: Any, where: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise KnowledgeBaseError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise KnowledgeBaseError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _optional(value: Any, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _texts(value: Any, where: str) -> tuple[str, ...]:
    return _unique(_text(v, where) for v in _list(value, where))


def _kind(value: Any, where: str) -> str:
    if value not in ACTOR_KINDS:
        raise KnowledgeBaseError(f"{where}: kind {value!r} is not one of {', '.join(ACTOR_KINDS)}")
    return str(value)


def _year(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise KnowledgeBaseError(f"{where}: expected a year, got {value!r}")
    return value


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in names if n))


def _aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Aliases without repeats or the name itself; spellings that fold alike stay for patterns."""
    return tuple(a for a in _unique(aliases) if a != name)
