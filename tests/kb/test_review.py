"""The review's facts in the graph, checked against Table 5 and Tables 2-3 as printed."""

import re

import pytest

from tests.conftest import select

B = "https://w3id.org/imri/"

# Table 5, read by hand: the themes listed under each innovation group.
TABLE5 = {
    "E-innovations": {"The importance of organizational and policy commitment to recovery-transformation",
                      "Interpersonal relationships"},
    "Family-focused innovations": {"Information gaps about new roles and procedures", "Interpersonal relationships"},
    "Peer workers": {"Traditional biomedical vs. recovery-oriented approach",
                     "The importance of organizational and policy commitment to recovery-transformation",
                     "Information gaps about new roles and procedures", "Interpersonal relationships"},
    "Personal recovery planning": {"Traditional biomedical vs. recovery-oriented approach",
                                   "The importance of organizational and policy commitment to recovery-transformation",
                                   "Staff turnover", "Lack of resources to support personal recovery goals",
                                   "Information gaps about new roles and procedures", "Interpersonal relationships"},
    "Recovery colleges": {"Information gaps about new roles and procedures", "Interpersonal relationships"},
    "Service navigation and coordination": {"Traditional biomedical vs. recovery-oriented approach", "Staff turnover",
                                            "Lack of resources to support personal recovery goals",
                                            "Information gaps about new roles and procedures",
                                            "Interpersonal relationships"},
    "Staff training": {"Traditional biomedical vs. recovery-oriented approach",
                       "The importance of organizational and policy commitment to recovery-transformation",
                       "Staff turnover", "Lack of resources to support personal recovery goals"},
}

CELLS = """
SELECT ?group ?theme ?text ?ex WHERE {
  ?ex a imri:Example ; imri:innovationGroup/skos:prefLabel ?group ; imri:theme/skos:prefLabel ?theme ; imri:text ?text
}"""


def test_table5_themes_per_group(kb):
    found: dict[str, set[str]] = {}
    for r in select(kb, CELLS):
        found.setdefault(r["group"], set()).add(r["theme"])
    assert found == TABLE5
    assert sum(map(len, found.values())) == 25


def test_every_example_is_verbatim_in_table5(kb, review_text):
    texts = [r["text"] for r in select(kb, CELLS)]
    assert len(texts) == 25
    for text in texts:
        assert text in review_text


def test_interpersonal_relationships_spans_six_groups(kb):
    groups = select(kb, f"""SELECT ?g WHERE {{ <{B}theme/interpersonal-relationships> imri:spansGroup/skos:prefLabel ?g }}""")
    assert {r["g"] for r in groups} == set(TABLE5) - {"Staff training"}


def _citations(kb, group, theme):
    return [int(r["n"]) for r in select(kb, """
        SELECT ?n WHERE { ?ex a imri:Example ; imri:innovationGroup/skos:prefLabel ?g ; imri:theme/skos:prefLabel ?t ;
                          imri:citation/imri:referenceNumber ?n }""".replace("?g ;", f'"{group}"@en ;')
                                                                  .replace("?t ;", f'"{theme}"@en ;'))]


def test_peer_workers_information_gaps_citations(kb):
    # "[104, 108] ... [94, 97, 100, 102, 108] ... [97, 108] ... [102, 108]"
    assert sorted(_citations(kb, "Peer workers", "Information gaps about new roles and procedures")) == \
        [94, 97, 100, 102, 104, 108]


def test_staff_training_lack_of_resources_cites_18_and_135(kb):
    assert sorted(_citations(kb, "Staff training", "Lack of resources to support personal recovery goals")) == [18, 135]


def test_every_cell_cites_exactly_the_numbers_printed_in_its_example(kb):
    for r in select(kb, CELLS):
        printed = {int(n) for group in re.findall(r"\[([\d,\s]+)\]", r["text"]) for n in group.split(",")}
        assert set(_citations(kb, r["group"], r["theme"])) == printed, r["ex"]


def test_printed_theme_variant_is_kept(kb):
    rows = select(kb, f"""SELECT ?printed WHERE {{ <{B}evidence/table5/peer-workers/organizational-and-policy-commitment>
                          imri:asPrinted ?printed }}""")
    assert [r["printed"] for r in rows] == [
        "The importance of organizational and policy commitment to recovery transformation"]


def test_thirteen_themes_with_their_cfir_domain(kb):
    rows = select(kb, "SELECT ?t ?d WHERE { ?x a imri:Theme ; skos:prefLabel ?t ; imri:cfirDomain/skos:notation ?d }")
    per_domain: dict[str, int] = {}
    for r in rows:
        per_domain[r["d"]] = per_domain.get(r["d"], 0) + 1
    assert len(rows) == 13
    assert per_domain == {"I": 3, "III": 6, "IV": 2, "V": 2}


@pytest.mark.parametrize(("theme", "codes"), [
    ("biomedical-vs-recovery-oriented-approach", {"III.C", "III.D.6", "III.D.3"}),
    ("organizational-and-policy-commitment", {"III.D.2", "III.E.1", "III.D.1"}),
    ("staff-turnover", {"III.A"}),
    ("lived-experience", {"I.G", "I.C", "I.A"}),
    ("early-and-continuous-engagement", {"V.D", "V.B.2", None}),
])
def test_constructs_coded_to_theme(kb, theme, codes):
    rows = select(kb, f"""SELECT ?code ?label WHERE {{ <{B}theme/{theme}> imri:codedToConstruct ?c .
                          ?c skos:prefLabel ?label OPTIONAL {{ ?c skos:notation ?code }} }}""")
    assert {r["code"] or None for r in rows} == codes


def test_new_constructs_are_marked_as_added_by_the_review(kb):
    rows = select(kb, f"SELECT ?label WHERE {{ ?c imri:addedBy <{B}study/piat2021> ; skos:prefLabel ?label }}")
    assert {r["label"] for r in rows} == {"Relationships", "Engaging with stakeholders"}


@pytest.mark.parametrize(("group", "studies"), [
    ("e-innovations", 6), ("family-focused-innovations", 3), ("peer-workers", 22), ("personal-recovery-planning", 11),
    ("recovery-colleges", 5), ("service-navigation-and-coordination", 7), ("staff-training", 6),
    ("other-perspectives", 10),
])
def test_included_studies_per_group(kb, group, studies):
    rows = select(kb, f"SELECT ?s WHERE {{ ?s a imri:Study ; imri:innovationGroup <{B}group/{group}> }}")
    assert len(rows) == studies


def test_seven_synthesised_groups_and_six_not(kb):
    rows = select(kb, "SELECT ?l ?s WHERE { ?g a imri:InnovationGroup ; skos:prefLabel ?l ; imri:synthesised ?s }")
    assert {r["l"] for r in rows if r["s"] == "true"} == set(TABLE5)
    assert len([r for r in rows if r["s"] == "false"]) == 6


def test_review_citations_are_18_and_85_to_153(kb):
    rows = select(kb, f"SELECT ?n WHERE {{ ?c cito:hasCitingEntity <{B}study/piat2021> ; imri:referenceNumber ?n }}")
    assert sorted(int(r["n"]) for r in rows) == [18, *range(85, 154)]
