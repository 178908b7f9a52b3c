"""Imports: all-or-nothing, idempotent, and clear exit-2 errors for files that are not coding sheets."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.importers.files import import_sheet
from imri_kg.kb.build import build_store
from tests.conftest import TESTS, select

SHEETS = TESTS / "data" / "sheets"
GOOD = SHEETS / "coded-evidence-good.csv"
MIXED = SHEETS / "coded-evidence-mixed.csv"


def quads(store):
    return set(store.quads_for_pattern(None, None, None, None))


@pytest.fixture
def store():
    return build_store()


def test_rejected_sheet_leaves_the_store_exactly_as_it_was(store):
    before = quads(store)
    done = import_sheet(store, MIXED)
    assert (done.added, done.already, done.checked.report.conforms) == (0, False, False)
    assert quads(store) == before


def test_import_writes_one_named_graph_with_provenance_and_reimport_adds_nothing(store):
    before = quads(store)
    first = import_sheet(store, GOOD)
    assert first.added > 0 and not first.already
    after = quads(store)
    assert {q.graph_name.value for q in after - before} == {first.graph.value}
    rows = select(store, """SELECT ?row ?coder ?date WHERE { ?ev a imri:Example ; prov:wasGeneratedBy ?import ;
        prov:wasDerivedFrom ?r ; prov:wasAttributedTo/rdfs:label ?coder ; dcterms:date ?date .
        ?r imri:order ?row ; dcterms:isPartOf ?sheet . ?import prov:used ?sheet ; prov:startedAtTime ?t }
        ORDER BY ?row""")
    assert [(r["row"], r["coder"], r["date"]) for r in rows] == [
        ("2", "M. Coder", "2024-03-01"), ("3", "M. Coder", "2024-03-01"), ("4", "M. Coder", "2024-03-01")]
    second = import_sheet(store, GOOD)
    assert (second.added, second.already) == (0, True)
    assert quads(store) == after


def test_imported_evidence_joins_the_theme_spans_group_inference(store):
    import_sheet(store, GOOD)
    rows = select(store, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?theme imri:hasEvidence ?ev }
                            FILTER(CONTAINS(STR(?g), "/graph/import/")) }""")
    assert rows == [{"n": "3"}]


def test_cli_import_into_an_on_disk_store(tmp_path):
    """Each command in its own process, as people run them (an on-disk store is locked by its process)."""
    store_dir = tmp_path / "store"

    def imri_kg(*args):
        return subprocess.run([sys.executable, "-m", "imri_kg", *args, "--store", str(store_dir)],
                              capture_output=True, text=True, timeout=300, check=False)

    assert imri_kg("build").returncode == 0
    rejected = imri_kg("import", str(MIXED))
    assert rejected.returncode == 1
    assert "rejected; nothing was written." in rejected.stderr
    done = imri_kg("import", str(GOOD))
    assert done.returncode == 0, done.stderr
    assert "3 rows checked: all conform; imported 57 triples into" in done.stdout
    again = imri_kg("import", str(GOOD))
    assert again.returncode == 0 and "already imported" in again.stdout


@pytest.mark.parametrize(("name", "message"), [
    ("empty.csv", "empty.csv: is empty; a coding sheet needs a header row"),
    ("header-only.csv", "header-only.csv, row 2: has a header but no rows; add one row per example or quote"),
    ("latin1.csv", "latin1.csv: is not UTF-8 text (byte 105); save the file as UTF-8 CSV."),
    ("missing-columns.csv", "missing-columns.csv, row 1: missing column(s) impact, innovation_group, date;"),
    ("pdf-renamed.csv", "pdf-renamed.csv: is a PDF document, not a coding sheet;"),
    ("pdf-renamed.xlsx", "pdf-renamed.xlsx: is a PDF document, not a coding sheet;"),
])
@pytest.mark.parametrize("command", ["validate", "import"])
def test_bad_files_are_exit_2_errors_without_traceback(name, message, command):
    result = CliRunner().invoke(cli, [command, str(SHEETS / name)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_zip_that_is_not_a_workbook_is_an_exit_2_error(tmp_path):
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert "cannot be read as an Excel workbook" in result.output
