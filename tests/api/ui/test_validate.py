"""Uploading a coding sheet: the report by row, and writes only with the server's write token."""

from pathlib import Path

from imri_kg.importers.files import import_sheet
from imri_kg.kb.build import build_store
from tests.api.conftest import TOKEN

SHEETS = Path(__file__).resolve().parents[2] / "data" / "sheets"
MIXED = SHEETS / "coded-evidence-mixed.csv"
GOOD = SHEETS / "coded-evidence-good.csv"
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
