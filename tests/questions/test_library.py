"""Golden tests of the reviewer question library: every expected row was read off the seeds by hand.

Sources: Table 5 of Piat et al. 2021 (tests/data/seeds/000_*.txt) for themes, groups and citations; Table 3 for
CFIR codes; Piat et al. 2022 (tests/data/seeds/002_*.txt) Table 1, Table 2, the Methods and the Findings.
"""

import pytest

from imri_kg.errors import InputError
from imri_kg.questions import library, rows, run
from imri_kg.questions.params import is_known_type, to_bindings
from imri_kg.store import DEFAULT_BASE

B = DEFAULT_BASE
IR, IG, BM, OC, ST, LR = ("Interpersonal relationships", "Information gaps about new roles and procedures",
                          "Traditional biomedical vs. recovery-oriented approach",
                          "The importance of organizational and policy commitment to recovery-transformation",
                          "Staff turnover", "Lack of resources to support personal recovery goals")
E, F, P, R, C, S, T = ("E-innovations", "Family-focused innovations", "Peer workers", "Personal recovery planning",
                       "Recovery colleges", "Service navigation and coordination", "Staff training")

# Table 5: the themes reported for each synthesised group, and the studies each cell cites.
TABLE5 = {
    (E, OC): {85}, (E, IR): {85, 88},
    (F, IG): {91, 92}, (F, IR): {93},
    (P, BM): {94, 99, 104, 108, 115}, (P, OC): {94, 99}, (P, IG): {94, 97, 100, 102, 104, 108},
    (P, IR): {98, 99, 102, 105, 106, 108, 114},
    (R, BM): {119}, (R, OC): {115, 119, 124}, (R, ST): {119}, (R, LR): {119}, (R, IG): {119, 122},
    (R, IR): {109, 117, 119, 121, 122},
    (C, IG): {128}, (C, IR): {126},
    (S, BM): {129, 132}, (S, ST): {130}, (S, LR): {130, 132, 133, 134}, (S, IG): {110, 130, 131, 133, 134},
    (S, IR): {130, 133},
    (T, BM): {133, 134, 136}, (T, OC): {135}, (T, ST): {135, 139}, (T, LR): {18, 135},
}


def ask(kb, name: str, **values: str) -> list[dict[str, str]]:
    question = library()[name]
    return rows(run(kb, question.sparql, bindings=to_bindings(kb, question, values)))


def test_the_library_has_at_least_15_documented_questions():
    questions = library()
    assert len(questions) >= 15
    for q in questions.values():
        assert q.title and q.title != q.name and q.description, q.name
        for p in q.params:
            assert is_known_type(p.type), (q.name, p.type)
            assert p.description, (q.name, p.name)
            assert f"?{p.name}" in q.sparql.split("WHERE")[0], f"{q.name}: ?{p.name} must be projected to bind"


def test_every_default_resolves(kb):
    for q in library().values():
        if not any(p.required for p in q.params):
            to_bindings(kb, q, {})


def test_a_missing_required_parameter_is_an_error_not_all(kb):
    required = {q.name: [p.name for p in q.params if p.required] for q in library().values()}
    required = {k: v for k, v in required.items() if v}
    assert required == {"project-evidence-for-code": ["code"], "project-codes-and-cases-for-study": ["study"],
                        "crosswalk-constructs-in-two-projects": ["projectA", "projectB"]}
    for name, params in required.items():
        with pytest.raises(InputError, match=f"{name} needs the parameter {params[0]} "):
            to_bindings(kb, library()[name], {})


def test_themes_by_innovation_group_is_table_5(kb):
    got = {(r["groupLabel"], r["themeLabel"]): int(r["citations"]) for r in ask(kb, "themes-by-innovation-group")}
    assert got == {cell: len(refs) for cell, refs in TABLE5.items()}
    assert len(got) == 25


def test_themes_by_innovation_group_for_one_group(kb):
    got = [(r["themeLabel"], r["citations"]) for r in ask(kb, "themes-by-innovation-group", group="Staff training")]
    assert got == [(LR, "2"), (ST, "2"), (OC, "1"), (BM, "3")]


def test_themes_ranked_by_group_span(kb):
    got = [(r["themeLabel"], int(r["groups"])) for r in ask(kb, "themes-ranked-by-group-span")]
    assert got == [(IR, 6), (IG, 5), (OC, 4), (BM, 4), (LR, 3), (ST, 3)]


@pytest.mark.parametrize(("n", "expected"), [
    (None, [IR, IG, OC, BM]), ("5", [IR, IG]), ("6", [IR]), ("7", []), ("1", [IR, IG, OC, BM, LR, ST])])
def test_cross_cutting_themes(kb, n, expected):
    values = {"minGroups": n} if n else {}
    assert [r["themeLabel"] for r in ask(kb, "cross-cutting-themes", **values)] == expected


def test_no_theme_is_reported_for_only_one_group(kb):
    assert ask(kb, "themes-for-one-group") == []
    got = [(r["themeLabel"], r["groupLabel"]) for r in ask(kb, "themes-for-one-group", span="3")]
    assert got == [(LR, R), (LR, S), (LR, T), (ST, R), (ST, S), (ST, T)]


def test_evidence_for_interpersonal_relationships_in_peer_workers(kb):
    got = ask(kb, "evidence-for-theme-in-group")
    assert [int(r["reference"]) for r in got] == [98, 99, 102, 105, 106, 108, 114]
    assert {r["studyGroupLabel"] for r in got} == {P}
    assert got[0]["example"].startswith("Building good interpersonal relationships between peer workers")
    assert got[0]["evidence"] == B + "evidence/table5/peer-workers/interpersonal-relationships"


def test_evidence_cites_a_study_of_another_group(kb):
    got = ask(kb, "evidence-for-theme-in-group", theme=BM, group=B + "group/staff-training")
    assert [(r["reference"], r["studyGroupLabel"]) for r in got] == [("133", S), ("134", S), ("136", T)]


def test_studies_cited_per_theme(kb):
    expected: dict[str, set[int]] = {}
    for (_, theme), refs in TABLE5.items():
        expected.setdefault(theme, set()).update(refs)
    got: dict[str, set[int]] = {}
    for r in ask(kb, "studies-cited-per-theme"):
        got.setdefault(r["themeLabel"], set()).add(int(r["reference"]))
    assert got == expected
    assert {t: len(refs) for t, refs in got.items()} == {BM: 11, OC: 7, ST: 4, LR: 7, IG: 16, IR: 18}


def test_studies_cited_for_one_theme_with_their_groups(kb):
    got = [(int(r["reference"]), r["studyGroupLabel"]) for r in ask(kb, "studies-cited-per-theme", theme=ST)]
    assert got == [(119, R), (130, S), (135, T), (139, T)]


def test_group_overlap(kb):
    got = {(r["groupALabel"], r["groupBLabel"]): int(r["shared"]) for r in ask(kb, "group-overlap")}
    assert got == {
        (E, F): 1, (E, P): 2, (E, R): 2, (E, C): 1, (E, S): 1, (E, T): 1,
        (F, P): 2, (F, R): 2, (F, C): 2, (F, S): 2,
        (P, R): 4, (P, C): 2, (P, S): 3, (P, T): 2,
        (R, C): 2, (R, S): 5, (R, T): 4,
        (C, S): 2, (S, T): 3,
    }
    top = [(r["groupALabel"], r["groupBLabel"], r["shared"]) for r in ask(kb, "group-overlap", minShared="4")]
    assert top == [(R, S, "5"), (P, R, "4"), (R, T, "4")]


def test_impacts_by_category(kb):
    got = ask(kb, "impacts-by-category")
    assert len(got) == 19
    counts: dict[str, int] = {}
    for r in got:
        counts[r["categoryLabel"]] = counts.get(r["categoryLabel"], 0) + 1
    assert counts == {"Ways of being": 2, "Ways of interacting": 4, "Ways of thinking": 6,
                      "Ways of operating and doing business": 7}
    assert list(counts) == ["Ways of being", "Ways of interacting", "Ways of thinking",
                            "Ways of operating and doing business"]
    being = ask(kb, "impacts-by-category", category="ways of being")
    assert [(r["impactLabel"], r["scopeLabel"]) for r in being] == [
        ("Being hesitant about or resistant to change", "Innovation or Innovation and process"),
        ("Experiencing personal growth or wellbeing", "Innovation or Innovation and process")]


def test_process_only_impacts(kb):
    got = [(r["impactLabel"], r["categoryLabel"]) for r in ask(kb, "impacts-by-scope")]
    assert got == [("Empowering members and shifting power", "Ways of interacting"),
                   ("Increasing access to technology", "Ways of interacting"),
                   ("Increasing appreciation and knowledge of implementation science", "Ways of thinking")]
    assert {r["placement"] for r in ask(kb, "impacts-by-scope")} == {"stated"}
    both = ask(kb, "impacts-by-scope", scope=B + "impact-scope/both")
    assert [(r["impactLabel"], r["placement"]) for r in both][:2] == [
        ("Confirming commitment and pushing recovery forward", "stated"),
        ("Being hesitant about or resistant to change", "possible")]
    assert [r["placement"] for r in both].count("possible") == 15
    innovation = ask(kb, "impacts-by-scope", scope="Innovation")
    assert len(innovation) == 15 and {r["placement"] for r in innovation} == {"possible"}


def test_quotes_by_stakeholder_group(kb):
    got = ask(kb, "quotes-by-stakeholder-group")
    counts: dict[str, int] = {}
    for r in got:
        counts[r["stakeholderGroupLabel"]] = counts.get(r["stakeholderGroupLabel"], 0) + 1
    assert counts == {"Managers": 5, "Service providers": 11, "Tenants / service users": 8}
    managers = ask(kb, "quotes-by-stakeholder-group", stakeholderGroup="Managers")
    assert [r["quote"].rsplit("/", 1)[1] for r in managers] == [
        "accompanied-by-equals", "critically-evaluate-what-we-are-doing", "deeper-relationships",
        "less-punitive-boundaries", "staff-reluctant-at-the-beginning"]


def test_participants_by_site_and_group_is_table_1(kb):
    got = ask(kb, "participants-by-site-and-group")
    assert len(got) == 49
    quebec = {r["stakeholderGroupLabel"]: r["participants"] for r in
              ask(kb, "participants-by-site-and-group", site="Québec")}
    assert quebec == {"Tenants / service users": "6", "Family members": "1", "Service providers": "4",
                      "Managers": "5", "Housing proprietors": "2", "Knowledge users": "1", "Other actors": "2"}
    na = {(r["siteLabel"], r["stakeholderGroupLabel"]) for r in got if r["notApplicable"] == "true"}
    assert na == {(s, "Housing proprietors") for s in ("Ontario", "Manitoba 1", "Manitoba 2", "New Brunswick 1",
                                                        "New Brunswick 2", "British Columbia")}


def test_participant_totals_count_the_shared_trainer_once(kb):
    got = [(r["kind"], r["totalLabel"], r["derived"], r["printed"]) for r in ask(kb, "participant-totals")]
    sites = {"Québec": 21, "Ontario": 14, "Manitoba 1": 5, "Manitoba 2": 14, "New Brunswick 2": 6,
             "New Brunswick 1": 17, "British Columbia": 13}
    groups = {"Tenants / service users": 16, "Family members": 2, "Service providers": 38, "Managers": 21,
              "Housing proprietors": 2, "Knowledge users": 4, "Other actors": 7}
    expected = ([("site", k, str(v), str(v)) for k, v in sorted(sites.items())]
                + [("stakeholder group", k, str(v), str(v)) for k, v in sorted(groups.items())]
                + [("overall", "All sites and groups", "90", "90")])
    assert got == expected


def test_innovations_by_site(kb):
    got = [(r["siteLabel"], r["innovationTypeLabel"], r["status"]) for r in ask(kb, "innovations-by-site")]
    assert got == [("British Columbia", "Wellness Recovery Action Planning", "implemented"),
                   ("Manitoba 1", "Peer workers", "discontinued"),
                   ("Manitoba 2", "Staff recovery training", "implemented"),
                   ("New Brunswick 1", "Family support group", "implemented"),
                   ("New Brunswick 2", "Staff recovery training", "implemented"),
                   ("Ontario", "Staff recovery training", "implemented"),
                   ("Québec", "Peer workers", "implemented")]
    peer = ask(kb, "innovations-by-site", innovationType="peer workers")
    assert [r["siteLabel"] for r in peer] == ["Manitoba 1", "Québec"]


def test_cfir_constructs_per_theme(kb):
    got = ask(kb, "cfir-constructs-per-theme")
    assert len(got) == 23
    engagement = ask(kb, "cfir-constructs-per-theme", theme="Early and continuous engagement with stakeholders")
    assert sorted(r["code"] for r in engagement) == ["", "V.B.2", "V.D"]
    biomedical = ask(kb, "cfir-constructs-per-theme", theme=BM)
    assert sorted(r["code"] for r in biomedical) == ["III.C", "III.D.3", "III.D.6"]
    relationships = ask(kb, "cfir-constructs-per-theme", theme=IR)
    assert [(r["constructLabel"], r["code"]) for r in relationships] == [("Relationships", "")]


def test_themes_per_cfir_domain(kb):
    got = ask(kb, "themes-per-cfir-domain")
    assert {(r["code"], r["themes"]) for r in got} == {("I", "3"), ("III", "6"), ("IV", "2"), ("V", "2")}
    assert len(got) == 13
    process = ask(kb, "themes-per-cfir-domain", domain="Process")
    assert [r["themeLabel"] for r in process] == ["Early and continuous engagement with stakeholders",
                                                  "The importance of planning"]


def test_interview_guide(kb):
    got = ask(kb, "interview-guide")
    assert [r["number"] for r in got] == ["1", "2", "3", "4", "5"]
    assert got[0]["text"] == ("What has been the impact of implementing [name of the innovation] on "
                              "service users/tenants?")
    assert [bool(r["askedOf"]) for r in got] == [False, False, False, False, True]


def test_groups_for_theme(kb):
    got = [(r["groupLabel"], int(r["citations"])) for r in ask(kb, "groups-for-theme")]
    assert got == [(g, len(TABLE5[(g, IR)])) for g in (E, F, P, R, C, S)]
    assert [r["groupLabel"] for r in ask(kb, "groups-for-theme", theme=ST)] == [R, S, T]


def test_text_tables_fit_the_width_they_are_given(kb):
    from imri_kg.questions import run, write_result

    sparql = "SELECT ?iri ?label WHERE { ?iri a imri:Impact ; skos:prefLabel ?label } ORDER BY ?label LIMIT 3"
    wide = write_result(run(kb, sparql), "table").decode().splitlines()
    narrow = write_result(run(kb, sparql), "table", width=80).decode().splitlines()
    assert max(map(len, wide)) > 80 and max(map(len, narrow)) == 80
    assert narrow[2] == "https://w3id.org/imri/impact/being-hes…  Being hesitant about or resistant to c…"
    assert narrow[-1] == "(3 rows)"


def test_every_question_names_the_project_of_its_rows(kb):
    """Every library question takes ?project; the papers' questions answer with the paper's project slug and
    nothing for the other paper (crosswalk-mapping-coverage counts mapping sets, not a project's rows)."""
    for q in library().values():
        if q.name == "crosswalk-mapping-coverage":
            continue
        assert "project" in [p.name for p in q.params] or "projectA" in [p.name for p in q.params], q.name
    got = ask(kb, "themes-by-innovation-group")
    assert {r["project"] for r in got} == {"piat2021"} and len(got) == 25
    assert ask(kb, "themes-by-innovation-group", project="piat2022") == []
    assert {r["project"] for r in ask(kb, "quotes-by-stakeholder-group")} == {"piat2022"}
    assert len(ask(kb, "quotes-by-stakeholder-group", project="piat2022")) == 24
