"""The graphml export read back by networkx: labels on nodes and edges, every attribute typed,
and isolated actors left out on request."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import networkx as nx
import pytest

from sitroom.records import Actor, Relation
from test_export import make_picture, render_with


def _read(**options: object) -> nx.DiGraph:
    picture = make_picture()
    relations = (
        Relation("SYR-GOV", "supports", "SYR-MIL", dt.date(2024, 3, 1)),
        *picture.relations,
    )
    lonely = Actor("LONELY", "Nobody's ally", kind="armed_group")
    picture = dataclasses.replace(picture, actors=(*picture.actors, lonely), relations=relations)
    text = render_with(picture, "graphml", **options)
    graph = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert isinstance(graph, nx.DiGraph)
    return graph


def test_networkx_reads_labels_on_nodes_and_edges() -> None:
    graph = _read()
    assert graph.nodes["LONELY"]["label"] == "Nobody's ally"
    for node, data in graph.nodes(data=True):
        assert data["label"], node
    for _, _, data in graph.edges(data=True):
        assert data["label"] == data["predicate"].replace("_", " ")
        assert isinstance(data["count"], int) and data["count"] >= 1
    assert graph.edges["SYR-GOV", "SYR-MIL"]["label"] == "supports"


@pytest.mark.parametrize("isolated", [True, False])
def test_isolated_actors_can_be_left_out(isolated: bool) -> None:
    graph = _read(isolated=isolated)
    assert ("LONELY" in graph) is isolated
    if not isolated:
        assert all(graph.degree(n) > 0 for n in graph)
