"""The matrix and the project questions on projects imported by the project reader (imri_kg.projects): the review
as examples/piat2021 and the fictional tests/data/projects/hand-hygiene, whose matrix is worked out by hand below."""

import pytest
from pyoxigraph import Store

from imri_kg.matrix import to_matrix
from imri_kg.projects.loading import import_project
from imri_kg.questions import library, rows, run
from imri_kg.questions.params import to_bindings
from tests.conftest import TESTS
from tests.questions.test_library import TABLE5

ROOT = TESTS.parent


@pytest.fixture(scope="module")
def imported(kb) -> Store:
    store = Store()
    store.extend(kb.quads_for_pattern(None, None, None, None))
    # the build holds examples/piat2021 already: importing it again finds nothing to change
    again = import_project(store, ROOT / "examples" / "piat2021")
    assert again.unchanged and not again.written
    assert import_project(store, TESTS / "data" / "projects" / "hand-hygiene").written
    return store


def counts(m) -> dict[tuple[str, str], tuple[int, int]]:
    return {(r.label, c.label): (m.cell(r, c).excerpts, m.cell(r, c).studies)
            for r in m.rows for c in m.cols if m.cell(r, c).excerpts}


def test_table_5_from_the_imported_review(imported):
    m = to_matrix(imported, rows="level:theme", cols="dimension:group", projects=["piat2021"], excerpts=True)
    got = {(c.label, r.label): m.cell(r, c) for r in m.rows for c in m.cols if m.cell(r, c).excerpts}
    assert set(got) == set(TABLE5)
    for key, cell in got.items():
        assert (cell.excerpts, cell.studies) == (1, len(TABLE5[key])), key
        assert {int(s.reference) for s in cell.items[0].studies} == TABLE5[key], key


# tests/data/projects/hand-hygiene/evidence/coded.csv: x1 Executive commitment (under Leadership) | icu, uk | 1;2;
# x2 Ward champions (Leadership) + Feedback | surgical, br | 3, 4; x3 Hand rub access (Resources) | paediatric, icu,
# uk | 5, 6; x4 Staffing levels (Resources) | surgical, br | ben2020; the row without an id: Feedback | icu, uk | one DOI.
def test_hand_hygiene_theme_by_ward(imported):
    m = to_matrix(imported, rows="level:theme", cols="dimension:ward", projects=["hand-hygiene"])
    assert [r.label for r in m.rows] == ["Leadership", "Resources", "Feedback"]
    assert counts(m) == {
        ("Leadership", "Intensive care"): (1, 2), ("Leadership", "Surgical wards"): (1, 2),
        ("Resources", "Intensive care"): (1, 2), ("Resources", "Paediatrics"): (1, 2),
        ("Resources", "Surgical wards"): (1, 1),
        ("Feedback", "Surgical wards"): (1, 2), ("Feedback", "Intensive care"): (1, 1)}


def test_hand_hygiene_theme_by_country(imported):
    m = to_matrix(imported, rows="level:theme", cols="dimension:country", projects=["hand-hygiene"])
    assert counts(m) == {
        ("Leadership", "United Kingdom"): (1, 2), ("Leadership", "Brazil"): (1, 2),
        ("Resources", "United Kingdom"): (1, 2), ("Resources", "Brazil"): (1, 1),
        ("Feedback", "Brazil"): (1, 2), ("Feedback", "United Kingdom"): (1, 1)}


def test_empty_cells_of_hand_hygiene(imported):
    q = library()["project-empty-cells"]
    got = rows(run(imported, q.sparql, bindings=to_bindings(imported, q, {
        "project": "hand-hygiene", "dimensionName": "ward"})))
    assert {(r["codeLabel"], r["caseLabel"]) for r in got} == {("Leadership", "Paediatrics"),
                                                              ("Feedback", "Paediatrics")}
