"""The ``graphml`` export: the alliance graph, actors as nodes and relations as directed edges.

Repeated ``(subject, predicate, object)`` relations become one edge carrying the first and last
dates seen, how many reports support it and their evidence quotes. Nodes and edges carry a
``label`` (the actor's name, the predicate), the attribute Gephi, Cytoscape and networkx show.
Actors that no relation touches are still nodes, so the graph shows every known party, unless
``isolated=False`` leaves them out.
"""

from __future__ import annotations

import heapq
import io
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sitroom.export._common import date_key, iso, unique
from sitroom.export.source import PictureReader, batched, flat, reader_of
from sitroom.records import Picture, Relation

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

# (GraphML key id, owner element, attribute name, GraphML type); ids double as attribute names.
NODE_KEYS = (
    ("label", "node", "string"),
    ("name", "node", "string"),
    ("kind", "node", "string"),
    ("country", "node", "string"),
)
EDGE_KEYS = (
    ("label", "edge", "string"),
    ("predicate", "edge", "string"),
    ("first_seen", "edge", "string"),
    ("last_seen", "edge", "string"),
    ("count", "edge", "int"),
    ("sources", "edge", "int"),
    ("documents", "edge", "string"),
    ("evidence", "edge", "string"),
)
# How list values are joined into one GraphML string.
SEPARATORS = {"documents": " ", "evidence": " | "}
# Nodes whose actors are looked up at once.
BATCH = 500

# Characters XML 1.0 cannot carry at all, even escaped; quotes from scraped pages may hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _relation_key(relation: Relation) -> tuple[tuple[int, str], str]:
    return date_key(relation.date), repr(relation.evidence)


def _edge(key: tuple[str, str, str], relations: list[Relation]) -> dict[str, Any]:
    subject, predicate, obj = key
    dates = sorted(r.date for r in relations if r.date is not None)
    evidence = [e for r in relations for e in r.evidence]
    documents = unique(e.document_id for e in evidence)
    return {
        "source": subject,
        "target": obj,
        "label": predicate.replace("_", " "),
        "predicate": predicate,
        "first_seen": iso(dates[0]) if dates else None,
        "last_seen": iso(dates[-1]) if dates else None,
        "count": len(relations),
        "sources": len(documents),
        "documents": documents,
        "evidence": unique(e.quote for e in evidence),
    }


def _edges(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for run in reader.relation_runs():
        first = run[0]
        # Sorted within a group too, so the quotes' order does not depend on the input's.
        yield _edge((first.subject, first.predicate, first.object), sorted(run, key=_relation_key))


def _node_ids(reader: PictureReader, *, isolated: bool) -> Iterator[str]:
    """Actor ids in order, once each: every actor with ``isolated``, and every id a relation
    names (a relation may name an actor the picture has no record for; it still needs a
    node)."""
    linked = reader.linked_actor_ids()
    if not isolated:
        return linked
    known = (a.id for a in flat(reader.actors()))
    return (key for key, _ in itertools.groupby(heapq.merge(known, linked)))


def _nodes(reader: PictureReader, *, isolated: bool) -> Iterator[dict[str, Any]]:
    for batch in batched(_node_ids(reader, isolated=isolated), BATCH):
        actors = reader.actors_of(batch)
        for node_id in batch:
            actor = actors.get(node_id)
            yield {
                "id": node_id,
                "label": actor.name if actor else node_id,
                "name": actor.name if actor else node_id,
                "kind": actor.kind if actor else "unknown",
                "country": actor.country if actor else None,
            }


def alliance_graph(picture: Picture | PictureReader, *, isolated: bool = True) -> dict[str, Any]:
    """The alliance graph as plain data: ``nodes`` (actors; without ``isolated``, only those a
    relation links) and ``edges`` (aggregated relations)."""
    reader = reader_of(picture)
    return {"nodes": list(_nodes(reader, isolated=isolated)), "edges": list(_edges(reader))}


def _key(name: str, owner: str) -> str:
    return f"e_{name}" if owner == "edge" and name == "label" else name


def _data(parent: ET.Element, key: str, value: object) -> None:
    if value is None or value == "" or value == []:
        return
    if isinstance(value, list):
        value = SEPARATORS.get(key, " ").join(str(v) for v in value)
    ET.SubElement(parent, "data", {"key": key}).text = _xml_text(value)


def _head() -> ET.Element:
    """The document's root with its keys; its graph element is the last child."""
    # xmlns as a plain attribute keeps ElementTree's global namespace registry untouched.
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    for key_id, owner, kind in (*NODE_KEYS, *EDGE_KEYS):
        # A key id is unique in the file, so the edges' label is "e_label"; both are named label.
        attrs = {"id": _key(key_id, owner), "for": owner, "attr.name": key_id, "attr.type": kind}
        ET.SubElement(root, "key", attrs)
    ET.SubElement(root, "graph", {"id": "alliances", "edgedefault": "directed"})
    return root


def _node_element(node: dict[str, Any]) -> ET.Element:
    element = ET.Element("node", {"id": _xml_text(node["id"])})
    for key_id, owner, _ in NODE_KEYS:
        _data(element, _key(key_id, owner), node.get(key_id))
    return element


def _edge_element(number: int, edge: dict[str, Any]) -> ET.Element:
    attrs = {
        "id": f"e{number}",
        "source": _xml_text(edge["source"]),
        "target": _xml_text(edge["target"]),
    }
    element = ET.Element("edge", attrs)
    for key_id, owner, _ in EDGE_KEYS:
        _data(element, _key(key_id, owner), edge.get(key_id))
    return element


def _write(out: TextIO, nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> None:
    """The text ``ET.indent`` and ``ET.tostring`` give the whole tree, one element at a time:
    the graph's children sit two levels deep."""
    root = _head()
    ET.indent(root)
    # Ends in the graph element, empty ('<graph ... />'), then '\n</graphml>'.
    head = ET.tostring(root, encoding="unicode").removesuffix(" />\n</graphml>")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + head)
    children = itertools.chain(
        (_node_element(n) for n in nodes), itertools.starmap(_edge_element, enumerate(edges))
    )
    empty = True
    for element in children:
        ET.indent(element, level=2)
        out.write((">" if empty else "") + "\n    " + ET.tostring(element, encoding="unicode"))
        empty = False
    out.write(" />\n</graphml>\n" if empty else "\n  </graph>\n</graphml>\n")


def graph_to_graphml(graph: dict[str, Any]) -> str:
    """GraphML text for an ``alliance_graph`` result; evidence quotes are joined by ' | '."""
    text = io.StringIO()
    _write(text, graph["nodes"], graph["edges"])
    return text.getvalue()


def write_graphml(picture: Picture | PictureReader, out: TextIO, *, isolated: bool = True) -> None:
    """Write the alliance graph as GraphML (UTF-8 declared; the stream must encode UTF-8), one
    node or edge at a time; ``isolated=False`` leaves out actors no relation links."""
    reader = reader_of(picture)
    _write(out, _nodes(reader, isolated=isolated), _edges(reader))
