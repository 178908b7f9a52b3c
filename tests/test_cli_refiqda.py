"""`imri-kg import FILE.qdpx|FILE.qdc --project DIR` and `imri-kg export --format qdpx|qdc --project DIR`."""

import zipfile

import pytest
import xmlschema
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.projects.refiqda.write import schema_path
from tests.projects.refiqda.helpers import DATA, project, qdpx, snapshot


def schema(name):
    """The vendored schema, read by xmlschema: a validator independent of the one the exporter runs (libxml2)."""
    return xmlschema.XMLSchema(str(schema_path(name)))


def test_import_qdpx_prints_the_report_and_counts(tmp_path):
    folder = project(tmp_path)
    result = CliRunner().invoke(cli, ["import", str(qdpx("nvivo-style", tmp_path)), "--project", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith('  not imported: <PictureSource guid="{91C70000-0000-4000-8000-000000000001}"')
    assert lines[-1] == (f"nvivo-style.qdpx: 3 codes added, 1 cases added, 1 text sources, 3 excerpts added, "
                         f"3 case attribute values, 3 notes added; 8 file(s) of {folder} written; "
                         "3 item(s) reported above.")


def test_import_qdc_creates_the_project_folder(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(DATA / "codebook.qdc"), "--project", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["codebook.csv", "project.yaml"]
    assert (tmp_path / "new" / "project.yaml").read_text(encoding="utf-8").splitlines()[1:] == [
        "slug: codebook", "title: codebook"]


def test_import_without_project_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(DATA / "codebook.qdc")])
    assert result.exit_code == 2
    assert "add --project DIR" in result.output


def test_export_qdpx_and_qdc(tmp_path):
    out = tmp_path / "h.qdpx"
    result = CliRunner().invoke(cli, ["export", "--format", "qdpx", "--project", str(DATA / "handmade"),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        assert schema("Project").is_valid(archive.read("project.qde").decode("utf-8"))
    assert result.output.splitlines()[-1] == (f"{DATA / 'handmade'}: exported 4 codes, 3 cases, 2 sources, "
                                              f"3 excerpts, 6 notes, 9 files carried to {out}")
    result = CliRunner().invoke(cli, ["export", "--format", "qdc", "--project", str(DATA / "handmade")])
    assert result.exit_code == 0
    xml = result.stdout_bytes.decode("utf-8")
    assert xml.startswith("<?xml") and schema("Codebook").is_valid(xml)
    assert result.stderr == f"{DATA / 'handmade'}: exported 4 codes\n"


def test_export_usage_errors(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--format", "qdc", "--project", str(DATA / "handmade"),
                                      "--out", str(tmp_path / "x.qdpx")])
    assert result.exit_code == 2 and "should end in .qdc" in result.output
    result = CliRunner().invoke(cli, ["export", "--format", "turtle", "--project", str(DATA / "handmade")])
    assert result.exit_code == 2 and "a project folder goes with --format qdpx or qdc" in result.output
    result = CliRunner().invoke(cli, ["import", str(DATA / "handmade" / "codebook.csv"), "--project", str(tmp_path)])
    assert result.exit_code == 2 and "--project goes with a REFI-QDA file" in result.output
    result = CliRunner().invoke(cli, ["export", "--format", "qdpx"])
    assert result.exit_code == 2 and "add --project DIR" in result.output
    result = CliRunner().invoke(cli, ["export", "--format", "qdpx", "--project", str(tmp_path / "missing"),
                                      "--out", str(tmp_path / "x.qdpx")])
    assert result.exit_code == 2 and "no such project folder" in result.output
    assert not (tmp_path / "x.qdpx").exists()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "s"
    assert CliRunner().invoke(cli, ["build", "--store", str(store)]).exit_code == 0
    return store


def test_import_into_the_folder_and_then_the_store(tmp_path, store_dir):
    folder = project(tmp_path)
    result = CliRunner().invoke(cli, ["import", str(qdpx("nvivo-style", tmp_path)), "--project", str(folder),
                                      "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(
        "fictional-refiqda: imported (import 1): codes 3, cases 1, case attributes 3, studies 3, excerpts 3, "
        "mappings 0, triples ")


def test_a_folder_the_store_refuses_is_put_back(tmp_path, store_dir):
    folder = project(tmp_path)
    before = snapshot(folder)
    # the PDF's text source matches no study: its excerpt cites nothing, which the project check refuses
    result = CliRunner().invoke(cli, ["import", str(qdpx("atlas-style", tmp_path)), "--project", str(folder),
                                      "--store", str(store_dir)])
    assert result.exit_code == 1, result.output
    assert 'evidence/refiqda.csv, row 4, column "studies": the row cites nothing' in result.output
    assert f"{folder}: put back as it was before the import of atlas-style.qdpx." in result.output
    assert snapshot(folder) == before
    # the folders the import made (evidence/, sources/) go too: the folder is as it was, not only its files
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["bibliography"]


def test_a_missing_store_is_refused_before_the_folder_is_written(tmp_path):
    folder = project(tmp_path)
    before, stamp = snapshot(folder), folder.stat().st_mtime_ns
    missing = tmp_path / "no-store"
    result = CliRunner().invoke(cli, ["import", str(qdpx("nvivo-style", tmp_path)), "--project", str(folder),
                                      "--store", str(missing)])
    assert result.exit_code == 2, result.output
    assert f"{missing}: no store is here; run: imri-kg build --store {missing}" in result.output
    assert "written" not in result.output and "put back" not in result.output  # nothing was written to undo
    assert snapshot(folder) == before and folder.stat().st_mtime_ns == stamp
    assert not missing.exists()


def test_export_by_the_name_of_a_shipped_example(tmp_path, monkeypatch):
    """From any folder (as a wheel's user is), `--project piat2021` exports the example shipped with imri-kg."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "--format", "qdc", "--project", "piat2021", "--out", "x.qdc"])
    assert result.exit_code == 0, result.output
    assert "exporting the example project shipped with imri-kg" in result.output
    assert schema("Codebook").is_valid(str(tmp_path / "x.qdc"))
    assert "exported 17 codes" in result.output
    result = CliRunner().invoke(cli, ["export", "--format", "qdc", "--project", "piat2031", "--out", "y.qdc"])
    assert result.exit_code == 2
    assert "no such project folder (examples shipped with imri-kg, exported by name: piat2021, piat2022)" in result.output
    assert not (tmp_path / "y.qdc").exists()
