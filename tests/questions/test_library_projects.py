"""Golden tests of the project questions of the library, answered by hand.

They run on `projects_kb` (tests/conftest.py): the build, which imports the two papers as the projects piat2021 and
piat2022 (examples/), and the fictional school-meals project (tests/data/matrix/school-meals.trig).
Expected rows come from review Table 2 (data/groups.csv, as printed) and Table 5 (TABLE5 in
test_library.py), the IMRI quotes (data/quotes.csv, data/impacts.csv), and the fixture's own triples.
"""

import pytest

from imri_kg.errors import InputError
from imri_kg.questions import library, rows, run
from imri_kg.questions.params import to_bindings
from tests.questions.test_library import BM, IG, IR, LR, OC, ST, TABLE5

B = "https://w3id.org/imri/"
SM = B + "project/school-meals"
R21, R22 = B + "project/piat2021", B + "project/piat2022"


def ask(store, name: str, **values: str) -> list[dict[str, str]]:
    question = library()[name]
    return rows(run(store, question.sparql, bindings=to_bindings(store, question, values)))


def short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_all_evidence_for_one_theme_across_every_group(projects_kb):
    got = ask(projects_kb, "project-evidence-for-code", code=IR, dimension="group")
    assert {r["project"] for r in got} == {R21}
    by_group: dict[str, set[int]] = {}
    for r in got:
        by_group.setdefault(r["caseLabel"], set()).add(int(r["reference"]))
        assert r["citation"] == f"Reference {r['reference']}"  # the seed names no title or author of the works
    assert by_group == {group: refs for (group, theme), refs in TABLE5.items() if theme == IR}
    assert len(got) == 18  # 2 + 1 + 7 + 5 + 1 + 2 (excerpt, study) pairs


def test_all_evidence_for_a_code_counts_its_narrower_codes(projects_kb):
    got = ask(projects_kb, "project-evidence-for-code", code="funding", dimension="school_type")
    assert sorted((short(r["excerpt"]), short(r["study"]), r["doi"]) for r in got) == [
        ("x1", "ochieng2018", "10.5555/sm.1"), ("x2", "mwangi2020", "10.5555/sm.3"),
        ("x2", "ochieng2018", "10.5555/sm.1"), ("x3", "quispe2019", "10.5555/sm.2"),
        ("x6", "mwangi2020", "10.5555/sm.3")]
    assert {r["caseLabel"] for r in got} == {"Primary schools"}


# Review Table 2 as printed (data/groups.csv): ranges expanded by hand.
TABLE2 = {
    "E-innovations": set(range(85, 91)), "Family-focused innovations": {91, 92, 93},
    "Peer workers": set(range(94, 116)), "Personal recovery planning": {109, *range(116, 122), 115, 122, 123, 124},
    "Recovery colleges": set(range(125, 130)),
    "Service navigation and coordination": {104, 130, 131, 110, 132, 133, 134},
    "Staff training": {18, *range(135, 140)},
    "Other: perspectives on implementing recovery-oriented services in general": {115, *range(145, 154)},
}


def test_studies_per_group_is_table_2(projects_kb):
    got = ask(projects_kb, "project-studies-per-case", dimension="group")
    assert {r["caseLabel"]: {int(n) for n in r["references"].split()} for r in got} == TABLE2
    assert {r["caseLabel"]: int(r["studies"]) for r in got}["Peer workers"] == 22


def test_studies_per_case_of_the_fixture(projects_kb):
    got = ask(projects_kb, "project-studies-per-case", project="school-meals")
    assert {(r["caseLabel"], int(r["studies"]), frozenset(r["references"].split())) for r in got} == {
        ("Primary schools", 3, frozenset("123")), ("Secondary schools", 1, frozenset("4")),
        ("Kenya", 2, frozenset("13")), ("Peru", 2, frozenset("24"))}


def test_which_themes_and_groups_a_study_is_cited_for(projects_kb):
    got = ask(projects_kb, "project-codes-and-cases-for-study", study="ref115")
    assert {(r["codeLabel"], r["caseLabel"]) for r in got} == {(BM, "Peer workers"),
                                                              (OC, "Personal recovery planning")}
    got = ask(projects_kb, "project-codes-and-cases-for-study", study="quispe2019")
    assert {(short(r["excerpt"]), r["codeLabel"], r["caseLabel"]) for r in got} == {
        ("x3", "Parent donations", "Primary schools"), ("x3", "Parent donations", "Peru"),
        ("x4", "Pupil acceptance", "Secondary schools"), ("x4", "Pupil acceptance", "Peru")}


def test_impacts_by_stakeholder_group_with_quotes(projects_kb):
    got = ask(projects_kb, "project-excerpts-by-code-and-case")
    assert {r["project"] for r in got} == {R22} and len(got) == 24
    pairs = {(r["codeLabel"], r["caseLabel"]) for r in got}
    # data/quotes.csv: the three WRAP tenants and one peer-support tenant on personal growth; one manager on hesitancy
    assert sum(1 for r in got if (r["codeLabel"], r["caseLabel"]) == (
        "Experiencing personal growth or wellbeing", "Tenants / service users")) == 4
    assert ("Being hesitant about or resistant to change", "Managers") in pairs
    assert any(r["text"].startswith("…it’s helped me in identifying triggers") for r in got)


def test_cfir_constructs_with_no_evidence(projects_kb):
    got = ask(projects_kb, "project-constructs-without-evidence")
    missing = {}
    for r in got:
        missing.setdefault(r["project"], set()).add(short(r["construct"]))
    # the scheme holds 44 concepts (39 constructs and 5 domains); piat2022 maps nothing to CFIR
    assert len(missing[R22]) == 44
    evidenced = {"available-resources", "structural-characteristics", "culture", "tension-for-change",
                 "compatibility", "relative-priority", "learning-climate", "leadership-engagement",
                 "access-to-knowledge-and-information",  # Table 3's mappings of the six Table 5 themes
                 "inner-setting"}  # the CFIR domain the codebook files them under (mappings.csv: exactMatch)
    assert missing[R22] - missing[R21] == evidenced
    assert missing[R22] - missing[SM] == {"available-resources", "patient-needs-and-resources"}
    assert "external-policy-and-incentives" in missing[SM]  # mapped from Government policy, which has no excerpt


def test_empty_theme_group_cells(projects_kb):
    got = ask(projects_kb, "project-empty-cells", project="piat2021")
    themes, groups = {t for _, t in TABLE5}, {g for g, _ in TABLE5}
    assert {(r["caseLabel"], r["codeLabel"]) for r in got} == {
        (g, t) for g in groups for t in themes} - set(TABLE5)
    assert len(got) == 6 * 7 - 25
    got = ask(projects_kb, "project-empty-cells", dimensionName="school_type")
    assert {(r["codeLabel"], r["caseLabel"]) for r in got} == {("Funding", "Secondary schools"),
                                                              ("Pupil acceptance", "Primary schools")}


def test_evidence_citing_a_study_outside_its_group(projects_kb):
    got = ask(projects_kb, "project-evidence-citing-outside-its-case")
    # Table 5 against Table 2: Service navigation's biomedical example cites [129] (Recovery colleges); Staff
    # training's cites [133] and [134] (Service navigation). The fixture's x4 (secondary) cites quispe2019 (primary).
    assert {(r["caseLabel"], r["reference"], r["studyCaseLabel"]) for r in got} == {
        ("Service navigation and coordination", "129", "Recovery colleges"),
        ("Staff training", "133", "Service navigation and coordination"),
        ("Staff training", "134", "Service navigation and coordination"),
        ("Secondary schools", "2", "Primary schools")}


def test_evidence_by_source_and_coder(projects_kb):
    got = ask(projects_kb, "project-evidence-by-source-and-coder")
    assert [(short(r["project"]), r["sourceLabel"], r["coderLabel"], int(r["excerpts"])) for r in got] == [
        ("piat2021", "evidence/table5.csv", "Piat et al. 2021", 25),
        ("piat2022", "evidence/quotes.csv", "Piat et al. 2022", 24),
        ("school-meals", "evidence/round1.csv", "Ana", 3), ("school-meals", "evidence/round2.csv", "Ben", 3)]


def test_the_span_question_one_answer_per_theme(projects_kb):
    got = ask(projects_kb, "project-code-span", project="piat2021")
    assert [(r["codeLabel"], int(r["cases"])) for r in got] == [(IR, 6), (IG, 5), (OC, 4), (BM, 4), (LR, 3),
                                                                (ST, 3)]
    for r in got:
        assert set(r["caseLabels"].split(" | ")) == {g for g, t in TABLE5 if t == r["codeLabel"]}


def test_crosswalk_of_two_reviews(projects_kb):
    got = ask(projects_kb, "crosswalk-constructs-in-two-projects", projectA="piat2021", projectB="school-meals")
    status: dict[str, set[str]] = {}
    for r in got:
        status.setdefault(r["status"], set()).add(short(r["construct"]))
    assert status["both"] == {"available-resources"}
    assert status["first only"] == {"structural-characteristics", "culture", "tension-for-change", "compatibility",
                                    "relative-priority", "learning-climate", "leadership-engagement",
                                    "access-to-knowledge-and-information", "inner-setting"}
    assert status["second only"] == {"patient-needs-and-resources"}
    assert len(status["neither"]) == 44 - 11


def test_a_missing_required_project_is_an_error(projects_kb):
    with pytest.raises(InputError, match="crosswalk-constructs-in-two-projects needs the parameter projectB"):
        ask(projects_kb, "crosswalk-constructs-in-two-projects", projectA="piat2021")
    with pytest.raises(InputError, match='"nope" is not a known ReviewProject; give an IRI, a label or one of: '
                                         "piat2021; piat2022; school-meals."):
        ask(projects_kb, "project-code-span", project="nope")


def test_the_cli_exits_2_on_a_missing_required_parameter():
    from click.testing import CliRunner

    from imri_kg.cli import cli

    result = CliRunner().invoke(cli, ["query", "project-evidence-for-code"])
    assert result.exit_code == 2
    assert "project-evidence-for-code needs the parameter code (Code)" in result.output


def test_a_code_id_two_projects_share_is_resolved_within_the_project_asked_for():
    """With two projects coded with the same ids (a review and its update, or two reviews using T1, T2, ...),
    code=cook-hours with project=school-meals-b was "names more than one Code; give the IRI"."""
    from pyoxigraph import RdfFormat, Store

    from tests.conftest import FIXTURE_PROJECT

    store = Store()
    text = FIXTURE_PROJECT.read_text(encoding="utf-8")
    store.load(text, format=RdfFormat.TRIG)
    store.load(text.replace("school-meals", "school-meals-b"), format=RdfFormat.TRIG)
    got = ask(store, "project-evidence-for-code", code="cook-hours", project="school-meals-b")
    assert {r["project"] for r in got} == {SM + "-b"} and {short(r["excerpt"]) for r in got} == {"x2"}
    with pytest.raises(InputError, match='"cook-hours" names more than one Code'):
        ask(store, "project-evidence-for-code", code="cook-hours")
