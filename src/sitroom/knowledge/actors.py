"""The actor knowledge base: canonical actors, their names, and the countries they belong to.

Knowledge lives in ``data/actors.yaml`` (and user files in the same schema); this module only
validates it and indexes it so that every lookup is one dict hit on a folded string.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sitroom.config import DataOverride
from sitroom.errors import KnowledgeBaseError
from sitroom.knowledge.actor_file import (
    _ARTICLE,
    _EDGE_PUNCT,
    _LEADING_THE,
    _ROLE_KEYS,
    _SPACES,
    SHIPPED,
    Tenure,
    _ActorSpec,
    _aliases,
    _Country,
    _Derived,
    _File,
    _Generic,
    fold,
    is_acronym,
    slug,
)
from sitroom.knowledge.actor_file import files as actor_files
from sitroom.records import ACTOR_KINDS, Actor

log = logging.getLogger(__name__)


class ActorKB:
    """Canonical actors indexed by id, folded alias, demonym and generic description."""

    def __init__(self, files: Sequence[_File]) -> None:
        # Later files replace earlier entries with the same key; `rank` says which file won.
        derived: dict[str, _Derived] = {}
        countries: dict[str, tuple[_Country, int]] = {}
        explicit: dict[str, tuple[_ActorSpec, int]] = {}
        by_term: dict[str, tuple[_Generic, int]] = {}
        for rank, f in enumerate(files):
            derived.update(f.derived)
            countries.update((k, (v, rank)) for k, v in f.countries.items())
            explicit.update((k, (v, rank)) for k, v in f.actors.items())
            for entry in f.generic:
                for term in entry.terms:
                    key = fold(term)
                    if key in by_term and by_term[key][1] == rank:
                        raise KnowledgeBaseError(f"{entry.where}: term {term!r} is listed twice")
                    by_term[key] = (entry, rank)
        missing = [k for k in _ROLE_KEYS if k not in derived]
        missing += [str(d.parent) for d in derived.values() if d.parent and d.parent not in derived]
        if missing:
            raise KnowledgeBaseError(f"derived: missing keys {', '.join(missing)}")
        self._derived = derived
        self._countries = {iso2: country for iso2, (country, _) in countries.items()}
        self._tenure: dict[str, Tenure] = {}

        specs: dict[str, tuple[_ActorSpec, int]] = {}
        for country, rank in countries.values():
            for spec in self._derive(country):
                if spec.actor.id in specs:
                    raise KnowledgeBaseError(f"{spec.where}: id {spec.actor.id!r} is used twice")
                specs[spec.actor.id] = (spec, rank)
        for actor_id, (spec, rank) in explicit.items():
            if actor_id in specs and specs[actor_id][1] == rank:
                raise KnowledgeBaseError(f"{spec.where}: id {actor_id!r} is used twice")
            specs[actor_id] = (spec, rank)
        self._actors: dict[str, Actor] = {k: s.actor for k, (s, _) in specs.items()}
        self._generic = {key: entry for key, (entry, _) in by_term.items()}
        # One entry per generic group, in data order (dicts of terms repeat them).
        self._entries = list({id(e): e for e in self._generic.values()}.values())
        self._fallbacks = {e.fallback.id for e in self._entries} - set(self._actors)
        for entry in self._entries:
            self._actors.setdefault(entry.fallback.id, entry.fallback)
        self._check_references(specs.values())
        for entry in self._entries:
            unknown = sorted(entry.by_named - set(self._actors))
            if unknown:
                raise KnowledgeBaseError(f"{entry.where}: by_named names unknown {unknown[0]!r}")

        self._alias: dict[str, str] = {}
        self._acronym: dict[str, str] = {}
        owner: dict[tuple[bool, str], int] = {}
        for spec, rank in sorted(specs.values(), key=lambda pair: pair[1]):
            actor = spec.actor
            for alias in (actor.name, *actor.aliases):
                caps = is_acronym(alias)
                key = fold(alias, keep_case=caps)
                index = self._acronym if caps else self._alias
                other = index.get(key)
                if other is not None and other != actor.id:
                    if owner[(caps, key)] == rank:
                        raise KnowledgeBaseError(
                            f"{spec.where}: alias {alias!r} also names {other!r}"
                        )
                    log.debug("alias %r: %s replaces %s", alias, actor.id, other)
                index[key] = actor.id
                owner[(caps, key)] = rank

        # (id prefix, id suffix, template, kind): how get() recognises 'PROTESTERS-SY'.
        self._templates: list[tuple[str, str, tuple[str, str], str]] = []
        for e in self._entries:
            if e.template is not None:
                prefix, suffix = e.template[0].split("{iso2}", 1)
                self._templates.append((prefix, suffix, e.template, e.kind))
        self._made: dict[str, Actor] = {}
        self._country_names: dict[str, str] = {}
        self._country_acronyms: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        self._demonym_acronyms: dict[str, str] = {}
        for c in self._countries.values():
            for name in (c.name, *c.aliases):
                _put(self._country_names, self._country_acronyms, name, c.iso2, c.where)
            for word in c.demonyms:
                _put(self._demonyms, self._demonym_acronyms, word, c.iso2, c.where)

    @classmethod
    def load(cls, *, extra: Sequence[Path] = (), overrides: Iterable[DataOverride] = ()) -> ActorKB:
        """The shipped knowledge base, then each ``extra`` YAML file and each override of
        actors.yaml overriding and extending it (or replacing it: ``DataOverride.replace``)."""
        extras = tuple(DataOverride(SHIPPED, Path(p)) for p in extra)
        files = actor_files((*extras, *overrides))
        kb = cls(files)
        log.debug("actor KB: %d actors from %d files", len(kb._actors), len(files))
        return kb

    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id, including per-country generic ones such as 'PROTESTERS-SY'."""
        actor = self._actors.get(actor_id) or self._made.get(actor_id)
        if actor is not None:
            return actor
        for prefix, suffix, template, kind in self._templates:
            if actor_id.startswith(prefix) and actor_id.endswith(suffix):
                iso2 = actor_id[len(prefix) : len(actor_id) - len(suffix)]
                if iso2 in self._countries:
                    return self._from_template(template, kind, iso2)
        return None

    def actors(self) -> Iterator[Actor]:
        """Every canonical actor: listed, derived from countries, and generic fallbacks."""
        return iter(self._actors.values())

    def lookup(self, text: str) -> Actor | None:
        """The actor a name refers to (exact alias after folding), or None if unknown."""
        actor_id = self._acronym.get(fold(text, keep_case=True)) or self._alias.get(fold(text))
        return None if actor_id is None else self._actors[actor_id]

    def tenure(self, actor_id: str) -> Tenure | None:
        """A leader's office and years, for person actors listed under a country's leaders."""
        return self._tenure.get(actor_id)

    def new_actor(self, name: str, *, kind: str = "unknown", country: str | None = None) -> Actor:
        """An actor the KB does not know, with the deterministic id 'new:<slug of name>'."""
        if kind not in ACTOR_KINDS:
            raise ValueError(f"unknown actor kind {kind!r}; expected one of {ACTOR_KINDS}")
        clean = _LEADING_THE.sub("", _SPACES.sub(" ", name).strip())
        key = slug(clean)
        if not key:
            raise ValueError(f"cannot make an actor id from {name!r}")
        return Actor(id=f"new:{key}", name=clean, kind=kind, country=country)

    def countries(self) -> tuple[str, ...]:
        """ISO2 codes of every known country."""
        return tuple(self._countries)

    def country_name(self, iso2: str) -> str | None:
        """A country's short English name: 'SY' -> 'Syria'."""
        country = self._countries.get(iso2.upper())
        return None if country is None else country.name

    def country_by_name(self, text: str) -> str | None:
        """ISO2 of a country name or alias: 'Syrian Arab Republic' -> 'SY'."""
        return _get(self._country_names, self._country_acronyms, text)

    def demonym_country(self, word: str) -> str | None:
        """ISO2 of a demonym: 'Russian' -> 'RU'. Compounds ('Iranian-backed') are the caller's."""
        return _get(self._demonyms, self._demonym_acronyms, word)

    def state(self, iso2: str) -> Actor | None:
        """The government of a country ('GOV-SY')."""
        return self._role("gov", iso2)

    def forces(self, iso2: str) -> Actor | None:
        """The military forces of a country ('MIL-SY')."""
        return self._role("mil", iso2)

    def police(self, iso2: str) -> Actor | None:
        """The police forces of a country ('POL-SY')."""
        return self._role("pol", iso2)

    def civilians(self, iso2: str) -> Actor | None:
        """The civilians of a country ('CIV-SY')."""
        return self._role("civ", iso2)

    def generic(self, term: str, *, country: str | None) -> Actor | None:
        """The actor a description ('insurgents') means in a report from ``country`` (ISO2)."""
        # "civilians," is a description plus punctuation; a span that takes the comma is wrong.
        if term[-1:] in _EDGE_PUNCT + ".'" or term[:1] in _EDGE_PUNCT:
            return None
        entry = self._generic.get(fold(term))
        if entry is None:
            return None
        iso2 = country.upper() if country else None
        if iso2 is not None and iso2 in entry.by_country:
            return self._actors[entry.by_country[iso2]]
        if iso2 is not None and entry.template is not None and iso2 in self._countries:
            return self._from_template(entry.template, entry.kind, iso2)
        return self._actors[entry.fallback.id]

    def stand_ins(self, actor_id: str) -> frozenset[str]:
        """The named groups a generic actor ("SEPARATISTS-PK") stands for in a report that
        names one of them and no other (its entry's ``by_named``: "separatists" in a story that
        names the Baloch Liberation Army)."""
        for entry in self._entries:
            if not entry.by_named:
                continue
            if actor_id == entry.fallback.id:
                return entry.by_named
            if entry.template is not None:
                prefix, suffix = entry.template[0].split("{iso2}", 1)
                middle = actor_id[len(prefix) : len(actor_id) - len(suffix)]
                if actor_id.startswith(prefix) and actor_id.endswith(suffix) and len(middle) == 2:
                    return entry.by_named
        return frozenset()

    def generic_terms(self) -> tuple[str, ...]:
        """Every generic description, as written in the data."""
        return tuple(t for e in self._entries for t in e.terms if self._generic.get(fold(t)) is e)

    def patterns(
        self,
        *,
        tokenizer: Callable[[str], Iterable[Any]] | None = None,
        generic: bool = False,
    ) -> list[dict[str, Any]]:
        """EntityRuler token patterns, label ACTOR and ``id`` the actor id, one per alias variant.

        Capitalised tokens (HTS, SNA, US) match case-exactly, others case-insensitively.
        ``tokenizer`` defaults to a blank English one; ``generic`` adds the generic descriptions
        under label ACTOR_GENERIC with ``id`` the folded term.
        """
        from sitroom.nlp import ACTOR_LABEL

        if tokenizer is None:
            import spacy

            tokenizer = spacy.blank("en").tokenizer
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        out: list[dict[str, Any]] = []

        def add(label: str, text: str, actor_id: str) -> None:
            for variant in _variants(text):
                tokens = tuple(
                    ("ORTH", t) if is_acronym(t) else ("LOWER", t.lower())
                    for t in (str(tok) for tok in tokenizer(variant))
                    if t.strip()
                )
                if tokens and (actor_id, tokens) not in seen:
                    seen.add((actor_id, tokens))
                    out.append(
                        {"label": label, "pattern": [{k: v} for k, v in tokens], "id": actor_id}
                    )

        for actor in self._actors.values():
            if actor.id in self._fallbacks:
                continue  # "Rebel group (unidentified)" is a label, not a name found in text
            for alias in (actor.name, *actor.aliases):
                add(ACTOR_LABEL, alias, actor.id)
        if generic:
            for term in self.generic_terms():
                add(f"{ACTOR_LABEL}_GENERIC", term, fold(term))
        return out

    def _role(self, key: str, iso2: str) -> Actor | None:
        code = iso2.upper()
        if code not in self._countries:
            return None
        return self._actors.get(self._derived[key].id.format(iso2=code))

    def _from_template(self, template: tuple[str, str], kind: str, iso2: str) -> Actor:
        template_id, template_name = template
        actor_id = template_id.format(iso2=iso2)
        known = self._actors.get(actor_id) or self._made.get(actor_id)
        if known is not None:
            return known
        name = template_name.format(iso2=iso2, country=self._countries[iso2].name)
        actor = Actor(id=actor_id, name=name, kind=kind, country=iso2)
        self._made[actor_id] = actor
        return actor

    def _derive(self, country: _Country) -> Iterator[_ActorSpec]:
        """The per-country actors (government, forces, police, civilians) and its leaders."""
        # Plural demonyms ("Israelis") would make "Israelis army"; keep the adjectives.
        adjectives = [d for d in country.demonyms if not (d.endswith("s") and not d.endswith("ss"))]
        values = {"iso2": country.iso2, "name": country.name}
        unknown = set(country.role_aliases) - set(self._derived)
        if unknown:
            raise KnowledgeBaseError(f"{country.where}: unknown key {sorted(unknown)[0]}_aliases")
        for d in self._derived.values():
            aliases: list[str] = []
            for template in d.aliases:
                if "{demonym}" in template:
                    aliases.extend(template.format(demonym=a, **values) for a in adjectives)
                else:
                    aliases.append(template.format(**values))
            aliases.extend(country.role_aliases.get(d.key, ()))
            parent = self._derived[d.parent].id.format(**values) if d.parent else None
            actor_id = d.id.format(**values)
            name = d.name.format(**values)
            yield _ActorSpec(
                Actor(
                    id=actor_id,
                    name=name,
                    aliases=_aliases(name, aliases),
                    kind=d.kind,
                    country=country.iso2,
                    parent=parent,
                ),
                f"{country.where} ({actor_id})",
            )
        gov = self._derived["gov"].id.format(**values)
        for name, aliases_, tenure in country.leaders:
            actor_id = "PER-" + slug(name).upper()
            self._tenure[actor_id] = tenure
            actor = Actor(actor_id, name, _aliases(name, aliases_), "person", country.iso2, gov)
            yield _ActorSpec(actor, f"{country.where} leader {name!r}")

    def _check_references(self, specs: Iterable[tuple[_ActorSpec, int]]) -> None:
        for spec, _ in specs:
            actor = spec.actor
            if actor.country is not None and actor.country not in self._countries:
                raise KnowledgeBaseError(f"{spec.where}: unknown country {actor.country!r}")
            if actor.parent is not None and actor.parent not in self._actors:
                raise KnowledgeBaseError(f"{spec.where}: unknown parent {actor.parent!r}")
            seen = {actor.id}
            parent = actor.parent
            while parent is not None:
                if parent in seen:
                    raise KnowledgeBaseError(f"{spec.where}: parent chain loops at {parent!r}")
                seen.add(parent)
                parent = self._actors[parent].parent
        for entry in self._entries:
            countries = [*entry.by_country, entry.fallback.country]
            for iso2 in countries:
                if iso2 is not None and iso2 not in self._countries:
                    raise KnowledgeBaseError(f"{entry.where}: unknown country {iso2!r}")
            for actor_id in entry.by_country.values():
                if actor_id not in self._actors:
                    raise KnowledgeBaseError(f"{entry.where}: unknown actor {actor_id!r}")


def _put(index: dict[str, str], caps: dict[str, str], name: str, iso2: str, where: str) -> None:
    target = caps if is_acronym(name) else index
    key = fold(name, keep_case=target is caps)
    if target.get(key, iso2) != iso2:
        raise KnowledgeBaseError(f"{where}: {name!r} also names {target[key]!r}")
    target[key] = iso2


def _get(index: Mapping[str, str], caps: Mapping[str, str], text: str) -> str | None:
    return caps.get(fold(text, keep_case=True)) or index.get(fold(text))


def _variants(text: str) -> set[str]:
    """Spellings of one alias that text uses and LOWER cannot bridge: ’ for ', "al X" for "al-X"."""
    out = {text}
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    out.add(plain)
    out |= {_ARTICLE.sub(r"\1" + sep, v) for v in out for sep in (" ", "-")}
    out |= {v.replace("'", "’") for v in out if "'" in v}
    return out
