"""The `network` and `figure` commands, as a user runs them."""

import io
import json

import networkx as nx
import pytest
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


@pytest.fixture(scope="module")
def hand_hygiene_store(tmp_path_factory):
    from tests.projects.helpers import HAND_HYGIENE

    store = tmp_path_factory.mktemp("hh") / "store"
    assert invoke("build", "--store", str(store)).exit_code == 0
    assert invoke("import", str(HAND_HYGIENE), "--store", str(store)).exit_code == 0
    return store


def test_project_network_of_a_reviewers_project(hand_hygiene_store, tmp_path):
    out = tmp_path / "hh.graphml"
    result = invoke("network", "export", "--view", "code-case", "--project", "hand-hygiene", "--format", "graphml",
                    "--out", str(out), "--store", str(hand_hygiene_store))
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(io.BytesIO(out.read_bytes()))
    assert (g.number_of_nodes(), g.number_of_edges()) == (10, 13)  # tests/analytics/test_project_views.py
    lines = invoke("network", "metrics", "--view", "study-code", "--project", "hand-hygiene",
                   "--store", str(hand_hygiene_store)).output.splitlines()
    assert next(line for line in lines if "Feedback" in line).split()[:4] == ["code", "Feedback", "3", "3"]


def test_figure_matrix_of_a_project(hand_hygiene_store, tmp_path):
    out = tmp_path / "wards.svg"
    result = invoke("figure", "matrix", "--rows", "level:theme", "--cols", "dimension:ward", "--project",
                    "hand-hygiene", "--out", str(out), "--store", str(hand_hygiene_store))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"<?xml") and b"<svg" in out.read_bytes()


@pytest.mark.parametrize(("args", "message"), [
    (["network", "metrics", "--view", "theme-group", "--project", "hand-hygiene"], "takes no --project"),
    (["network", "export", "--view", "code-case", "--project", "nope"], '"nope" is not a project in the store'),
    (["figure", "heatmap", "--project", "hand-hygiene"], "for a project draw the figure matrix"),
    (["figure", "matrix", "--rows", "level:theme"], "the figure matrix needs --rows and --cols")])
def test_project_options_errors_exit_2(hand_hygiene_store, args, message):
    result = CliRunner().invoke(cli, [*args, "--store", str(hand_hygiene_store)])
    assert result.exit_code == 2 and message in result.output, result.output


def test_network_export_takes_its_format_from_the_file_name(tmp_path):
    out = tmp_path / "groups.graphml"
    result = invoke("network", "export", "--view", "group-similarity", "--out", str(out))
    assert result.exit_code == 0
    assert nx.read_graphml(io.BytesIO(out.read_bytes())).number_of_edges() == 21
    clash = tmp_path / "groups.gexf"
    result = invoke("network", "export", "--view", "group-similarity", "--format", "node-link", "--out", str(clash))
    assert result.exit_code == 2 and not clash.exists()
    assert (f"{clash}: the file name ends in .gexf but --format is node-link; use --format gexf or another name."
            in result.output)
