"""Breaker tests (break13g) of SPARQL rules that read forwards with a variable predicate and may read what an
import infers (validation/slices.py, `_readers` and `_Inferred.around`): the sliced check must give the results of
one whole run over the store, the sheet and its inferred triples, less the store's own (validate_records on a list
of the store's quads, as tests/validation/test_revalidate.py compares).

The sheet's one row (fictional) codes theme "Staff turnover" at site "Manitoba 1" (a store node that nothing of
the theme's links to in the knowledge base). D3 starts from any evidence (the knowledge base's three examples of
that theme, stored, and the row), steps to its theme, then along any predicate (the inferred imri:hasEvidence to
the row), to the row's site, and reads the site's triples: depth 3. D2 does the same from the theme: depth 2.
"""

import csv
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Store

from imri_kg.importers.coding_sheet import COLUMNS, read_coding_sheet
from imri_kg.importers.files import check_quads, import_sheet
from imri_kg.validation import Shapes, project_shapes, to_shapes
from imri_kg.validation.records import validate_records

RULES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix imri: <https://w3id.org/imri/ontology#> .
<https://w3id.org/imri/test/D3> a sh:NodeShape ; sh:targetSubjectsOf imri:theme ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "d3" ;
        sh:select "SELECT $this ?value WHERE { $this <https://w3id.org/imri/ontology#theme> ?t . ?t ?p ?row . ?row <https://w3id.org/imri/ontology#site> ?s . ?s ?q ?value FILTER (isLiteral(?value) && CONTAINS(STR(?value), 'Manitoba')) }" ] .
<https://w3id.org/imri/test/D2> a sh:NodeShape ; sh:targetClass imri:Theme ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "d2" ;
        sh:select "SELECT $this ?value WHERE { $this ?p ?row . ?row ?r ?s . ?s ?q ?value FILTER (isLiteral(?value) && CONTAINS(STR(?value), 'Manitoba')) }" ] .
"""
THEME = "https://w3id.org/imri/theme/staff-turnover"
EXAMPLES = [f"https://w3id.org/imri/evidence/table5/{g}/staff-turnover" for g in (
    "personal-recovery-planning", "service-navigation-and-coordination", "staff-training")]


def _sheet(path: Path, site: str = "Manitoba 1", text: str = "Fictional row.") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow({"study": "135", "kind": "example", "theme": "Staff turnover",
                         "innovation_group": "Staff training", "site": site, "text": text, "language": "en",
                         "coder": "B. Coder", "date": "2024-06-01"})
    return path


def _shapes() -> Shapes:
    return Shapes.of([*project_shapes().triples, *to_shapes(rdflib.Graph().parse(data=RULES, format="turtle")).triples])


def _ours(report) -> list[tuple[str, str, str]]:
    return sorted((r.focus, r.value_nt, r.shape.rsplit("/", 1)[-1]) for r in report.results if "/test/" in r.shape)


@pytest.mark.parametrize("prior", [False, True])
@pytest.mark.parametrize("slice_rows", [1, 3, 10**9])
def test_a_depth_3_rule_from_stored_examples_through_the_new_row(kb, tmp_path, slice_rows, prior):
    """FINDING: each of the theme's three stored examples (and the earlier sheet's row) gets D3 twice in the whole run (the site's prefLabel
    "Manitoba 1"@en and its other "Manitoba" literal), once the row is evidence of their theme; the sliced check
    gives none of these 6: the walk from the stored example (`_Inferred.around`) steps into the row, but not
    from the row on to the store node it names (the site), whose triples are then not in the store it runs on."""
    shapes = _shapes()
    store = Store()
    store.extend(kb)
    evidence = list(EXAMPLES)
    if prior:  # a sheet imported before (no site, so that it reaches Manitoba by no path): its row is stored evidence
        done = import_sheet(store, _sheet(tmp_path / "prior.csv", site="", text="Earlier row."))
        assert done.added > 0
        evidence.append(f"https://w3id.org/imri/evidence/coded/{done.checked.sheet.digest[:16]}/2")
    sheet = read_coding_sheet(_sheet(tmp_path / "sheet.csv"), store=store, slice_rows=slice_rows)
    got = check_quads(store, sheet.records, shapes=shapes)
    stored = list(store.quads_for_pattern(None, None, None, None))
    whole = validate_records(stored, [*sheet.quads, *sheet.inferred_quads], shapes=shapes)
    row = f"https://w3id.org/imri/evidence/coded/{sheet.digest[:16]}/2"
    values = sorted({v for _, v, s in _ours(whole) if s == "D3"})
    assert len(values) == 2 and all("Manitoba" in v for v in values)
    expected = sorted([(e, v, "D3") for e in [*evidence, row] for v in values]
                      + [(THEME, v, "D2") for v in values])
    assert _ours(whole) == expected  # the reference, by hand: 4 (5) evidence x 2 literals, and the theme's 2
    assert _ours(got) == expected
    assert got.results == whole.results


NEGATED = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix imri: <https://w3id.org/imri/ontology#> .
<https://w3id.org/imri/test/SiteLabelled> a sh:NodeShape ; sh:targetSubjectsOf imri:theme ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "A row of its theme is at a site without a label." ;
        sh:select "SELECT $this ?value WHERE { $this <https://w3id.org/imri/ontology#theme> ?t . ?t ?p ?value . ?value <https://w3id.org/imri/ontology#site> ?s . FILTER NOT EXISTS { ?s ?q ?l FILTER isLiteral(?l) } }" ] .
"""


@pytest.mark.parametrize("slice_rows", [1, 10**9])
def test_a_negated_depth_3_rule_gives_no_false_violation(kb, tmp_path, slice_rows):
    """FINDING, a wrong verdict: "a row of my theme is at a site without a label" (FILTER NOT EXISTS). The row's
    site, Manitoba 1, has its labels in the store, so the whole run gives nothing: the sheet conforms. The sliced
    check runs the rule for the theme's three stored examples over a store without the site's triples (as above)
    and reports 3 violations: `validate` exits 1 and `import` refuses a sheet that conforms."""
    shapes = Shapes.of([*project_shapes().triples,
                        *to_shapes(rdflib.Graph().parse(data=NEGATED, format="turtle")).triples])
    store = Store()
    store.extend(kb)
    sheet = read_coding_sheet(_sheet(tmp_path / "sheet.csv"), store=store, slice_rows=slice_rows)
    stored = list(store.quads_for_pattern(None, None, None, None))
    whole = validate_records(stored, [*sheet.quads, *sheet.inferred_quads], shapes=shapes)
    assert (whole.conforms, _ours(whole)) == (True, [])
    got = check_quads(store, sheet.records, shapes=shapes)
    assert (got.conforms, _ours(got)) == (True, [])
