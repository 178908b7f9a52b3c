"""Network exports: each format reads back into the same graph, and the same graph gives the same bytes."""

import io
import json

import networkx as nx
import pytest

from imri_kg.analytics.exporters import (
    ENCODERS,
    WRITERS,
    to_bytes,
    to_cytoscape,
    to_node_link,
    write_cytoscape,
    write_gexf,
    write_graphml,
    write_node_link,
)
from imri_kg.analytics.views import to_theme_group_network
from imri_kg.errors import InputError
from tests.analytics.helpers import group, theme


@pytest.fixture(scope="module")
def g(kb):
    return to_theme_group_network(kb)


def test_graphml_reads_back_with_labels_and_citations(g):
    h = nx.read_graphml(io.BytesIO(to_bytes(g, "graphml")))
    assert (h.number_of_nodes(), h.number_of_edges()) == (13, 25)
    assert h.nodes[theme("interpersonal")]["label"] == "Interpersonal relationships"
    edge = h.edges[theme("interpersonal"), group("E")]
    assert (edge["weight"], edge["citations"], edge["n_citations"]) == (1, "85; 88", 2)


def test_gexf_reads_back_and_has_no_date(g):
    data = to_bytes(g, "gexf")
    assert b"lastmodifieddate" not in data
    h = nx.read_gexf(io.BytesIO(data))
    assert (h.number_of_nodes(), h.number_of_edges()) == (13, 25)
    assert h.nodes[group("ST")]["label"] == "Staff training"


def test_node_link_round_trip(g):
    data = json.loads(to_bytes(g, "node-link"))
    assert data == to_node_link(g)
    h = nx.node_link_graph(data, edges="links")
    assert nx.utils.graphs_equal(g, h)
    assert h.edges[theme("biomedical"), group("SNC")]["citations"] == [129, 132]


def test_cytoscape_elements(g):
    data = to_cytoscape(g)
    assert data["data"] == {"name": "theme-group"}
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == 13 and len(edges) == 25
    assert [e["data"]["id"] for e in edges] == [f"e{i}" for i in range(25)]
    by_id = {n["data"]["id"]: n["data"] for n in nodes}
    assert by_id[group("PRP")]["name"] == "Personal recovery planning"
    assert all({"source", "target", "weight", "citations"} <= e["data"].keys() for e in edges)
    assert json.loads(to_bytes(g, "cytoscape")) == data


def test_every_format_is_deterministic(kb, g):
    again = to_theme_group_network(kb)
    for fmt in ENCODERS:
        assert to_bytes(g, fmt) == to_bytes(again, fmt), fmt


def test_writers_write_files(g, tmp_path):
    for writer, name in ((write_graphml, "g.graphml"), (write_gexf, "g.gexf"), (write_node_link, "g.json"),
                         (write_cytoscape, "g.cyjs")):
        path = writer(g, tmp_path / name)
        assert path.stat().st_size > 1000
    assert set(WRITERS) == set(ENCODERS) == {"graphml", "gexf", "node-link", "cytoscape"}


def test_unknown_format_is_an_input_error(g, tmp_path):
    with pytest.raises(InputError, match='"dot" is not a network format'):
        to_bytes(g, "dot")
    with pytest.raises(InputError, match="cannot write the network"):
        write_graphml(g, tmp_path / "missing-dir" / "g.graphml")
