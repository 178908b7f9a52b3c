"""Uploading a coding sheet: the report by row, and writes only with the server's write token; the templates; a
semicolon sheet; a zipped project folder."""

import csv
import shutil
import zipfile
from pathlib import Path

import openpyxl

from imri_kg.importers.files import import_sheet
from imri_kg.kb.build import build_store
from tests.api.conftest import TOKEN

SHEETS = Path(__file__).resolve().parents[2] / "data" / "sheets"
MIXED = SHEETS / "coded-evidence-mixed.csv"
GOOD = SHEETS / "coded-evidence-good.csv"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
# The rows of coded-evidence-mixed.csv with a problem (tests/data/README.md says what each one breaks).
MIXED_ROWS = [3, 5, 7, 8, 10, 12, 14, 16, 18, 23, 29, 31, 32]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), 'https://w3id.org/imri/graph/import/') }"


def upload(client, path: Path, **form: str):
    with path.open("rb") as f:
        return client.post("/ui/validate", files={"sheet": (path.name, f, "text/csv")}, data=form)


def imported_triples(client) -> int:
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_the_report_is_laid_out_by_row(client):
    r = upload(client, MIXED)
    assert r.status_code == 200
    assert "12 violation(s), 1 warning(s) in 13 rows" in r.text
    assert '"Quebec City" is not a known site; did you mean "Québec"?' in r.text.replace("&quot;", '"')


def test_a_read_only_server_refuses_to_import(client):
    r = upload(client, GOOD, action="import", token="anything")
    assert r.status_code == 403 and "nothing was written" in r.text
    assert imported_triples(client) == 0


def test_import_needs_the_right_token_and_a_conforming_sheet(writable):
    before = imported_triples(writable)
    assert upload(writable, GOOD, action="import", token="wrong").status_code == 401
    assert upload(writable, MIXED, action="import", token=TOKEN).status_code == 422
    assert imported_triples(writable) == before
    r = upload(writable, GOOD, action="import", token=TOKEN)
    assert r.status_code == 200 and "Imported" in r.text, r.text
    added = imported_triples(writable) - before
    assert added == import_sheet(build_store(), GOOD).added  # the page writes what `imri-kg import` writes
    again = upload(writable, GOOD, action="import", token=TOKEN)
    assert "imported before" in again.text and imported_triples(writable) - before == added


def test_an_unknown_file_type_is_refused(client, tmp_path):
    path = tmp_path / "sheet.pdf"
    path.write_bytes(b"%PDF-1.4")
    r = upload(client, path)
    assert r.status_code == 400 and "give a coding sheet" in r.text


def test_the_templates_are_those_of_imri_kg_template(client, tmp_path):
    from imri_kg.importers.coding_sheet import COLUMNS
    from imri_kg.importers.template import to_template_csv

    r = client.get("/ui/validate/template.csv")
    assert r.status_code == 200 and r.text == to_template_csv()
    assert r.headers["content-disposition"] == 'attachment; filename="coding-sheet.csv"'
    r = client.get("/ui/validate/template.xlsx")
    path = tmp_path / "t.xlsx"
    path.write_bytes(r.content)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["coded evidence", "columns"]
    assert [c.value for c in next(book.worksheets[0].iter_rows())] == list(COLUMNS)
    assert client.get("/ui/validate/template.ods").status_code == 404


def test_a_semicolon_sheet_gets_the_report_of_the_comma_one(client, tmp_path):
    path = tmp_path / "coded-evidence-mixed.csv"
    with MIXED.open(encoding="utf-8", newline="") as f, path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=";").writerows(csv.reader(f))
    semicolons, commas = upload(client, path), upload(client, MIXED)
    assert semicolons.status_code == commas.status_code == 200
    assert "12 violation(s), 1 warning(s) in 13 rows" in semicolons.text
    assert semicolons.text == commas.text


def _zipped(folder: Path, archive: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, Path(folder.name) / path.relative_to(folder))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return archive


def test_a_zipped_project_folder_is_checked_as_validate_dir(client, tmp_path):
    r = upload(client, _zipped(EXAMPLES / "piat2021", tmp_path / "piat2021.zip"))
    assert r.status_code == 200
    assert "<strong>piat2021.zip</strong>: piat2021: conforms (" in r.text
    assert "The same report as <code>imri-kg validate DIR</code> prints it" in r.text
    r = upload(client, tmp_path / "piat2021.zip", action="import", token="anything")
    assert r.status_code == 400 and "imri-kg import DIR --store S</code>. Nothing was written." in r.text


def test_a_broken_row_in_a_zipped_project_is_located(client, tmp_path):
    folder = tmp_path / "mini"
    shutil.copytree(EXAMPLES / "piat2021", folder)
    codebook = folder / "codebook.csv"
    lines = codebook.read_text(encoding="utf-8").splitlines(keepends=True)
    header_at = next(i for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#"))
    lines.insert(header_at + 1, lines[header_at + 1])  # the first code twice: a duplicate
    codebook.write_text("".join(lines), encoding="utf-8")
    r = upload(client, _zipped(folder, tmp_path / "mini.zip"))
    assert r.status_code == 200
    assert "does not conform" in r.text
    assert f"<td>codebook.csv</td><td>{header_at + 3}</td>" in r.text


def test_a_climbing_zip_is_refused_with_its_name(client, tmp_path):
    archive = tmp_path / "climb.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.yaml", "title: x\n")
        zf.writestr("../evil.csv", "a\n")
    r = upload(client, archive)
    assert r.status_code == 400
    assert ("climb.zip: member &quot;../evil.csv&quot; has a name that points outside the archive&#x27;s folder; "
            "refused.") in r.text


def test_a_semicolon_csv_validated_through_the_page(page, server_url, tmp_path):
    """In Chromium: the template link is there, and a sheet saved with semicolons gets its report by row."""
    path = tmp_path / "coded-evidence-mixed.csv"
    with MIXED.open(encoding="utf-8", newline="") as f, path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=";").writerows(csv.reader(f))
    page.goto(server_url + "/ui/validate")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV template").click()
    assert download.value.suggested_filename == "coding-sheet.csv"
    page.get_by_label("Sheet, RDF file or zipped project folder").set_input_files(str(path))
    page.get_by_role("button", name="Validate", exact=True).click()
    page.wait_for_selector("#report-h")
    assert "12 violation(s), 1 warning(s) in 13 rows" in page.locator("#result").inner_text()
    rows = page.locator("#result table tbody tr")
    assert rows.count() == 13
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())] == [str(n) for n in MIXED_ROWS]
    assert rows.nth(0).locator("td").nth(1).inner_text() == "theme"
