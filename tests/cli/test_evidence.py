"""`imri-kg validate --shapes`: shapes that hold no shape, or a project folder, are refused (exit 2) rather than
reported as "all conform"."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli

TESTS = Path(__file__).resolve().parents[1]
MIXED = TESTS / "data" / "sheets" / "coded-evidence-mixed.csv"  # 33 rows, 13 of them broken
PROJECT = TESTS / "data" / "projects" / "hand-hygiene"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("content", [None, "", "<http://example.org/a> <http://example.org/b> 1 .\n"])
def test_shapes_without_a_shape_are_refused(tmp_path, content):
    shapes = tmp_path / "shapes"  # a folder without .ttl files, an empty file, a file without sh: terms
    if content is None:
        shapes.mkdir()
        (shapes / "README.md").write_text("no shapes here\n")
    else:
        shapes = tmp_path / "shapes.ttl"
        shapes.write_text(content)
    result = invoke("validate", MIXED, "--shapes", shapes)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: {shapes}: holds no SHACL shapes (no term of the sh: vocabulary); give a shapes "
                             "file, or a folder of .ttl shapes files.\n")


def test_shapes_of_ones_own_still_decide(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> .\n")
    result = invoke("validate", MIXED, "--shapes", shapes)
    assert result.exit_code == 0  # the mixed sheet's broken rows break only the project's shapes
    assert result.stdout.endswith(": 33 rows checked: all conform.\n")  # 33 data rows (some cells span lines)


def test_shapes_with_a_project_folder_are_refused(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://example.org/S> a sh:NodeShape .\n")
    result = invoke("validate", PROJECT, "--shapes", shapes)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: {shapes}: --shapes is for files; a project folder is always checked against "
                             "imri-kg's own shapes, as import checks it.\n")
