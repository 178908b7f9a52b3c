"""Slices (validation/slices.py) against the whole sheet with a reviewer's shape whose target looks backwards:
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
