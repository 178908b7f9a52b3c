"""The `network` and `figure` commands, as a user runs them."""

import io
import json

import networkx as nx
from click.testing import CliRunner

from imri_kg.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_network_export_to_stdout_and_file(tmp_path):
    result = invoke("network", "export", "--view", "theme-group", "--format", "node-link")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["links"]) == 25
    out = tmp_path / "groups.graphml"
    result = invoke("network", "export", "--view", "group-similarity", "--format", "graphml", "--out", str(out))
    assert result.exit_code == 0
    assert nx.read_graphml(io.BytesIO(out.read_bytes())).number_of_edges() == 21


def test_network_metrics_table():
    lines = invoke("network", "metrics").output.splitlines()
    assert lines[0].split() == ["kind", "node", "degree", "weighted", "citations", "betweenness", "community"]
    peer = next(line for line in lines if "Peer workers" in line).split()
    assert peer[:2] == ["group", "Peer"] and peer[3:6] == ["4", "4", "20"]


def test_figure_writes_png_and_svg(tmp_path):
    result = invoke("figure", "heatmap", "--format", "svg", "--out", str(tmp_path / "t5.svg"))
    assert result.exit_code == 0 and (tmp_path / "t5.svg").read_bytes().startswith(b"<?xml")
    result = invoke("figure", "framework", "--out", str(tmp_path / "imri.png"))
    assert result.exit_code == 0 and (tmp_path / "imri.png").read_bytes().startswith(b"\x89PNG")


def test_unknown_names_exit_2():
    result = invoke("network", "export", "--view", "sites", "--format", "gexf")
    assert result.exit_code == 2 and '"sites" is not a network view' in result.output
    result = invoke("network", "export", "--view", "theme-group", "--format", "dot")
    assert result.exit_code == 2 and '"dot" is not a network format' in result.output
    result = invoke("figure", "pie")
    assert result.exit_code == 2 and '"pie" is not a figure' in result.output


def test_figure_for_print(tmp_path):
    out = tmp_path / "framework.pdf"
    result = invoke("figure", "framework", "--out", str(out), "--width", "17.8cm", "--no-title", "--font-size", "9")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "7.00787 in wide" in result.output
    result = invoke("figure", "heatmap", "--width", "1cm", "--out", str(tmp_path / "x.png"))
    assert result.exit_code == 2 and "between 3 in and 20 in" in result.output
