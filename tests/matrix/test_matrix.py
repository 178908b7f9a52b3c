"""The general matrix coding query: review Table 5 and the IMRI quotes by impact category × stakeholder group out of
the papers' projects (examples/piat2021 and piat2022, which every build imports), and the fictional school-meals
project, every cell worked out by hand."""

import pytest
from pyoxigraph import RdfFormat, Store

from imri_kg.errors import InputError
from imri_kg.matrix import parse_axis, to_matrix
from tests.conftest import FIXTURE_PROJECT
from tests.questions.test_library import TABLE5

B = "https://w3id.org/imri/"
SM = B + "project/school-meals/"


def counts(m) -> dict[tuple[str, str], tuple[int, int]]:
    """{(row label, col label): (excerpts, studies)} of the non-empty cells."""
    return {(r.label, c.label): (m.cell(r, c).excerpts, m.cell(r, c).studies)
            for r in m.rows for c in m.cols if m.cell(r, c).excerpts}


@pytest.fixture(scope="module")
def meals() -> Store:
    store = Store()
    store.load(path=FIXTURE_PROJECT, format=RdfFormat.TRIG)
    return store


def test_table_5_comes_out_of_the_general_matrix_cell_for_cell(kb):
    m = to_matrix(kb, rows="level:theme", cols="dimension:group", projects=["piat2021"], excerpts=True)
    assert len(m.rows) == 13 and len(m.cols) == 13  # Table 3's themes; Table 2's 7 synthesised + 6 other groups
    got = {(c.label, r.label): m.cell(r, c) for r in m.rows for c in m.cols if m.cell(r, c).excerpts}
    assert set(got) == set(TABLE5) and len(got) == 25
    for key, cell in got.items():
        assert (cell.excerpts, cell.studies) == (1, len(TABLE5[key])), key
        (excerpt,) = cell.items
        assert [int(s.reference) for s in excerpt.studies] == sorted(TABLE5[key]), key
        for s in excerpt.studies:
            # examples/piat2021/bibliography/references.json: the seed gives no title or authors of the works
            assert s.full_reference == f"Reference {s.reference}" and s.key == f"ref{s.reference}"


def test_table_5_cell_text_and_location(kb):
    m = to_matrix(kb, rows="codes:Staff turnover", cols="cases:Staff training", excerpts=True)
    (cell,) = m.cells.values()
    (excerpt,) = cell.items
    assert excerpt.text.startswith("In one study staff turnover was 21% during the training program [135]")
    assert excerpt.location == "Table 5: inner setting, themes and examples from each innovation group"
    assert [s.reference for s in excerpt.studies] == ["135", "139"]


# data/quotes.csv by stakeholder_group, with each quote's impact looked up in data/impacts.csv for its category:
# ways of being: tenants 4 (residents-discuss, three WRAP tenants), providers 3 (shell, openness, learn), managers 1;
# interacting: tenants 2, managers 1; thinking: providers 3, managers 1; operating: tenants 2, providers 5, managers 2.
QUOTES = {
    ("Ways of being", "Tenants / service users"): 4, ("Ways of being", "Service providers"): 3,
    ("Ways of being", "Managers"): 1,
    ("Ways of interacting", "Tenants / service users"): 2, ("Ways of interacting", "Managers"): 1,
    ("Ways of thinking", "Service providers"): 3, ("Ways of thinking", "Managers"): 1,
    ("Ways of operating and doing business", "Tenants / service users"): 2,
    ("Ways of operating and doing business", "Service providers"): 5,
    ("Ways of operating and doing business", "Managers"): 2,
}


def test_imri_quotes_by_impact_category_and_stakeholder_group(kb):
    m = to_matrix(kb, rows="level:category", cols="dimension:stakeholder-group", excerpts=True)
    assert [r.label for r in m.rows] == ["Ways of being", "Ways of interacting", "Ways of thinking",
                                         "Ways of operating and doing business"]
    assert counts(m) == {k: (n, 1) for k, n in QUOTES.items()}
    assert sum(QUOTES.values()) == 24
    study = m.cells[next(iter(m.cells))].items[0].studies[0]
    assert study.doi_link == "https://doi.org/10.1186/s13033-022-00559-2"
    assert study.full_reference == (
        "Piat M, Wainwright M, Rivest M-P, Sofouli E, von Kirchenheim T, Albert H, Casey R, Labonté L, O'Rourke JJ, "
        "LeBlanc S (2022). The impacts of implementing recovery innovations: a conceptual framework grounded in "
        "qualitative research. International Journal of Mental Health Systems. doi:10.1186/s13033-022-00559-2")


# The school-meals fixture (tests/data/matrix/school-meals.trig): x1 grants|primary,kenya|s1; x2 grants+cook-hours|
# primary,kenya|s1,s3; x3 donations|primary,peru|s2; x4 acceptance|secondary,peru|s4,s2; x5 staff-time+acceptance|
# secondary,peru|s4; x6 donations|primary,kenya|s3. Grants and donations are under funding, cook-hours under staff time.
@pytest.mark.parametrize(("rows", "cols", "expected"), [
    ("level:theme", "dimension:school_type", {
        ("Funding", "Primary schools"): (4, 3), ("Staff time", "Primary schools"): (1, 2),
        ("Staff time", "Secondary schools"): (1, 1), ("Pupil acceptance", "Secondary schools"): (2, 2)}),
    ("level:theme", "dimension:country", {
        ("Funding", "Kenya"): (3, 2), ("Funding", "Peru"): (1, 1), ("Staff time", "Kenya"): (1, 2),
        ("Staff time", "Peru"): (1, 1), ("Pupil acceptance", "Peru"): (2, 2)}),
    ("level:subtheme", "dimension:school_type", {
        ("Grant funding", "Primary schools"): (2, 2), ("Parent donations", "Primary schools"): (2, 2),
        ("Cook hours", "Primary schools"): (1, 2)}),
    ("level:theme", "level:theme", {  # code × code: co-occurrence within an excerpt
        ("Funding", "Funding"): (4, 3), ("Staff time", "Staff time"): (2, 3),
        ("Pupil acceptance", "Pupil acceptance"): (2, 2), ("Funding", "Staff time"): (1, 2),
        ("Staff time", "Funding"): (1, 2), ("Staff time", "Pupil acceptance"): (1, 1),
        ("Pupil acceptance", "Staff time"): (1, 1)}),
    ("dimension:school_type", "dimension:country", {  # case × case
        ("Primary schools", "Kenya"): (3, 2), ("Primary schools", "Peru"): (1, 1),
        ("Secondary schools", "Peru"): (2, 2)}),
    ("codes:grants;Acceptance", "cases:peru;country/kenya", {  # picked by id, alternative label, DIMENSION/ID
        ("Grant funding", "Kenya"): (2, 2), ("Pupil acceptance", "Peru"): (2, 2)}),
])
def test_school_meals_matrices(meals, rows, cols, expected):
    assert counts(to_matrix(meals, rows=rows, cols=cols)) == expected


def test_axes_keep_their_order_and_empty_items(meals):
    m = to_matrix(meals, rows="level:theme", cols="dimension:school_type")
    assert [r.label for r in m.rows] == ["Funding", "Staff time", "Pupil acceptance", "Government policy"]
    assert [c.label for c in m.cols] == ["Primary schools", "Secondary schools"]


def test_cell_excerpts_carry_full_references(meals):
    m = to_matrix(meals, rows="codes:cook-hours", cols="cases:kenya", excerpts=True)
    (cell,) = m.cells.values()
    (excerpt,) = cell.items
    assert excerpt.iri == SM + "excerpt/x2" and excerpt.location == "p. 5"
    assert [(s.key, s.reference, s.year, s.doi_link) for s in excerpt.studies] == [
        ("ochieng2018", "1", "2018", "https://doi.org/10.5555/sm.1"),
        ("mwangi2020", "3", "2020", "https://doi.org/10.5555/sm.3")]
    assert excerpt.studies[1].full_reference == ("Mwangi D, Otieno E (2020). Made-up kitchens of Nakuru. "
                                                 "Test Health Reports. doi:10.5555/sm.3")


def test_projects_are_kept_apart(projects_kb):
    both = to_matrix(projects_kb, rows="level:theme", cols="dimension:school_type")
    assert {r.project for r in both.rows} == {B + "project/piat2021", SM[:-1]}
    only = to_matrix(projects_kb, rows="level:theme", cols="dimension:school_type", projects=["school-meals"])
    assert {r.project for r in only.rows} == {SM[:-1]} and counts(only) == counts(both)
    with pytest.raises(InputError, match="dimension:school_type names nothing in the projects"):
        to_matrix(projects_kb, rows="level:theme", cols="dimension:school_type", projects=["piat2021"])


@pytest.mark.parametrize(("text", "message"), [
    ("theme", "is not an axis"), ("levels:theme", "is not an axis"), ("level:", "is not an axis"),
    ("level:theme;category", "names one level")])
def test_bad_axes(text, message):
    with pytest.raises(InputError, match=message):
        parse_axis(text)


def test_unknown_names_say_what_is_known(meals):
    with pytest.raises(InputError, match="known levels: subtheme, theme"):
        to_matrix(meals, rows="level:themes", cols="dimension:country")
    with pytest.raises(InputError, match="known dimensions: country, school_type"):
        to_matrix(meals, rows="level:theme", cols="dimension:site")
    with pytest.raises(InputError, match='"nope" is not a project in the store; projects: school-meals'):
        to_matrix(meals, rows="level:theme", cols="dimension:country", projects=["nope"])
