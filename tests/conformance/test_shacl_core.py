"""The W3C SHACL Core suite (98 tests, tests/conformance/shacl-core/) through the paths users take.

`imri-kg validate` and the web upload call `imri_kg.importers.files.check_file`; `imri-kg import` calls the same
`check_quads` that `check_file` calls. Every test runs through `check_file` with an empty store, and again through
the `imri-kg validate --shapes` command against a built knowledge base (whose records must not leak into the
report). Conforms (SHACL 3.6.1: no result at all) and the multiset of results must equal the expected report.
No test is excused: all 98 pass on both paths.
"""

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

from imri_kg.api.ui import validate as ui_validate
from imri_kg.cli import cli
from imri_kg.cli import evidence as cli_evidence
from imri_kg.importers.files import check_file
from imri_kg.validation import to_shapes
from imri_kg.validation.shapes import Index
from tests.conformance.shacl_suite import Case, got_key, read_cases

CASES = read_cases()
# Tests that do not pass, with the reason. Empty: shacl-rust passes all 98 through check_file.
EXCUSED: dict[str, str] = {}


def test_the_suite_has_its_98_tests_and_213_expected_results():
    assert len(CASES) == 98
    assert sum(sum(c.results.values()) for c in CASES) == 213
    assert sorted(c.name for c in CASES if c.conforms) == [
        "complex/shacl-shacl", "misc/deactivated-001", "property/minCount-002", "property/uniqueLang-002"]


def _report(case: Case, store: Store):
    shapes = to_shapes(case.shapes)
    checked = check_file(store, case.data, shapes=shapes)
    data = Index((q.subject, q.predicate, q.object) for q in checked.quads)
    return checked.report, Counter(got_key(r, data, shapes.index) for r in checked.report.results)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_check_file_gives_the_expected_report(case: Case):
    report, got = _report(case, Store())
    passed = report.shacl_conforms == case.conforms and got == case.results
    assert passed != (case.name in EXCUSED), EXCUSED.get(case.name, "")
    if passed:
        assert len(report.results) == sum(case.results.values())  # one result per expected sh:result


def test_the_cli_and_the_web_upload_call_check_file(monkeypatch, tmp_path):
    """The web page hands an upload to its checker process, which reads and validates it with imports.check_file."""
    import imri_kg.importers.files
    from imri_kg.api import uploads

    assert cli_evidence.check_file is check_file
    assert ui_validate.UploadChecker is uploads.UploadChecker
    calls = []
    monkeypatch.setattr(imri_kg.importers.files, "check_file",
                        lambda store, path, base, document_iri: calls.append((store, path, base, document_iri)))
    status, _ = uploads._check_one("store", "sheet.csv", b"study\n85\n", base="https://w3id.org/imri/")
    assert status == "ok" and [(c[0], c[1].name, c[2], c[3]) for c in calls] == [
        ("store", "sheet.csv", "https://w3id.org/imri/", "https://w3id.org/imri/upload/sheet.csv")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb") / "store"
    done = CliRunner().invoke(cli, ["build", "--store", str(folder)])
    assert done.exit_code == 0, done.output
    return folder


def _plain(r: dict) -> tuple:
    """A result of the JSON report without blank-node labels (which differ between two reads of a file)."""
    return tuple(None if (v or "").startswith("_:") else v
                 for v in (r["focus"], r["path"], r["value"], r["shape"], r["severity"], r["constraint"]))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_imri_kg_validate_gives_the_same_report_next_to_the_knowledge_base(case: Case, built):
    done = CliRunner().invoke(cli, ["validate", str(case.data), "--shapes", str(case.shapes), "--format", "json",
                                    "--store", str(built)])
    assert done.exit_code in (0, 1), done.output
    shown = json.loads(done.stdout)["files"][0]  # stderr may hold a note about the shapes
    report, _ = _report(case, Store())
    assert Counter(_plain(r) for r in shown["results"]) == Counter(_plain(r.to_dict()) for r in report.results)
    assert done.exit_code == (0 if report.conforms else 1)
