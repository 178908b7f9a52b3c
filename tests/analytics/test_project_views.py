"""The project networks (code × case, code co-occurrence, study × code) on the fictional hand-hygiene project,
answered by hand from tests/data/projects/hand-hygiene (studies: refnumber 1-6 = ana2019, ben2020, cruz2021, dahl2022,
eze2023, fox2018):

    x1  Executive commitment           | icu, uk             | ana2019, ben2020
    x2  Ward champions; Feedback        | surgical, br        | cruz2021, dahl2022
    x3  Alcohol rub availability        | paediatric, icu, uk | eze2023, fox2018
    x4  Staffing levels                 | surgical, br        | ben2020
    (no id) Feedback                    | icu, uk             | eze2023
"""

import pytest
from pyoxigraph import Store

from imri_kg.analytics.project_views import to_project_network
from imri_kg.errors import InputError
from imri_kg.projects.loading import import_project
from tests.projects.helpers import HAND_HYGIENE, copy_project, edit, fresh_store

HH = "https://w3id.org/imri/project/hand-hygiene"
COPY = "https://w3id.org/imri/project/hh-copy"
EC, WC, AR, SL, FB = "Executive commitment", "Ward champions", "Alcohol rub availability", "Staffing levels", "Feedback"
ICU, SUR, PAE, UK, BR = "Intensive care", "Surgical wards", "Paediatrics", "United Kingdom", "Brazil"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    s = fresh_store()
    import_project(s, HAND_HYGIENE)
    copy = copy_project(tmp_path_factory.mktemp("copy"))
    edit(copy / "project.yaml", "slug: hand-hygiene", "slug: hh-copy")
    import_project(s, copy)
    return s


def edges(g, *attrs: str) -> dict[frozenset[str], tuple]:
    return {frozenset((g.nodes[a]["label"], g.nodes[b]["label"])): tuple(d[k] for k in attrs)
            for a, b, d in g.edges(data=True)}


def test_code_case_network(store):
    g = to_project_network(store, "code-case", projects=["hand-hygiene"])
    assert g.number_of_nodes() == 10
    assert edges(g, "weight", "studies") == {
        frozenset((EC, ICU)): (1, 2), frozenset((EC, UK)): (1, 2),
        frozenset((WC, SUR)): (1, 2), frozenset((WC, BR)): (1, 2),
        frozenset((FB, SUR)): (1, 2), frozenset((FB, BR)): (1, 2), frozenset((FB, ICU)): (1, 1), frozenset((FB, UK)): (1, 1),
        frozenset((AR, PAE)): (1, 2), frozenset((AR, ICU)): (1, 2), frozenset((AR, UK)): (1, 2),
        frozenset((SL, SUR)): (1, 1), frozenset((SL, BR)): (1, 1)}
    kinds = {d["label"]: (d["kind"], d["group"], d["project"]) for _, d in g.nodes(data=True)}
    assert kinds[FB] == ("code", "theme", HH) and kinds[EC] == ("code", "category", HH)
    assert kinds[ICU] == ("case", "Ward type", HH) and kinds[BR] == ("case", "Country", HH)
    assert dict(g.degree(weight="weight"))[next(n for n, d in g.nodes(data=True) if d["label"] == FB)] == 4


def test_code_cooccurrence_is_coding_on_the_same_excerpt(store):
    g = to_project_network(store, "code-cooccurrence", projects=["hand-hygiene"])
    assert sorted(d["label"] for _, d in g.nodes(data=True)) == [AR, EC, FB, SL, WC]
    assert edges(g, "weight", "excerpts") == {frozenset((WC, FB)): (1, [HH + "/excerpt/x2"])}


def test_study_code_network(store):
    g = to_project_network(store, "study-code", projects=["hand-hygiene"])
    assert g.number_of_nodes() == 11
    assert edges(g, "weight") == {frozenset(p): (1,) for p in [
        ("ana2019", EC), ("ben2020", EC), ("cruz2021", WC), ("cruz2021", FB), ("dahl2022", WC), ("dahl2022", FB),
        ("eze2023", AR), ("fox2018", AR), ("ben2020", SL), ("eze2023", FB)]}


def test_weights_count_excerpts(kb):
    # The IMRI study through the papers' view: four quotes code personal growth for tenants (data/quotes.csv), all
    # citing the study itself.
    g = to_project_network(kb, "code-case", projects=["piat2022"])
    assert edges(g, "weight", "studies")[frozenset(("Experiencing personal growth or wellbeing",
                                                    "Tenants / service users"))] == (4, 1)


def test_the_review_as_a_project_gives_table_5(kb):
    g = to_project_network(kb, "code-case", projects=["piat2021"])
    assert (g.number_of_nodes(), g.number_of_edges()) == (13, 25)  # 6 themes, 7 groups, Table 5's 25 cells
    assert {w for *_, w in g.edges(data="weight")} == {1}


def test_two_projects_never_merge_a_node(store):
    one = to_project_network(store, "code-case", projects=["hand-hygiene"])
    both = to_project_network(store, "code-case", projects=["hand-hygiene", "hh-copy"])
    assert (both.number_of_nodes(), both.number_of_edges()) == (20, 26)  # the same code id in two projects: two nodes
    assert {d["project"] for _, d in both.nodes(data=True)} == {HH, COPY}
    assert set(both.subgraph(one.nodes).edges) == set(one.edges)
    every = to_project_network(store, "study-code")  # default: every project, the papers included
    assert {d["project"].rsplit("/", 1)[-1] for _, d in every.nodes(data=True)} == {
        "hand-hygiene", "hh-copy", "piat2021", "piat2022"}


def test_unknown_project_or_view(store):
    with pytest.raises(InputError, match='"nope" is not a project in the store; projects: hand-hygiene, hh-copy, '
                                         'piat2021, piat2022'):
        to_project_network(store, "code-case", projects=["nope"])
    with pytest.raises(InputError, match='"theme-group" is not a project network'):
        to_project_network(store, "theme-group")
