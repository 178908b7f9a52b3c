"""Breaker 13h, a check that held: a reviewer's SHACL Core shapes that compare a row's values with each other
(sh:disjoint, sh:uniqueLang over an alternative path), count qualified values (sh:qualifiedValueShape) and look
into a stored node (sh:node on the row's theme) give pySHACL's report on the store plus the sheet, whatever the
slice size (issue 13, item 1). Added as coverage: these parameters were not among the earlier breakers' cases.

The sheet (6 fictional rows) alternates the two VALID codings of test_store_size.py: even rows Staff turnover /
Staff training, odd rows the long-labelled organisational-commitment theme / E-innovations. Rows 0 and 3 (by
index) repeat their text as notes, rows 1 and 4 have a different note, rows 2 and 5 none. By hand: disjoint 2
(rows 0, 3), uniqueLang 2 (rows 1, 4: text and note both @en; in rows 0 and 3 they are one literal, one value of
the path), qualified 3 (odd rows), long theme label 3 (odd rows): 10 results.
"""

import csv
from collections import Counter

import pytest
import rdflib

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads
from imri_kg.validation import to_shapes
from imri_kg.validation.records import validate_records
from tests.validation.test_slice_reference import PREFIXES, T
from tests.validation.test_store_size import COLUMNS, VALID, WHOLE

SHAPES = f"""<{T}RowValues> a sh:NodeShape ; sh:targetSubjectsOf imri:text ;
    sh:property [ sh:path imri:text ; sh:disjoint skos:note ; sh:message "The notes repeat the text." ] ;
    sh:property [ sh:path [ sh:alternativePath ( imri:text skos:note ) ] ; sh:uniqueLang true ;
                  sh:message "Text and notes share a language." ] ;
    sh:property [ sh:path imri:innovationGroup ; sh:qualifiedMaxCount 0 ;
                  sh:qualifiedValueShape [ sh:hasValue <https://w3id.org/imri/group/e-innovations> ] ;
                  sh:message "No e-innovations here." ] ;
    sh:property [ sh:path imri:theme ; sh:node <{T}ShortLabel> ; sh:message "The theme's label is long." ] .
<{T}ShortLabel> a sh:NodeShape ; sh:property [ sh:path skos:prefLabel ; sh:maxLength 40 ] ."""
COUNTS = {"The notes repeat the text.": 2, "Text and notes share a language.": 2, "No e-innovations here.": 3,
          "The theme's label is long.": 3}


def _sheet(path):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(6):
            study, theme, group = VALID[i % 2]
            text = f"Fictional row {i}."
            writer.writerow({"study": study, "kind": "example", "theme": theme, "innovation_group": group,
                             "text": text, "language": "en", "coder": "E. Coder", "date": "2024-06-01",
                             "notes": {0: text, 1: "A note."}.get(i % 3, "")})
    return path


def _found(report) -> list[tuple]:
    return sorted((r.focus, r.path_text or "", r.value or "", r.message) for r in report.results)


@pytest.fixture(scope="module")
def reference(small, tmp_path_factory):
    path = _sheet(tmp_path_factory.mktemp("core") / "sheet.csv")
    shapes = to_shapes(rdflib.Graph().parse(data=PREFIXES + SHAPES, format="turtle"))
    sheet = read_coding_sheet(path, store=small)
    found = _found(validate_records(small, sheet.quads, shapes=shapes, engine="pyshacl"))
    assert Counter(m for *_, m in found) == COUNTS
    return path, shapes, found


@pytest.mark.parametrize("slice_rows", [1, 4, WHOLE])
def test_row_value_checks_are_pyshacls_at_any_slice_size(small, reference, slice_rows):
    path, shapes, expected = reference
    sheet = read_coding_sheet(path, store=small, slice_rows=slice_rows)
    assert _found(check_quads(small, sheet.records, shapes=shapes)) == expected
