"""One project released on its own: files, CITATION.cff, VoID counts, checksums, byte-identical zips; and the CLI's
release --project and export --project on an on-disk store."""

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store

from imri_kg.cli import cli
from imri_kg.errors import InputError
from imri_kg.projects.loading import import_project
from imri_kg.publish.project_release import write_project_release
from tests.conftest import TESTS

HH = TESTS / "data" / "projects" / "hand-hygiene"


@pytest.fixture(scope="module")
def store(kb) -> Store:
    s = Store()
    s.extend(kb.quads_for_pattern(None, None, None, None))
    assert import_project(s, HH).slug == "hand-hygiene"
    return s


def test_the_bundle(store, tmp_path):
    z = write_project_release(store, "hand-hygiene", tmp_path / "rel", issued="2026-11-26")
    root = tmp_path / "rel"
    assert z == root / "hand-hygiene-1.0.zip"
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    tables = [f"tables/matrix-{lv}-by-{d}.{e}" for lv in ("category", "theme") for d in ("country", "ward")
              for e in ("csv", "md", "tex")]
    assert names == sorted(["CITATION.cff", "README.md", "SHA256SUMS", "void.ttl", "hand-hygiene-1.0.zip"]
                           + [f"data/hand-hygiene.{e}" for e in ("jsonld", "nt", "rdf", "trig", "ttl")] + tables
                           + [f"networks/{v}.graphml" for v in ("code-case", "code-cooccurrence", "study-code")])
    cff = (root / "CITATION.cff").read_text()
    assert 'title: "Hand-hygiene programmes in hospitals (fictional test review)"' in cff
    assert '  - name: "Test Author A"\n  - name: "Test Author B"' in cff and 'version: "1.0"' in cff
    for line in (root / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest, name
    void = Store()
    void.load(path=root / "void.ttl", format=RdfFormat.TURTLE)
    project = Store()
    project.load(path=root / "data" / "hand-hygiene.trig", format=RdfFormat.TRIG)
    (n,) = [t.object.value for t in void.quads_for_pattern(None, None, None) if t.predicate.value.endswith("#triples")
            and t.subject.value.endswith("project/hand-hygiene/dataset")]
    assert int(n) == len({q.triple for q in project}) and len(project) > 500
    assert {g.value.rsplit("/", 1)[-1] for g in project.named_graphs()} == {"data", "mappings", "history"}
    assert "| Leadership | 1 (2) |  | 1 (2) |" in (root / "tables" / "matrix-theme-by-ward.md").read_text()
    import networkx as nx

    g = nx.read_graphml(root / "networks" / "code-case.graphml")  # tests/analytics/test_project_views.py
    assert (g.number_of_nodes(), g.number_of_edges()) == (10, 13)


def test_byte_identical_twice(store, tmp_path):
    a = write_project_release(store, "hand-hygiene", tmp_path / "a", issued="2026-11-26").read_bytes()
    b = write_project_release(store, "hand-hygiene", tmp_path / "b", issued="2026-11-26").read_bytes()
    assert a == b


def test_unknown_project(store, tmp_path):
    with pytest.raises(InputError, match='the store holds no project "nope"'):
        write_project_release(store, "nope", tmp_path / "x", issued="2026-11-26")


def test_cli_release_and_export_of_one_project(tmp_path):
    runner, s = CliRunner(), str(tmp_path / "store")
    assert runner.invoke(cli, ["build", "--store", s]).exit_code == 0
    assert runner.invoke(cli, ["import", str(HH), "--store", s]).exit_code == 0
    r = runner.invoke(cli, ["release", "--project", "hand-hygiene", "--store", s, "--out", str(tmp_path / "rel"),
                            "--issued", "2026-11-26"])
    assert r.exit_code == 0, r.output
    assert Path(tmp_path / "rel" / "hand-hygiene-1.0.zip").exists()
    r = runner.invoke(cli, ["export", "--project", "hand-hygiene", "--format", "trig", "--store", s])
    assert r.exit_code == 0 and "<https://w3id.org/imri/graph/project/hand-hygiene/data>" in r.output
    assert "graph/kb" not in r.output
    r = runner.invoke(cli, ["export", "--project", "nope", "--store", s])
    assert r.exit_code == 2


def test_a_folder_holding_other_files_is_never_replaced(store, tmp_path):
    """--out names the folder the release replaces whole: a folder of the user's own files is refused, untouched;
    an earlier release (its files all in SHA256SUMS, and its zip) is replaced."""
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "sub" / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(InputError) as raised:
        write_project_release(store, "hand-hygiene", mine, issued="2026-11-26")
    assert str(raised.value) == (f'{mine}: holds "sub/thesis.docx", which no release wrote; the folder is replaced '
                                 "whole, so give a new or empty folder (or an earlier release).")
    assert [p.relative_to(mine).as_posix() for p in mine.rglob("*")] == ["sub", "sub/thesis.docx"]
    first = write_project_release(store, "hand-hygiene", tmp_path / "rel", issued="2026-11-26").read_bytes()
    again = write_project_release(store, "hand-hygiene", tmp_path / "rel", issued="2026-11-26")
    assert again.read_bytes() == first
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is a file; give a folder"):
        write_project_release(store, "hand-hygiene", tmp_path / "file", issued="2026-11-26")
