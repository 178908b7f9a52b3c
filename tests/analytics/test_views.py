"""The graph views against Table 5, the IMRI framework and a CHIME mapping fixture, all counted by hand."""

from pyoxigraph import NamedNode

from imri_kg.analytics.views import (
    VIEWS,
    nodes_of,
    to_group_similarity,
    to_impact_network,
    to_study_network,
    to_theme_cooccurrence,
    to_theme_group_network,
)
from imri_kg.namespaces import SKOS
from tests.analytics.helpers import (
    GROUPS,
    B,
    add_quads,
    chime_concept,
    extra_example,
    group,
    impact,
    theme,
    without_mappings,
    work,
    writable_kb,
)

# Table 5, read from the seed by hand: the themes of each synthesised group.
TABLE5 = {
    "E": {"commitment", "interpersonal"},
    "Family": {"gaps", "interpersonal"},
    "Peer": {"biomedical", "commitment", "gaps", "interpersonal"},
    "PRP": {"biomedical", "commitment", "turnover", "resources", "gaps", "interpersonal"},
    "RC": {"gaps", "interpersonal"},
    "SNC": {"biomedical", "turnover", "resources", "gaps", "interpersonal"},
    "ST": {"biomedical", "commitment", "turnover", "resources"},
}


def test_theme_group_network_is_table5(kb):
    g = to_theme_group_network(kb)
    assert len(nodes_of(g, "theme")) == 6 and len(nodes_of(g, "group")) == 7
    assert g.number_of_edges() == 25
    for short, themes in TABLE5.items():
        assert set(g[group(short)]) == {theme(t) for t in themes}, short
    assert g.nodes[theme("interpersonal")]["label"] == "Interpersonal relationships"
    assert g.nodes[group("PRP")] | {} == {"label": "Personal recovery planning", "kind": "group", "bipartite": 1,
                                         "number": 4}


def test_each_table5_cell_is_one_evidence_item_with_its_citations(kb):
    g = to_theme_group_network(kb)
    assert {d["weight"] for *_, d in g.edges(data=True)} == {1}
    assert g.edges[theme("interpersonal"), group("Peer")]["citations"] == [98, 99, 102, 105, 106, 108, 114]
    assert g.edges[theme("biomedical"), group("SNC")]["citations"] == [129, 132]
    assert g.edges[theme("resources"), group("ST")]["citations"] == [18, 135]
    assert g.edges[theme("commitment"), group("E")] == {"weight": 1, "citations": [85], "n_citations": 1}


def test_imported_evidence_adds_items_to_an_edge():
    store = writable_kb()
    extra_example(store, slug="rc-gaps", theme_short="gaps", group_short="RC", citations=[125, 128])
    extra_example(store, slug="st-interpersonal", theme_short="interpersonal", group_short="ST", citations=[137])
    g = to_theme_group_network(store)
    assert g.edges[theme("gaps"), group("RC")] == {"weight": 2, "citations": [125, 128], "n_citations": 2}
    assert g.edges[theme("interpersonal"), group("ST")]["weight"] == 1
    assert g.number_of_edges() == 26


def test_impact_network_without_mappings_has_impacts_and_categories():
    g = to_impact_network(without_mappings(writable_kb()))
    assert len(nodes_of(g, "impact")) == 19 and len(nodes_of(g, "category")) == 4
    assert nodes_of(g, "chime") == []
    degrees = {g.nodes[c]["label"]: g.degree(c) for c in nodes_of(g, "category")}
    assert degrees == {"Ways of being": 2, "Ways of interacting": 4, "Ways of thinking": 6,
                       "Ways of operating and doing business": 7}
    by_scope = {s: {n.rsplit("/", 1)[1] for n in nodes_of(g, "impact") if g.nodes[n]["scope"] == s}
                for s in ("process", "both")}
    assert by_scope == {"process": {"empowering-members-and-shifting-power", "increasing-access-to-technology",
                                    "increasing-knowledge-of-implementation-science"},
                        "both": {"confirming-commitment-and-pushing-recovery-forward"}}


def test_impact_network_of_the_shipped_chime_mappings(kb):
    """mappings/imri-impacts-chime.sssom.tsv: the Discussion's five alignments and four curated ones."""
    g = to_impact_network(kb)
    chime = {g.nodes[n]["label"]: sorted(g.nodes[m]["label"] for m in g[n]) for n in nodes_of(g, "chime")}
    growth, aspire = "Experiencing personal growth or wellbeing", "Motivating one to aspire to new roles"
    assert chime == {
        "Connectedness": ["Creating opportunities for building or strengthening relationships"],
        "Empowerment": ["Empowering members and shifting power", growth],
        "Identity": [growth], "Meaning in life": [growth],
        "Hope and optimism about the future": [aspire], "Having dreams and aspirations": [aspire],
        "Being part of the community": [aspire], "Meaningful life and social roles": [aspire],
    }


def test_impact_network_reads_chime_mappings_of_the_discussion():
    """The Discussion's three alignments, added as SKOS mappings the way the crosswalk will state them."""
    store = without_mappings(writable_kb())
    concepts = {"connectedness": "Connectedness", "hope": "Hope and optimism", "identity": "Identity",
                "meaning": "Meaning", "empowerment": "Empowerment"}
    triples = [t for slug, label in concepts.items() for t in chime_concept(slug, label)]
    c = {slug: NamedNode(f"{B}chime/{slug}") for slug in concepts}
    triples += [
        (NamedNode(impact("building-or-strengthening-relationships")), SKOS.closeMatch, c["connectedness"]),
        (NamedNode(impact("motivating-one-to-aspire-to-new-roles")), SKOS.relatedMatch, c["hope"]),
        (NamedNode(impact("experiencing-personal-growth-or-wellbeing")), SKOS.relatedMatch, c["identity"]),
        (NamedNode(impact("experiencing-personal-growth-or-wellbeing")), SKOS.relatedMatch, c["meaning"]),
        # stated from the CHIME side: the impact is then the narrower one
        (c["empowerment"], SKOS.broadMatch, NamedNode(impact("experiencing-personal-growth-or-wellbeing"))),
        # a concept outside a CHIME scheme is not part of this view
        (NamedNode(impact("changing-mindset")), SKOS.exactMatch, NamedNode(f"{B}cfir2009/culture")),
    ]
    add_quads(store, triples)
    g = to_impact_network(store)
    chime = {g.nodes[n]["label"]: sorted(g.nodes[m]["label"] for m in g[n]) for n in nodes_of(g, "chime")}
    assert chime == {
        "Connectedness": ["Creating opportunities for building or strengthening relationships"],
        "Hope and optimism": ["Motivating one to aspire to new roles"],
        "Identity": ["Experiencing personal growth or wellbeing"],
        "Meaning": ["Experiencing personal growth or wellbeing"],
        "Empowerment": ["Experiencing personal growth or wellbeing"],
    }
    growth = impact("experiencing-personal-growth-or-wellbeing")
    assert g.edges[growth, str(c["empowerment"].value)]["relation"] == "skos:narrowMatch"
    assert g.edges[impact("building-or-strengthening-relationships"), c["connectedness"].value]["relation"] == \
        "skos:closeMatch"
    assert g.number_of_nodes() == 19 + 4 + 5 and g.number_of_edges() == 19 + 5


def test_study_network(kb):
    g = to_study_network(kb)
    # Table 2: 85-139 and 18 are the included studies of the seven synthesised groups.
    assert {g.nodes[n]["number"] for n in nodes_of(g, "study")} == {18, *range(85, 140)}
    relations = [d["relation"] for *_, d in g.edges(data=True)]
    # 60 memberships (6+3+22+11+5+7+6), 63 study-theme citations (sum of the cells' citations), 25 cells.
    assert (relations.count("member"), relations.count("cited"), relations.count("evidence")) == (60, 63, 25)
    s133 = work(133)
    assert {n for n in g[s133] if g.nodes[n]["kind"] == "theme"} == {
        theme("resources"), theme("gaps"), theme("interpersonal"), theme("biomedical")}
    assert g.edges[s133, theme("biomedical")]["groups"] == ["Staff training"]
    assert {n for n in g[s133] if g.nodes[n]["kind"] == "group"} == {group("SNC")}
    # [129] is a Recovery colleges study cited for Service navigation's biomedical example.
    assert {n for n in g[work(129)]} == {group("RC"), theme("biomedical")}
    assert set(g[work(115)]) == {group("Peer"), group("PRP"), theme("biomedical"), theme("commitment")}


def test_theme_cooccurrence_counts_shared_groups(kb):
    g = to_theme_cooccurrence(kb)
    assert g.number_of_nodes() == 6
    assert g.number_of_edges() == 15  # Personal recovery planning has all six themes, so every pair co-occurs
    w = {(a, b): g.edges[theme(a), theme(b)]["weight"] for a, b in [
        ("interpersonal", "gaps"), ("interpersonal", "commitment"), ("biomedical", "turnover"),
        ("turnover", "resources"), ("commitment", "turnover"), ("interpersonal", "turnover"),
        ("commitment", "gaps"), ("commitment", "biomedical")]}
    assert w == {("interpersonal", "gaps"): 5, ("interpersonal", "commitment"): 3, ("biomedical", "turnover"): 3,
                 ("turnover", "resources"): 3, ("commitment", "turnover"): 2, ("interpersonal", "turnover"): 2,
                 ("commitment", "gaps"): 2, ("commitment", "biomedical"): 3}
    assert g.edges[theme("interpersonal"), theme("commitment")]["groups"] == [
        "E-innovations", "Peer workers", "Personal recovery planning"]


def test_group_similarity_keeps_every_pair(kb):
    g = to_group_similarity(kb)
    assert g.number_of_nodes() == 7 and g.number_of_edges() == 21
    e = g.edges[group("E"), group("RC")]
    assert (e["jaccard_themes_exact"], e["jaccard_studies_exact"]) == ("1/3", "0")
    assert e["weight"] == e["jaccard_themes"] == 1 / 3
    assert g.edges[group("SNC"), group("ST")]["jaccard_studies_exact"] == "2/11"


def test_views_registry_names_every_view(kb):
    assert list(VIEWS) == ["theme-group", "impact-category-chime", "study-group-theme", "theme-cooccurrence",
                           "group-similarity"]
    assert set(GROUPS) == set(TABLE5)
