"""The matrix and the project questions on projects imported by the project reader (imri_kg.projects): the review
as examples/piat2021 and the fictional tests/data/projects/hand-hygiene, whose matrix is worked out by hand below."""

import pytest
from pyoxigraph import Store

from imri_kg.matrix import to_matrix
from imri_kg.projects.loading import import_project
from imri_kg.questions import library, rows, run
from imri_kg.questions.params import to_bindings
from tests.conftest import TESTS
from tests.projects.helpers import assert_reimport_writes_nothing
from tests.questions.test_library import TABLE5

ROOT = TESTS.parent


@pytest.fixture(scope="module")
def imported(kb) -> Store:
    store = Store()
    store.extend(kb.quads_for_pattern(None, None, None, None))
    # the build holds examples/piat2021 already, its views' triples as graph kb: importing it again writes nothing,
    # so that no fact is counted twice
    assert_reimport_writes_nothing(store, ROOT / "examples" / "piat2021")
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


# Several projects in one matrix: items combine by IRI only, so the same code id or label in two projects stays two
# rows (README.md, "Several projects in one matrix"). hh-copy is hand-hygiene under another slug.
@pytest.fixture(scope="module")
def two(tmp_path_factory) -> Store:
    from tests.projects.helpers import HAND_HYGIENE, copy_project, edit, fresh_store

    store = fresh_store()
    import_project(store, HAND_HYGIENE)
    copy = copy_project(tmp_path_factory.mktemp("copy"))
    edit(copy / "project.yaml", "slug: hand-hygiene", "slug: hh-copy")
    edit(copy / "project.yaml", "title: Hand-hygiene programmes", "title: Copy of hand-hygiene programmes")
    edit(copy / "evidence" / "coded.csv", "x4,T2.2,Surgery,Brazil,ben2020", "x4,T2.2,Surgery,Brazil,ben2020;1")
    import_project(store, copy)
    return store


def test_two_projects_keep_their_rows_and_columns_apart(two):
    m = to_matrix(two, rows="level:theme", cols="dimension:ward", projects=["hand-hygiene", "hh-copy"])
    assert [(r.label, r.project.rsplit("/", 1)[-1]) for r in m.rows] == [
        ("Leadership", "hh-copy"), ("Resources", "hh-copy"), ("Feedback", "hh-copy"),  # by project label: "Copy..."
        ("Leadership", "hand-hygiene"), ("Resources", "hand-hygiene"), ("Feedback", "hand-hygiene")]
    assert len(m.cols) == 6
    by_project = {}
    for (r, c), cell in m.cells.items():
        assert r.split("/project/")[1].split("/")[0] == c.split("/project/")[1].split("/")[0]  # never across projects
        by_project.setdefault(r.split("/project/")[1].split("/")[0], {})[
            (r.rsplit("/", 1)[-1], c.rsplit("/", 1)[-1])] = (cell.excerpts, cell.studies)
    assert by_project["hand-hygiene"] == {
        ("T1", "icu"): (1, 2), ("T1", "surgical"): (1, 2), ("T2", "icu"): (1, 2), ("T2", "paediatric"): (1, 2),
        ("T2", "surgical"): (1, 1), ("T3", "surgical"): (1, 2), ("T3", "icu"): (1, 1)}
    # the copy's x4 cites ben2020 and study 1 (ana2019): Resources × Surgical wards has 2 studies there
    assert by_project["hh-copy"] == {**by_project["hand-hygiene"], ("T2", "surgical"): (1, 2)}


def test_a_label_picks_the_code_of_every_project_asked_for(two):
    m = to_matrix(two, rows="codes:Feedback", cols="dimension:country")
    assert [r.project.rsplit("/", 1)[-1] for r in m.rows] == ["hh-copy", "hand-hygiene"]
    from imri_kg.matrix.writers import to_markdown

    text = to_markdown(m).decode()
    # columns: the copy's Brazil, United Kingdom, then the original's (projects by label, cases by label)
    assert [c.project.rsplit("/", 1)[-1] + ":" + c.label for c in m.cols] == [
        "hh-copy:Brazil", "hh-copy:United Kingdom", "hand-hygiene:Brazil", "hand-hygiene:United Kingdom"]
    assert "| Feedback [Hand-hygiene programmes in hospitals (fictional test review)] |  |  | 1 (2) | 1 (1) |" in text


def test_crosswalk_of_two_imported_reviews(imported):
    """CFIR 2009 constructs with evidence in the review (examples/piat2021, Table 3's mappings of its six Table 5
    themes) and in hand-hygiene (mappings.csv: T1.1 -> III.E.1 leadership engagement, T1.2 -> champions,
    T2.1 -> available resources, T3 -> III.D.5 goals and feedback; each of those codes has an excerpt). The imported
    review also has the domain itself as a code (cfir-III, exactMatch Inner Setting), whose evidence is its themes'."""
    q = library()["crosswalk-constructs-in-two-projects"]
    got = rows(run(imported, q.sparql, bindings=to_bindings(imported, q, {
        "projectA": "piat2021", "projectB": "hand-hygiene"})))
    status: dict[str, set[str]] = {}
    for r in got:
        status.setdefault(r["status"], set()).add(r["construct"].rsplit("/", 1)[-1])
    assert status["both"] == {"available-resources", "leadership-engagement"}
    assert status["first only"] == {"structural-characteristics", "culture", "tension-for-change", "compatibility",
                                    "relative-priority", "learning-climate", "access-to-knowledge-and-information",
                                    "inner-setting"}
    assert status["second only"] == {"champions", "goals-and-feedback"}
    assert len(status["neither"]) == 44 - 12
