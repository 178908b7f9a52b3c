"""Graph views of the knowledge base: SPARQL results (queries/analytics/*.rq) turned into networkx graphs.

Nodes are keyed by IRI and carry `label` and `kind` (theme, group, impact, category, chime, study).

"Evidence items" are the distinct resources that carry both `imri:theme` and `imri:innovationGroup`
(imri:CodedEvidence). In the knowledge base built from the review each Table 5 cell is one imri:Example, so every
theme-group edge has weight 1; evidence imported later for the same pair adds to the weight. The reference
numbers the items cite are kept on the edge as `citations` (sorted, distinct) and counted in `n_citations`.
"""

from collections.abc import Callable
from functools import cache

import networkx as nx
from pyoxigraph import Store

from imri_kg.questions import QUERIES_DIR, Question, read_question, rows, run

ANALYTICS_DIR = QUERIES_DIR / "analytics"


@cache
def question(name: str) -> Question:
    """One of the analytics queries, by file stem."""
    return read_question(ANALYTICS_DIR / f"{name}.rq")


def _select(store: Store, name: str) -> list[dict[str, str]]:
    return rows(run(store, question(name).sparql))


def _numbers(text: str) -> list[int]:
    return sorted({int(n) for n in text.split()})


def to_theme_group_network(store: Store) -> nx.Graph:
    """Bipartite theme <-> innovation group graph; edge `weight` = evidence items, `citations` = cited numbers."""
    g = nx.Graph(name="theme-group")
    for r in _select(store, "theme-group-evidence"):
        g.add_node(r["theme"], label=r["themeLabel"], kind="theme", bipartite=0)
        g.add_node(r["group"], label=r["groupLabel"], kind="group", bipartite=1,
                   number=int(r["groupNumber"]) if r["groupNumber"] else 0)
        citations = _numbers(r["citations"])
        g.add_edge(r["theme"], r["group"], weight=int(r["items"]), citations=citations,
                   n_citations=len(citations))
    return g


def to_impact_network(store: Store) -> nx.Graph:
    """Impact <-> category <-> CHIME graph: category edges from the framework, CHIME edges from SKOS mappings."""
    g = nx.Graph(name="impact-category-chime")
    for r in _select(store, "impact-categories"):
        g.add_node(r["category"], label=r["categoryLabel"], kind="category",
                   order=int(r["categoryOrder"]) if r["categoryOrder"] else 0)
        scope = r["scope"].rsplit("/", 1)[-1]  # empty where the source does not place the impact
        possible = " ".join(iri.rsplit("/", 1)[-1] for iri in r["possibleScopes"].split())
        g.add_node(r["impact"], label=r["impactLabel"], kind="impact", scope=scope, scope_label=r["scopeLabel"],
                   possible_scopes=possible, scope_confidence=r["scopeConfidence"])
        g.add_edge(r["impact"], r["category"], relation="category", weight=1)
    for r in _select(store, "impact-chime-mappings"):
        if r["impact"] not in g:
            continue
        g.add_node(r["concept"], label=r["conceptLabel"], kind="chime", scheme=r["scheme"])
        g.add_edge(r["impact"], r["concept"], relation="skos:" + r["relation"].rsplit("#", 1)[-1], weight=1)
    return g


def to_study_network(store: Store) -> nx.Graph:
    """Study <-> group <-> theme graph.

    Studies are the review's included studies in the synthesised groups plus any work cited by theme evidence.
    Edges: study-group `member` (review Table 2), study-theme `cited` (weight = evidence items citing the study
    for that theme, `groups` = the groups whose evidence cites it) and group-theme `evidence` (as in
    `to_theme_group_network`).
    """
    g = nx.Graph(name="study-group-theme")
    for r in _select(store, "study-groups"):
        g.add_node(r["study"], label=f"[{r['number']}]", kind="study", number=int(r["number"]))
        g.add_node(r["group"], label=r["groupLabel"], kind="group")
        g.add_edge(r["study"], r["group"], relation="member", weight=1)
    for r in _select(store, "study-themes"):
        g.add_node(r["study"], label=f"[{r['number']}]", kind="study", number=int(r["number"]))
        g.add_node(r["theme"], label=r["themeLabel"], kind="theme")
        if not g.has_edge(r["study"], r["theme"]):
            g.add_edge(r["study"], r["theme"], relation="cited", weight=0, groups=[])
        edge = g.edges[r["study"], r["theme"]]
        edge["weight"] += int(r["items"])
        edge["groups"] = sorted({*edge["groups"], r["groupLabel"]})
    themes_groups = to_theme_group_network(store)
    for a, b, data in themes_groups.edges(data=True):
        for n in (a, b):
            if n not in g:
                g.add_node(n, label=themes_groups.nodes[n]["label"], kind=themes_groups.nodes[n]["kind"])
        g.add_edge(a, b, relation="evidence", weight=data["weight"], citations=data["citations"])
    return g


def nodes_of(g: nx.Graph, kind: str) -> list[str]:
    """The nodes of one kind, sorted by label."""
    return sorted((n for n, k in g.nodes(data="kind") if k == kind), key=lambda n: g.nodes[n]["label"])


def to_theme_cooccurrence(store: Store) -> nx.Graph:
    """Themes linked when they occur in the same innovation group; `weight` = number of shared groups."""
    bipartite = to_theme_group_network(store)
    g = nx.Graph(name="theme-cooccurrence")
    themes = nodes_of(bipartite, "theme")
    for t in themes:
        g.add_node(t, **{k: v for k, v in bipartite.nodes[t].items() if k != "bipartite"})
    for i, a in enumerate(themes):
        for b in themes[i + 1:]:
            shared = sorted(set(bipartite[a]) & set(bipartite[b]), key=lambda n: bipartite.nodes[n]["label"])
            if shared:
                g.add_edge(a, b, weight=len(shared), groups=[bipartite.nodes[n]["label"] for n in shared])
    return g


def to_group_similarity(store: Store) -> nx.Graph:
    """Every pair of innovation groups with the Jaccard similarity of their themes and of their cited studies.

    `jaccard_themes` / `jaccard_studies` are floats; `*_exact` keep the fractions as text ("1/3");
    `weight` is the theme similarity. Pairs with nothing in common are kept with 0.
    """
    from imri_kg.analytics.metrics import group_jaccard

    bipartite = to_theme_group_network(store)
    on_themes, on_studies = group_jaccard(bipartite, on="themes"), group_jaccard(bipartite, on="studies")
    g = nx.Graph(name="group-similarity")
    for grp in nodes_of(bipartite, "group"):
        g.add_node(grp, **{k: v for k, v in bipartite.nodes[grp].items() if k != "bipartite"})
    for (a, b), themes in on_themes.items():
        studies = on_studies[a, b]
        g.add_edge(a, b, weight=float(themes), jaccard_themes=float(themes), jaccard_themes_exact=str(themes),
                   jaccard_studies=float(studies), jaccard_studies_exact=str(studies))
    return g


VIEWS: dict[str, Callable[[Store], nx.Graph]] = {
    "theme-group": to_theme_group_network,
    "impact-category-chime": to_impact_network,
    "study-group-theme": to_study_network,
    "theme-cooccurrence": to_theme_cooccurrence,
    "group-similarity": to_group_similarity,
}
