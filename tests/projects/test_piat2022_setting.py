"""The IMRI study's sites, Table 1, Table 2 and quotes as graph kb holds them (stated by examples/piat2022/views/),
checked against the paper."""

import pytest

from tests.conftest import select

B = "https://w3id.org/imri/"

SITES = """SELECT ?site ?province ?kind ?funding ?type ?status WHERE {
  ?s a imri:Site ; rdfs:label ?site ; imri:province ?province ; imri:serviceKind ?kind ; imri:fundingModel ?funding .
  ?i imri:site ?s ; a imri:RecoveryInnovation ; imri:innovationType/skos:prefLabel ?type ;
     imri:implementationStatus ?status }"""


def test_sites_as_the_methods_describe_them(kb):
    got = {r["site"]: (r["province"], r["kind"], r["funding"], r["type"], r["status"]) for r in select(kb, SITES)}
    h, mh, np, pub = "housing services", "specialised mental health services", "non-profit", "publicly funded"
    assert got == {
        "Québec": ("Québec", h, pub, "Peer workers", "implemented"),
        "Ontario": ("Ontario", h, np, "Staff recovery training", "implemented"),
        "Manitoba 1": ("Manitoba", h, np, "Peer workers", "discontinued"),
        "Manitoba 2": ("Manitoba", h, np, "Staff recovery training", "implemented"),
        "New Brunswick 2": ("New Brunswick", h, np, "Staff recovery training", "implemented"),
        "New Brunswick 1": ("New Brunswick", mh, pub, "Family support group", "implemented"),
        "British Columbia": ("British Columbia", h, np, "Wellness Recovery Action Planning", "implemented"),
    }


DERIVED_SITE_TOTALS = """
SELECT ?site (SUM(?n) - COALESCE(SAMPLE(?elsewhere), 0) AS ?total) WHERE {
  ?c a imri:ParticipantCount ; imri:site/rdfs:label ?site ; imri:participants ?n .
  OPTIONAL { SELECT ?site (SUM(?p) AS ?elsewhere) WHERE {
    ?sh imri:appearsIn/imri:site ?s ; imri:participants ?p ; imri:countedInTotalOf ?other .
    ?s rdfs:label ?site FILTER(?other != ?s) } GROUP BY ?site }
} GROUP BY ?site"""


def test_table1_site_totals_derive_from_the_cells(kb):
    got = {r["site"]: int(r["total"]) for r in select(kb, DERIVED_SITE_TOTALS)}
    assert got == {"Québec": 21, "Ontario": 14, "Manitoba 1": 5, "Manitoba 2": 14, "New Brunswick 2": 6,
                   "New Brunswick 1": 17, "British Columbia": 13}
    assert sum(got.values()) == 90


def test_table1_cells_sum_to_91_before_the_shared_trainer(kb):
    rows = select(kb, "SELECT (SUM(?n) AS ?s) WHERE { ?c a imri:ParticipantCount ; imri:participants ?n }")
    assert int(rows[0]["s"]) == 91


def test_not_applicable_is_distinct_from_zero(kb):
    na = select(kb, "SELECT ?site WHERE { ?c imri:notApplicable true ; imri:site/rdfs:label ?site ; "
                    f"imri:stakeholderGroup <{B}stakeholder-group/housing-proprietors> }}")
    assert len(na) == 6 and "Québec" not in {r["site"] for r in na}
    zero = select(kb, f"SELECT ?n WHERE {{ <{B}participants/manitoba-1/tenants-service-users> imri:participants ?n }}")
    assert [r["n"] for r in zero] == ["0"]


def test_printed_totals_and_footnotes_kept(kb, imri_text):
    rows = select(kb, "SELECT ?printed WHERE { ?t a imri:PrintedTotal ; imri:asPrinted ?printed }")
    assert len(rows) == 7
    for r in rows:
        assert r["printed"] in imri_text
    notes = select(kb, """SELECT ?k ?text WHERE { ?n a imri:TableNote ; imri:asPrinted ?k ; imri:text ?text ;
                            prov:wasDerivedFrom/dcterms:isPartOf/bibo:doi "10.1186/s13033-022-00559-2" }""")
    assert sorted(r["k"] for r in notes) == ["a", "abbreviations", "b", "c"]
    for r in notes:
        assert r["text"] in imri_text


def test_interview_guide(kb, imri_text):
    rows = select(kb, "SELECT ?n ?text WHERE { ?q a imri:InterviewQuestion ; imri:number ?n ; imri:text ?text } ORDER BY ?n")
    assert [r["n"] for r in rows] == ["1", "2", "3", "4", "5"]
    for r in rows:
        assert f"{r['n']}.{r['text']}" in imri_text


def test_quotes_are_verbatim(kb, imri_text):
    rows = select(kb, "SELECT ?text WHERE { ?q a imri:Quote ; imri:text ?text }")
    assert len(rows) == 24
    for r in rows:
        assert r["text"] in imri_text


@pytest.mark.parametrize(("group", "n"), [("Tenants / service users", 8), ("Service providers", 11), ("Managers", 5)])
def test_quotes_per_stakeholder_group(kb, group, n):
    rows = select(kb, f'SELECT ?q WHERE {{ ?q a imri:Quote ; imri:stakeholderGroup/skos:prefLabel "{group}"@en }}')
    assert len(rows) == n


def test_quotes_per_impact(kb):
    rows = select(kb, "SELECT ?i (COUNT(?q) AS ?n) WHERE { ?q a imri:Quote ; imri:impact/skos:prefLabel ?i } GROUP BY ?i")
    got = {r["i"]: int(r["n"]) for r in rows}
    assert got["Experiencing personal growth or wellbeing"] == 7
    assert got["Meeting the needs of service users better"] == 4
    assert sum(got.values()) == 24


def test_quote_sites_only_where_the_text_names_them(kb):
    rows = select(kb, "SELECT ?q ?site WHERE { ?x a imri:Quote ; imri:site/rdfs:label ?site ; imri:asPrinted ?q }")
    assert sorted(r["site"] for r in rows) == ["British Columbia", "Manitoba 2", "Québec", "Québec"]


def test_wrap_tenants_are_attributed_as_printed(kb, imri_text):
    rows = select(kb, """SELECT ?slug ?who WHERE { ?q a imri:Quote ; imri:asPrinted ?who
                           FILTER(STRSTARTS(STR(?q), "https://w3id.org/imri/evidence/quote/wrap-"))
                           BIND(STRAFTER(STR(?q), "/quote/") AS ?slug) } ORDER BY ?who""")
    assert [(r["slug"], r["who"]) for r in rows] == [
        ("wrap-identifying-triggers", "tenant 1"), ("wrap-crisis-plan", "tenant 2"),
        ("wrap-who-i-can-reach-out-to", "tenant 3")]
    assert all(f"({r['who']})" in imri_text for r in rows)
