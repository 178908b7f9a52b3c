"""Slices (validation/slices.py) against the whole sheet with reviewers' shapes whose targets are not forwards:
`sh:targetObjectsOf` makes a stored concept a focus node through a stored triple that no record reaches forwards.

Found by a breaker (issue 13, item 1): with one slice the seven mapped themes and impacts that the mixed sheet
names are reported; with slices of one row none is, because a slice holds only what its records reach forwards
(the mappings' owl:annotatedSource triples point at the concepts, not from them). The shape is written for this
test (IRIs under https://w3id.org/imri/test/).
"""

import rdflib

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads
from imri_kg.validation import to_shapes
from tests.conftest import TESTS

MIXED = TESTS / "data" / "sheets" / "coded-evidence-mixed.csv"
T = "https://w3id.org/imri/test/"
MAPPED = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
<{T}MappedShape> a sh:NodeShape ; sh:targetObjectsOf owl:annotatedSource ;
    sh:property [ sh:path <{T}reviewedBy> ; sh:minCount 1 ; sh:message "A mapped concept names its reviewer." ] .
"""
I = "https://w3id.org/imri/"
# The concepts the mixed sheet names that a stored mapping has as its source (found by hand in the sheet's
# theme and impact columns and the knowledge base's mappings).
NAMED_AND_MAPPED = [I + "impact/experiencing-personal-growth-or-wellbeing"] + [I + "theme/" + t for t in (
    "biomedical-vs-recovery-oriented-approach", "information-gaps", "interpersonal-relationships",
    "lack-of-resources", "organizational-and-policy-commitment", "staff-turnover")]


def _focus(kb, slice_rows: int) -> list[str]:
    shapes = to_shapes(rdflib.Graph().parse(data=MAPPED, format="turtle"))
    sheet = read_coding_sheet(MIXED, store=kb, slice_rows=slice_rows)
    return sorted(r.focus for r in check_quads(kb, sheet.records, shapes=shapes).results)


def test_a_target_of_objects_in_the_store_is_found_in_one_slice(kb):
    assert _focus(kb, 10**9) == NAMED_AND_MAPPED


def test_a_target_of_objects_in_the_store_is_found_in_slices_of_one_row(kb):
    assert _focus(kb, 1) == NAMED_AND_MAPPED


GOOD = TESTS / "data" / "sheets" / "coded-evidence-good.csv"  # 3 rows, all conforming


def _named(kb, slice_rows: int) -> list[tuple[str, str]]:
    """A reviewer's shape naming the sheet's last row by sh:targetNode and asking for the text it has."""
    rows = read_coding_sheet(GOOD, store=kb).rows
    last = max(rows, key=rows.get)
    shapes = to_shapes(rdflib.Graph().parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <{T}NamedShape> a sh:NodeShape ; sh:targetNode <{last}> ; sh:property [
            sh:path <https://w3id.org/imri/ontology#text> ; sh:minCount 1 ; sh:message "Give a text." ] .""",
        format="turtle"))
    sheet = read_coding_sheet(GOOD, store=kb, slice_rows=slice_rows)
    return [(r.focus, r.message) for r in check_quads(kb, sheet.records, shapes=shapes).results]


def test_a_target_node_with_its_text_conforms_in_one_slice(kb):
    assert _named(kb, 10**9) == []


def test_a_target_node_with_its_text_conforms_in_slices_of_one_row(kb):
    """Every slice's worker is given the sh:targetNode; in the first slice the node has no triple, so it "lacks"
    its text there, and slices.merged keeps the first slice's results: a false 'Give a text.' (found by a breaker)."""
    assert _named(kb, 1) == []
