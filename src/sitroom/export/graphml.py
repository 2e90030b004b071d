"""The ``graphml`` export: the alliance graph, actors as nodes and relations as directed edges.

Repeated ``(subject, predicate, object)`` relations become one edge carrying the first and last
dates seen, how many reports support it and their evidence quotes. Nodes and edges carry a
``label`` (the actor's name, the predicate), the attribute Gephi, Cytoscape and networkx show.
Actors that no relation touches are still nodes, so the graph shows every known party, unless
``isolated=False`` leaves them out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, TextIO

from sitroom.export._common import actors_by_id, date_key, iso, unique
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


def alliance_graph(picture: Picture, *, isolated: bool = True) -> dict[str, Any]:
    """The alliance graph as plain data: ``nodes`` (actors; without ``isolated``, only those a
    relation links) and ``edges`` (aggregated relations)."""
    groups: dict[tuple[str, str, str], list[Relation]] = {}
    for relation in picture.relations:
        groups.setdefault((relation.subject, relation.predicate, relation.object), []).append(
            relation
        )
    # Sorted within a group too, so the quotes' order does not depend on the input's.
    edges = [_edge(key, sorted(groups[key], key=_relation_key)) for key in sorted(groups)]
    actors = actors_by_id(picture)
    # A relation may name an actor the picture has no record for; it still needs a node.
    linked = {e["source"] for e in edges} | {e["target"] for e in edges}
    node_ids = sorted(set(actors) | linked if isolated else linked)
    nodes = []
    for node_id in node_ids:
        actor = actors.get(node_id)
        nodes.append(
            {
                "id": node_id,
                "label": actor.name if actor else node_id,
                "name": actor.name if actor else node_id,
                "kind": actor.kind if actor else "unknown",
                "country": actor.country if actor else None,
            }
        )
    return {"nodes": nodes, "edges": edges}


def _key(name: str, owner: str) -> str:
    return f"e_{name}" if owner == "edge" and name == "label" else name


def _data(parent: ET.Element, key: str, value: object) -> None:
    if value is None or value == "" or value == []:
        return
    if isinstance(value, list):
        value = SEPARATORS.get(key, " ").join(str(v) for v in value)
    ET.SubElement(parent, "data", {"key": key}).text = _xml_text(value)


def graph_to_graphml(graph: dict[str, Any]) -> str:
    """GraphML text for an ``alliance_graph`` result; evidence quotes are joined by ' | '."""
    # xmlns as a plain attribute keeps ElementTree's global namespace registry untouched.
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    for key_id, owner, kind in (*NODE_KEYS, *EDGE_KEYS):
        # A key id is unique in the file, so the edges' label is "e_label"; both are named label.
        attrs = {"id": _key(key_id, owner), "for": owner, "attr.name": key_id, "attr.type": kind}
        ET.SubElement(root, "key", attrs)
    element = ET.SubElement(root, "graph", {"id": "alliances", "edgedefault": "directed"})
    for node in graph["nodes"]:
        node_el = ET.SubElement(element, "node", {"id": _xml_text(node["id"])})
        for key_id, owner, _ in NODE_KEYS:
            _data(node_el, _key(key_id, owner), node.get(key_id))
    for number, edge in enumerate(graph["edges"]):
        attrs = {
            "id": f"e{number}",
            "source": _xml_text(edge["source"]),
            "target": _xml_text(edge["target"]),
        }
        edge_el = ET.SubElement(element, "edge", attrs)
        for key_id, owner, _ in EDGE_KEYS:
            _data(edge_el, _key(key_id, owner), edge.get(key_id))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_graphml(picture: Picture, out: TextIO, *, isolated: bool = True) -> None:
    """Write the alliance graph as GraphML (UTF-8 declared; the stream must encode UTF-8);
    ``isolated=False`` leaves out actors no relation links."""
    out.write(graph_to_graphml(alliance_graph(picture, isolated=isolated)))
