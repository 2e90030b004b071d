"""Data and code agree: every data file and key is read by some code, and every concept, type
label or event type the code names is defined in the data."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import sitroom
from sitroom.knowledge import loader

PACKAGE = Path(sitroom.__file__).parent
LOADER = PACKAGE / "knowledge" / "loader.py"


def _modules() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != LOADER
    }


MODULES = _modules()


def _strings(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _names_read() -> set[str]:
    """String constants and attribute names in the package's code (not the loader's schema)."""
    out: set[str] = set()
    for tree in MODULES.values():
        out.update(_strings(tree))
        out.update(n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute))
    return out


@pytest.mark.parametrize("name", sorted(loader.SCHEMAS))
def test_every_data_file_is_read_by_some_code(name: str) -> None:
    readers = [p.name for p, tree in MODULES.items() if name in set(_strings(tree))]
    assert readers, f"no code reads {name}"


@pytest.mark.parametrize("name", sorted(n for n, s in loader.SCHEMAS.items() if not s.columns))
def test_every_key_of_a_data_file_is_read_by_some_code(name: str) -> None:
    read = _names_read()
    unread = sorted(k for k in loader.load(name).data if k != "version" and k not in read)
    assert not unread, f"{name}: no code reads {unread}"


def _dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _readers(name: str) -> list[ast.Module]:
    """Modules that name the data file, and modules that import from one of those (fatalities
    reads numbers.yaml through ``sitroom.numbers``)."""
    naming = {_dotted(p) for p, tree in MODULES.items() if name in set(_strings(tree))}
    return [
        tree
        for path, tree in MODULES.items()
        if _dotted(path) in naming
        or any(isinstance(n, ast.ImportFrom) and n.module in naming for n in ast.walk(tree))
    ]


@pytest.mark.parametrize("name", sorted(n for n, s in loader.SCHEMAS.items() if not s.columns))
def test_every_key_is_read_by_code_that_reads_its_file(name: str) -> None:
    """Stricter than the test above: a key does not count as read because code that reads only
    other files names it (argument_cues.yaml and event_cues.yaml both have ``agent_preps``)."""
    read: set[str] = set()
    for tree in _readers(name):
        read.update(_strings(tree))
        read.update(n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute))
    unread = sorted(k for k in loader.load(name).data if k != "version" and k not in read)
    assert not unread, f"{name}: no code that reads it reads {unread}"


# --- names the code uses must be defined ---------------------------------------------------------


def _vocabularies() -> dict[str, set[str]]:
    """What event_cues.yaml defines, by the attribute the code compares with it."""
    cues = loader.load("event_cues.yaml")
    types = cues["types"]
    acled = [t["acled"] for t in types.values() if t.get("acled")]
    plover = [t["plover"] for t in types.values() if t.get("plover")]
    plover += list(cues["plover_by_trigger"].values())
    plover += list(cues["plover_when_planned"].values())
    plover += [t["negated_plover"] for t in types.values() if t.get("negated_plover")]
    return {
        "concept": set(cues["concepts"]),
        "label": set(types),
        "event_type": {a[0] for a in acled},
        "sub_event_type": {a[1] for a in acled},
        "plover_type": {p[0] for p in plover} | {"OTHER"},  # OTHER: no PLOVER type applies
        "plover_mode": {p[1] for p in plover if p[1]},
    }


def _constants(tree: ast.Module) -> dict[str, set[str]]:
    """Module-level names bound to a set or tuple of strings (``frozenset({...})`` too)."""
    out: dict[str, set[str]] = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        if isinstance(target, ast.Name) and node.value is not None:  # type: ignore[union-attr]
            words = _literal_words(node.value)  # type: ignore[union-attr]
            if words is not None:
                out[target.id] = words
    return out


def _literal_words(node: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "frozenset" and node.args:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        if len(items) == len(node.elts) and all(isinstance(i, str) for i in items):
            return set(items)  # type: ignore[arg-type]
    return None


def _named_in_code() -> Iterator[tuple[str, str, str]]:
    """(attribute, name, where) for each string the code compares an attribute of
    ``_vocabularies`` with: ``cue.concept == "advance"``, ``e.event_type in _HOSTILE``."""
    for path, tree in MODULES.items():
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            attrs = [s.attr for s in sides if isinstance(s, ast.Attribute)]
            for attr in attrs:
                for side in sides:
                    words = _literal_words(side)
                    if words is None and isinstance(side, ast.Name):
                        words = constants.get(side.id)
                    for word in words or ():
                        yield attr, word, f"{path.relative_to(PACKAGE)}:{node.lineno}"


def test_concepts_labels_and_types_named_in_code_are_defined() -> None:
    vocabularies = _vocabularies()
    named = [(a, w, where) for a, w, where in _named_in_code() if a in vocabularies]
    assert named, "the scan found no comparisons: it has stopped working"
    undefined = [f"{where}: {a} {w!r}" for a, w, where in named if w not in vocabularies[a]]
    assert not undefined, "\n".join(undefined)


def test_code_constants_of_concepts_and_types_are_defined() -> None:
    """Module constants that hold concepts or type labels (by their name) are defined."""
    vocabularies = _vocabularies()
    kinds = {
        "CONCEPTS": vocabularies["concept"],
        "TYPES": vocabularies["label"],
        "EVENTS": vocabularies["event_type"],
    }
    checked = 0
    for path, tree in MODULES.items():
        if path.parent.name not in ("extract", "knowledge", "export"):
            continue  # evaluate/ names the benchmarks' own types
        for name, words in _constants(tree).items():
            for suffix, defined in kinds.items():
                if name.endswith(suffix):
                    checked += 1
                    missing = sorted(words - defined)
                    assert not missing, f"{path.relative_to(PACKAGE)}: {name} names {missing}"
    # The rules' own concept sets live in event_cues.yaml now, where CueLexicon checks them.
    assert checked >= 2
