"""The text report of an RDF file names each record as RDF writes it: an IRI in angle brackets, a blank node as
_:label (it used to be printed as <_:label>, an IRI that does not exist)."""

from pyoxigraph import Store

from imri_kg.importers.files import check_file
from imri_kg.validation.reports import to_text

SCHEME = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
[] a skos:ConceptScheme .
<https://w3id.org/imri/test/scheme> a skos:ConceptScheme .
"""


def test_a_blank_record_is_named_as_a_blank_node_and_an_iri_in_brackets(tmp_path):
    path = tmp_path / "schemes.ttl"
    path.write_text(SCHEME, encoding="utf-8")
    checked = check_file(Store(), path)
    blank = next(r.focus_nt for r in checked.report.results if r.focus_nt.startswith("_:"))
    headers = [line for line in to_text([checked]).splitlines() if not line.startswith("  ")]
    assert headers == [f"schemes.ttl: {blank}", "schemes.ttl: <https://w3id.org/imri/test/scheme>",
                       "schemes.ttl: 2 records checked: does not conform: 4 violation(s), 0 warning(s) in 2 records."]
