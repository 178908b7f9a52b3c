"""Breaker 13h: validating a sheet again once it is imported changes the verdict (README: "Validating a sheet again
after importing it gives the same report"; issue 13, item 1: the report is a function of the store plus the data).

A reviewer's shapes (`imri-kg validate --shapes`) hold a cross-record rule about a node that no row names: at most
25 coded rows per concept scheme, counted through the rows' themes. The knowledge base codes 25 rows to themes of
<scheme/themes>; the sheet's 2 rows (fictional) name two more of its themes: 27. Before the import the scheme's
result is reported (the store alone does not give it) and `validate` exits 1. `imri-kg import` checks the project's
shapes only, so the sheet is imported. Validated again with the same shapes, the data graph (store plus sheet) is
the very same, but the result is now taken for "the store's own" (validation/records.py `_about_new`, and the
`alone` of validation/slices.py: the store alone now holds the sheet) and dropped: the report is empty and
`validate` exits 0 on a sheet it refused a minute earlier.

What a fix should do: when the store already holds the sheet's own graph (the same rows imported before,
`Sliced.own` / `CodingSheet.graph`), "what the store alone gives" is the store without that graph, so that a result
the sheet causes stays the sheet's, before and after its import. The same holds for a SHACL Core result about a
stored node that the sheet changes (second test: a stored record whose coder the sheet names).
"""

import rdflib
from pyoxigraph import RdfFormat, Store, parse

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads, import_sheet
from imri_kg.validation import to_shapes
from tests.validation.test_slice_reference import PREFIXES, T, _rows_sheet
from tests.validation.test_store_size import VALID

SCHEMES = f"""<{T}SchemeLoad25> a sh:NodeShape ; sh:targetClass skos:ConceptScheme ;
    sh:sparql [ sh:message "At most 25 coded rows per scheme; {{?value}} here." ;
        sh:select \"\"\"SELECT $this (COUNT(DISTINCT ?e) AS ?value) WHERE {{
            ?e <https://w3id.org/imri/ontology#theme> ?t . ?t <http://www.w3.org/2004/02/skos/core#inScheme> $this }}
            GROUP BY $this HAVING (COUNT(DISTINCT ?e) > 25)\"\"\" ] ."""
EXPECTED = [("https://w3id.org/imri/scheme/themes", "27", "At most 25 coded rows per scheme; 27 here.")]


def _shapes(text: str):
    return to_shapes(rdflib.Graph().parse(data=PREFIXES + text, format="turtle"))


def _found(store, path, shapes) -> list[tuple]:
    sheet = read_coding_sheet(path, store=store)
    return sorted((r.focus, r.value, r.message) for r in check_quads(store, sheet.records, shapes=shapes).results)


def test_a_scheme_rule_the_sheet_breaks_is_reported_again_after_its_import(kb, tmp_path):
    store = Store()
    store.extend(kb)
    path = _rows_sheet(tmp_path / "sheet.csv", [(*VALID[i], "E. Coder") for i in range(2)])
    shapes = _shapes(SCHEMES)
    assert _found(store, path, shapes) == EXPECTED  # before: exit 1
    done = import_sheet(store, path)  # the project's shapes: conforms, written
    assert (done.checked.report.conforms, done.already, done.added > 0) == (True, False, True)
    assert _found(store, path, shapes) == EXPECTED  # on main: [] (exit 0)


# Coders are pseudonymous (test_slice_reference.py's shape): a record attributed to a coder with a name breaks it.
PSEUDONYMOUS = f"""<{T}Pseudonymous> a sh:NodeShape ; sh:targetSubjectsOf prov:wasAttributedTo ;
    sh:property [ sh:path prov:wasAttributedTo ; sh:node <{T}Unnamed> ; sh:message "Coders are not named." ] .
<{T}Unnamed> a sh:NodeShape ; sh:property [ sh:path rdfs:label ; sh:maxCount 0 ] ."""


def test_a_stored_record_the_sheet_breaks_is_reported_again_after_its_import(kb, tmp_path):
    """The store holds a record (RDF) attributed to <coder/f-coder>, of which it has no other triple. The sheet's
    row by "F. Coder" gives that coder its label: the stored record now breaks the shape, next to the row. After the
    import the stored record's result is dropped as the store's own (the row's stays)."""
    store = Store()
    store.extend(kb)
    store.extend(parse(f"""<{T}old> a <https://w3id.org/imri/ontology#Example> ;
        <http://www.w3.org/ns/prov#wasAttributedTo> <https://w3id.org/imri/coder/f-coder> .""",
                       format=RdfFormat.TURTLE))
    path = _rows_sheet(tmp_path / "sheet.csv", [(*VALID[0], "F. Coder")])
    row = next(iter(read_coding_sheet(path, store=store).rows))
    coder = "https://w3id.org/imri/coder/f-coder"
    expected = sorted([(row, coder, "Coders are not named."), (f"{T}old", coder, "Coders are not named.")])
    shapes = _shapes(PSEUDONYMOUS)
    assert _found(store, path, shapes) == expected
    done = import_sheet(store, path)
    assert (done.checked.report.conforms, done.added > 0) == (True, True)
    assert _found(store, path, shapes) == expected  # on main: the row's result only
