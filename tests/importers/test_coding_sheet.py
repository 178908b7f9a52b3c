"""Coding sheets: labels as people write them, and a realistic sheet's exact report."""

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_file
from imri_kg.importers.labels import to_vocabularies
from imri_kg.namespaces import IMRI, RDFS
from imri_kg.validation.reports import to_json, to_text
from tests.conftest import TESTS

SHEETS = TESTS / "data" / "sheets"
MIXED = SHEETS / "coded-evidence-mixed.csv"
BASE = "https://w3id.org/imri/"

# (row, column, severity, message): written by hand from the errors planted in the sheet (tests/data/README.md).
EXPECTED = [
    (3, "theme", "Violation",
     '"Staff turnovr" is not a known theme; did you mean "Staff turnover"? Known themes: imri-kg list themes'),
    (5, "innovation_group", "Violation",
     ('"Peer workrs" is not a known innovation group; did you mean "Peer workers"? '
      "Known innovation groups: imri-kg list groups")),
    (7, "study", "Violation", '"999" is not a reference number that the review cites.'),
    (8, "date", "Violation", 'Give the coding date as one ISO date, like 2024-05-31. (found "03/07/2024")'),
    (10, "coder", "Violation", "Say who coded the evidence (the coder column)."),
    (12, "text", "Violation", "The text must be given, must not be blank, and needs a language tag such as en."),
    (14, "theme", "Violation", "Code the evidence to a theme or to an impact."),
    (16, "kind", "Violation", "The kind must be example or quote."),
    (18, "study", "Violation",
     '"10.9999/unknown" is neither a reference number of the review nor the DOI of a source paper.'),
    (23, "study", "Warning",
     ("The evidence is coded to Staff training, but the study it cites (133) belongs to Service navigation and "
      "coordination; check the innovation group or the citation.")),
    (29, "stakeholder_group", "Violation",
     ('"Service provders" is not a known stakeholder group; did you mean "Service providers" or '
      '"Tenants / service users"?')),
    (31, "site", "Violation",
     '"Quebec City" is not a known site; did you mean "Québec"? Known sites: imri-kg list sites'),
    (32, "language", "Violation",  # "not a tag!": the text is kept untagged, and the language cell is to fix
     ("The text must be given, must not be blank, and needs a language tag such as en. "
      '(found "I suppose I’ve seen in the last year, even in the last 6 mo…")')),
]


@pytest.fixture(scope="module")
def mixed(kb):
    return check_file(kb, MIXED)


def test_realistic_sheet_has_its_exact_report(mixed):
    assert len(mixed.sheet.rows) == 33
    data = json.loads(to_json([mixed]))
    got = sorted((r["row"], r["column"], r["severity"], r["message"]) for r in data["files"][0]["results"])
    assert got == EXPECTED
    assert not mixed.report.conforms


def test_a_bad_language_tag_is_located_in_the_language_column(kb, tmp_path):
    """A language cell that is no language tag ("e n") leaves the row's text untagged, which the shapes report: the
    report names that cell, row 3, column "language" (not "text"); a tagged text's result stays the text's."""
    with (SHEETS / "coded-evidence-good.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[2][rows[0].index("language")] = "e n"  # the second data row: spreadsheet row 3
    path = tmp_path / "tags.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    checked = check_file(kb, path)
    message = ("The text must be given, must not be blank, and needs a language tag such as en. "
               '(found "Service users were excited to use the e-innovations but dis…")')
    results = json.loads(to_json([checked]))["files"][0]["results"]
    assert [(r["row"], r["column"], r["message"]) for r in results] == [(3, "language", message)]
    assert to_text([checked]).startswith(f'tags.csv row 3\n  Violation, column "language": {message}\n')
    r = checked.report.results[0]
    assert checked.sheet.locate(r.focus, r.path, r.shape, '"Service users"@en') == (3, "text")


def test_text_report_groups_by_row(mixed):
    text = to_text([mixed])
    assert text.startswith('coded-evidence-mixed.csv row 3\n  Violation, column "theme": "Staff turnovr" is not')
    assert text.count("coded-evidence-mixed.csv row ") == 13
    assert text.endswith("coded-evidence-mixed.csv: 33 rows checked: does not conform: 12 violation(s), "
                         "1 warning(s) in 13 rows.\n")


def test_labels_are_read_as_people_write_them(kb):
    vocab = to_vocabularies(kb).kinds
    assert vocab["theme"].find("  STAFF   turn-over ") == BASE + "theme/staff-turnover"  # an altLabel, untidy
    assert vocab["theme"].find("staff turnover") == BASE + "theme/staff-turnover"
    assert vocab["theme"].find("Organizational and policy commitment") == \
        BASE + "theme/organizational-and-policy-commitment"
    assert vocab["stakeholder group"].find("tenant") == BASE + "stakeholder-group/tenants-service-users"
    assert vocab["site"].find("québec") == BASE + "site/quebec"
    assert vocab["theme"].find("Staff turnovr") is None
    assert vocab["theme"].suggest("Staff turnovr") == ["Staff turnover"]


def test_a_row_becomes_coded_evidence_with_provenance(kb, tmp_path):
    sheet = tmp_path / "one.csv"
    sheet.write_text("study,theme,impact,innovation_group,text,coder,date,notes\n"
                     "85,Staff turnover,,E-innovations; Peer workers,Staff left.,A. Coder,2024-05-31,checked\n",
                     encoding="utf-8")
    read = read_coding_sheet(sheet, store=kb)
    ev = BASE + f"evidence/coded/{read.digest[:16]}/2"
    triples = {(q.subject.value, q.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1],
                getattr(q.object, "value", "")) for q in read.quads if q.subject.value == ev}
    assert (ev, "citation", BASE + "citation/piat2021/85") in triples
    assert (ev, "innovationGroup", BASE + "group/e-innovations") in triples
    assert (ev, "innovationGroup", BASE + "group/peer-workers") in triples
    assert (ev, "theme", BASE + "theme/staff-turnover") in triples
    assert (ev, "date", "2024-05-31") in triples
    assert (ev, "wasAttributedTo", BASE + "coder/a-coder") in triples
    assert (ev, "wasDerivedFrom", BASE + f"import/{read.digest[:16]}/row/2") in triples
    assert (ev, "wasGeneratedBy", BASE + f"import/{read.digest[:16]}") in triples
    assert {q.graph_name.value for q in read.quads} == {BASE + f"graph/import/{read.digest[:16]}"}


def test_xlsx_and_csv_of_the_same_sheet_read_the_same(kb, tmp_path):
    book = openpyxl.Workbook()
    with MIXED.open(encoding="utf-8", newline="") as f:
        for record in csv.reader(f):
            book.active.append(record)
    path = tmp_path / "mixed.xlsx"
    book.save(path)
    csv_sheet, xlsx_sheet = read_coding_sheet(MIXED, store=kb), read_coding_sheet(path, store=kb)
    assert csv_sheet.digest == xlsx_sheet.digest
    def unlabelled(quads):  # labels name the file, which differs
        return {q for q in quads if q.predicate != RDFS.label}

    assert unlabelled(csv_sheet.quads) == unlabelled(xlsx_sheet.quads)
    assert len(csv_sheet.quads) == len(xlsx_sheet.quads)


def test_cli_validate_exit_codes_and_formats(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["validate", str(MIXED)])
    assert bad.exit_code == 1
    assert 'did you mean "Staff turnover"?' in bad.output
    template = tmp_path / "t.csv"
    assert runner.invoke(cli, ["template", "--out", str(template)]).exit_code == 0
    marked = runner.invoke(cli, ["validate", str(template)])  # its only row, the example, is a comment
    assert marked.exit_code == 2, marked.output
    assert marked.output.endswith("t.csv, row 2: has a header but no rows; add one row per example or quote (a row "
                                  "whose first cell starts with # is a comment, as the template's example row is).\n")
    template.write_text(template.read_text(encoding="utf-8").replace("\n#85,", "\n85,"), encoding="utf-8")
    good = runner.invoke(cli, ["validate", str(template)])
    assert good.exit_code == 0, good.output
    assert good.output.endswith("t.csv: 1 row checked: all conform.\n")  # and, unmarked, a valid row
    js = runner.invoke(cli, ["validate", str(MIXED), "--format", "json"])
    assert json.loads(js.output)["files"][0]["violations"] == 12
    ttl = runner.invoke(cli, ["validate", str(MIXED), "--format", "turtle"])
    assert ttl.exit_code == 1
    import rdflib
    report = rdflib.Graph().parse(data=ttl.output, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(list(report.subjects(rdflib.RDF.type, sh.ValidationReport))) == 1
    assert len(list(report.subjects(rdflib.RDF.type, sh.ValidationResult))) == 13
    assert (None, sh.conforms, rdflib.Literal(False)) in report


def test_cli_validates_rdf_files(tmp_path):
    runner = CliRunner()
    ok = TESTS / "data" / "shapes" / "ok" / "ThemeShape.ttl"
    bad = TESTS / "data" / "shapes" / "bad" / "ThemeShape.ttl"
    assert runner.invoke(cli, ["validate", str(ok)]).exit_code == 0
    result = runner.invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "ThemeShape.ttl: <https://w3id.org/imri/test/theme>\n  Violation, skos:inScheme: A theme must belong" \
        in result.output


def test_template_xlsx_documents_its_columns(tmp_path):
    path = tmp_path / "t.xlsx"
    assert CliRunner().invoke(cli, ["template", "--format", "xlsx", "--out", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:5] == ["study", "kind", "theme", "impact", "innovation_group"]
    assert book.worksheets[0]["A2"].value == "#85"
    assert [r[0] for r in book["columns"].iter_rows(min_row=2, values_only=True)] == header


def test_path_of_unknown_type_is_an_input_error(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(other)])
    assert result.exit_code == 2
    assert "unknown file type" in result.output
    assert Path(other).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_example_row_is_never_imported(tmp_path, kb, fmt):
    from imri_kg.errors import InputError
    from imri_kg.importers.template import write_template

    path = write_template(tmp_path / f"t.{fmt}", fmt=fmt)
    with pytest.raises(InputError) as raised:  # its only row is the example: a sheet with no rows
        read_coding_sheet(path, store=kb)
    assert "has a header but no rows" in str(raised.value)


def test_a_row_whose_first_cell_starts_with_hash_is_a_comment(tmp_path, kb):
    path = tmp_path / "s.csv"
    path.write_text("study,theme,impact,innovation_group,text,coder,date\n"
                    "# 85,Organizational and policy commitment,,E-innovations,a comment row,Ana,2024-01-31\n"
                    "85,Organizational and policy commitment,,E-innovations,a real row,Ana,2024-01-31\n",
                    encoding="utf-8")
    sheet = read_coding_sheet(path, store=kb)
    assert sorted(sheet.rows.values()) == [3]
    assert [q.object.value for q in sheet.quads if q.predicate == IMRI.text] == ["a real row"]


def test_cells_are_written_as_n_triples_and_read_back_exactly(kb, tmp_path):
    """The reader writes N-Triples text itself: quotes, backslashes, line breaks, tabs and control characters are
    escaped (RDF 1.1 N-Triples, ECHAR and UCHAR), and a tag that is not BCP 47 leaves the text untagged."""
    text = 'He said "no"\nthen \\ left\x01\x7f\x0c\tok é ✓'  # (a CSV reader turns a lone \r into \n)
    path = tmp_path / "fictional.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["study", "theme", "impact", "innovation_group", "text", "language", "notes", "coder", "date"])
        writer.writerow(["85", "staff turnover", "", "Peer workers; peer workers", text, "EN-GB", "n", "Ann", "2024-01-05"])
        writer.writerow(["85", "staff turnover", "", "Peer workers", "t", "not a tag!", "", "Ann", "2024-01-06"])
    sheet = read_coding_sheet(path, store=kb)
    values = {(q.subject.value.rsplit("/", 1)[-1], q.predicate.value.rsplit("#", 1)[-1]): q.object
              for q in sheet.quads}
    assert (values[("2", "text")].value, values[("2", "text")].language) == (text, "en-gb")
    assert (values[("3", "text")].value, values[("3", "text")].language) == ("t", None)
    # Two rows, one coder: the agent's two triples once; the group named twice in row 2: once.
    assert sum(q.object.value == "Ann" for q in sheet.quads) == 1
    assert len(sheet.quads) == len(set(sheet.quads)) == sheet.added - len(
        [line for line in sheet.inferred.read_text(encoding="utf-8").splitlines() if line])


def test_a_sheet_with_a_header_and_no_rows_is_an_input_error(kb):
    from imri_kg.errors import InputError

    with pytest.raises(InputError) as raised:
        read_coding_sheet(SHEETS / "header-only.csv", store=kb)
    assert str(raised.value).endswith("header-only.csv, row 2: has a header but no rows; add one row per example "
                                      "or quote (a row whose first cell starts with # is a comment, as the template's "
                                      "example row is).")


def test_a_pickled_sheet_carries_its_quads(kb):
    """The web upload's checker process sends the sheet back pickled; its temporary files stay behind."""
    import pickle

    sheet = read_coding_sheet(SHEETS / "coded-evidence-good.csv", store=kb)
    copy = pickle.loads(pickle.dumps(sheet))
    # Three rows, each one theme and one group: 3 theme hasEvidence + 3 theme spansGroup.
    assert (len(copy.quads), len(copy.inferred_quads)) == (50, 6)
    assert set(copy.quads) == set(sheet.quads) and copy.rows == sheet.rows


def test_the_reader_reports_the_rows_read_every_10000(kb, tmp_path):
    """25,000 rows (the first 25,000 of a sheet of test_store_size.py's valid rows): two calls, at 10,000 and
    20,000; none at the end (the next stage says the reading is done)."""
    from tests.validation.test_store_size import COLUMNS, VALID

    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(25_000):
            study, theme, group = VALID[i % 2]
            writer.writerow({"study": study, "kind": "example", "theme": theme, "innovation_group": group,
                             "text": f"Fictional row {i}.", "language": "en", "coder": "A. Coder"})
    calls = []
    sheet = read_coding_sheet(path, store=kb, progress=lambda *args: calls.append(args))
    assert (calls, len(sheet.rows)) == ([("reading", 10_000), ("reading", 20_000)], 25_000)
