"""Metrics of the theme-group network, each checked against a value worked out by hand from Table 5."""

from fractions import Fraction

import pytest

from imri_kg.analytics.metrics import (
    betweenness,
    bridging_themes,
    communities,
    degrees,
    group_jaccard,
    jaccard,
    modularity,
    node_metrics,
)
from imri_kg.analytics.views import to_theme_group_network
from tests.analytics.helpers import group, theme


@pytest.fixture(scope="module")
def g(kb):
    return to_theme_group_network(kb)


def test_degrees(g):
    deg = degrees(g)
    assert {t: deg[theme(t)] for t in ("interpersonal", "gaps", "biomedical", "commitment", "turnover",
                                        "resources")} == {"interpersonal": 6, "gaps": 5, "biomedical": 4,
                                                          "commitment": 4, "turnover": 3, "resources": 3}
    assert {s: deg[group(s)] for s in ("E", "Family", "Peer", "PRP", "RC", "SNC", "ST")} == {
        "E": 2, "Family": 2, "Peer": 4, "PRP": 6, "RC": 2, "SNC": 5, "ST": 4}


def test_weighted_degrees(g):
    # One evidence item per cell: weighted degree equals degree.
    assert degrees(g, weight="weight") == degrees(g)
    # Counting cited studies instead, summed over each row/column of Table 5 by hand,
    # e.g. Interpersonal: E 2 + Family 1 + Peer 7 + PRP 5 + RC 1 + SNC 2 = 18.
    cited = degrees(g, weight="n_citations")
    assert {t: cited[theme(t)] for t in ("interpersonal", "gaps", "biomedical", "commitment", "turnover",
                                          "resources")} == {"interpersonal": 18, "gaps": 16, "biomedical": 11,
                                                            "commitment": 7, "turnover": 4, "resources": 7}
    assert {s: cited[group(s)] for s in ("E", "Family", "Peer", "PRP", "RC", "SNC", "ST")} == {
        "E": 3, "Family": 3, "Peer": 20, "PRP": 13, "RC": 2, "SNC": 14, "ST": 8}


def test_betweenness_of_e_innovations_and_the_two_degree_two_groups(g):
    """By hand (13 nodes, normalised by (n-1)(n-2)/2 = 66).

    E-innovations lies only on C-E-I (C = commitment, I = interpersonal). Shares of the geodesics through it:
    (C,I) 1/3, (ST,I) 1/10, (ST,Family) 1/19, (ST,RC) 1/19, (C,Family) 1/5, (C,RC) 1/5, (C,SNC) 1/12
    = 233/228. Family (and Recovery colleges) lie on G-Family-I: (G,I) 1/5 and (E,G) 1/7 = 12/35.
    """
    b = betweenness(g)
    assert b[group("E")] == pytest.approx(float(Fraction(233, 228) / 66), abs=1e-12)
    assert b[group("Family")] == pytest.approx(float(Fraction(12, 35) / 66), abs=1e-12)
    assert b[group("RC")] == b[group("Family")]
    assert max(b, key=b.get) == theme("interpersonal")


def test_interpersonal_relationships_bridges_the_most_groups(g):
    ranking = bridging_themes(g)
    assert [(t.rsplit("/", 1)[1], n) for t, n, _ in ranking] == [
        ("interpersonal-relationships", 6), ("information-gaps", 5), ("organizational-and-policy-commitment", 4),
        ("biomedical-vs-recovery-oriented-approach", 4), ("lack-of-resources", 3), ("staff-turnover", 3)]
    assert ranking[0][2] == ["E-innovations", "Family-focused innovations", "Peer workers",
                             "Personal recovery planning", "Recovery colleges", "Service navigation and coordination"]


def test_louvain_communities_with_a_fixed_seed(g):
    parts = communities(g)
    assert parts == communities(g)
    assert parts == [
        {group("PRP"), group("SNC"), group("ST"), theme("biomedical"), theme("turnover"), theme("resources")},
        {group("Family"), group("Peer"), group("RC"), theme("gaps"), theme("interpersonal")},
        {group("E"), theme("commitment")},
    ]
    # Modularity by hand, m = 25: internal edges 9, 6, 1; degree sums 25, 19, 6.
    # Q = 16/25 - (25^2 + 19^2 + 6^2) / 50^2 = 289/1250.
    assert modularity(g, parts) == pytest.approx(289 / 1250, abs=1e-12)


def test_jaccard_on_themes(g):
    j = {(a.rsplit("/", 1)[1], b.rsplit("/", 1)[1]): v for (a, b), v in group_jaccard(g, on="themes").items()}
    assert len(j) == 21
    assert j["e-innovations", "recovery-colleges"] == Fraction(1, 3)
    assert j["family-focused-innovations", "recovery-colleges"] == 1
    assert j["personal-recovery-planning", "service-navigation-and-coordination"] == Fraction(5, 6)
    assert j["e-innovations", "staff-training"] == Fraction(1, 5)
    assert j["family-focused-innovations", "staff-training"] == 0
    assert j["peer-workers", "personal-recovery-planning"] == Fraction(2, 3)
    assert j["peer-workers", "staff-training"] == Fraction(1, 3)


def test_jaccard_on_cited_studies(g):
    j = {(a.rsplit("/", 1)[1], b.rsplit("/", 1)[1]): v for (a, b), v in group_jaccard(g, on="studies").items()}
    # Service navigation cites 110 129-134; Staff training 18 133-136 139: {133, 134} of 11.
    assert j["service-navigation-and-coordination", "staff-training"] == Fraction(2, 11)
    # Peer workers cite 12 studies, Personal recovery planning 7; they share [115].
    assert j["peer-workers", "personal-recovery-planning"] == Fraction(1, 18)
    assert j["peer-workers", "service-navigation-and-coordination"] == 0
    assert sum(1 for v in j.values() if v) == 2


def test_jaccard_edge_cases():
    assert jaccard(set(), set()) == 0
    assert jaccard({1, 2}, {2, 3}) == Fraction(1, 3)
    with pytest.raises(ValueError):
        group_jaccard(None, on="sites")


def test_node_metrics_table(g):
    rows = {m.node: m for m in node_metrics(g)}
    e = rows[group("E")]
    assert (e.label, e.kind, e.degree, e.weighted_degree, e.citation_degree) == ("E-innovations", "group", 2, 2, 3)
    assert rows[theme("commitment")].community == e.community
    assert [m.kind for m in node_metrics(g)] == ["group"] * 7 + ["theme"] * 6
