"""Network metrics of the graph views: degrees, betweenness, bridging themes, Louvain communities, Jaccard."""

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import networkx as nx

LOUVAIN_SEED = 20210134  # fixed so that the communities are the same on every run (Systematic Reviews 10:134)


@dataclass(frozen=True)
class NodeMetrics:
    node: str
    label: str
    kind: str
    degree: int
    weighted_degree: float
    citation_degree: int
    betweenness: float
    community: int


def degrees(g: nx.Graph, *, weight: str | None = None) -> dict[str, float]:
    """Degree of every node; with `weight`, the sum of that edge attribute (weighted degree)."""
    return dict(g.degree(weight=weight))


def betweenness(g: nx.Graph) -> dict[str, float]:
    """Normalised shortest-path betweenness (unweighted: a path is a chain of evidence links)."""
    return nx.betweenness_centrality(g, normalized=True)


def bridging_themes(g: nx.Graph) -> list[tuple[str, int, list[str]]]:
    """Themes of the theme-group graph by how many innovation groups they span: (theme, n groups, group labels).

    Most groups first; ties by theme label.
    """
    out = []
    for n, kind in g.nodes(data="kind"):
        if kind == "theme":
            groups = sorted(g.nodes[m]["label"] for m in g[n] if g.nodes[m]["kind"] == "group")
            out.append((n, len(groups), groups))
    return sorted(out, key=lambda t: (-t[1], g.nodes[t[0]]["label"]))


def communities(g: nx.Graph, *, seed: int = LOUVAIN_SEED, weight: str = "weight") -> list[set[str]]:
    """Louvain communities with a fixed seed, largest first (ties by their smallest label)."""
    found = nx.community.louvain_communities(g, weight=weight, seed=seed)
    return sorted(found, key=lambda c: (-len(c), min(g.nodes[n]["label"] for n in c)))


def modularity(g: nx.Graph, parts: list[set[str]], *, weight: str = "weight") -> float:
    return nx.community.modularity(g, parts, weight=weight)


def jaccard(a: set, b: set) -> Fraction:
    """|a & b| / |a | b| as an exact fraction (0 when both are empty)."""
    union = a | b
    return Fraction(len(a & b), len(union)) if union else Fraction(0)


def group_jaccard(g: nx.Graph, *, on: str) -> dict[tuple[str, str], Fraction]:
    """Jaccard similarity of every pair of groups of the theme-group graph, on their themes or cited studies.

    Pairs are ordered by group label. `on="studies"` compares the reference numbers cited by each group's evidence.
    """
    if on not in ("themes", "studies"):
        raise ValueError('on must be "themes" or "studies"')
    groups = sorted((n for n, k in g.nodes(data="kind") if k == "group"), key=lambda n: g.nodes[n]["label"])
    sets: dict[str, set] = {}
    for grp in groups:
        if on == "themes":
            sets[grp] = set(g[grp])
        else:
            sets[grp] = {c for t in g[grp] for c in g.edges[grp, t]["citations"]}
    return {(a, b): jaccard(sets[a], sets[b]) for a, b in combinations(groups, 2)}


def node_metrics(g: nx.Graph, *, seed: int = LOUVAIN_SEED) -> list[NodeMetrics]:
    """All node metrics of a view, by kind then label."""
    deg, wdeg, between = degrees(g), degrees(g, weight="weight"), betweenness(g)
    cdeg = degrees(g, weight="n_citations") if any("n_citations" in d for *_, d in g.edges(data=True)) else {}
    membership = {n: i for i, part in enumerate(communities(g, seed=seed)) for n in part}
    out = [NodeMetrics(n, d["label"], d["kind"], deg[n], wdeg[n], int(cdeg.get(n, 0)), between[n], membership[n])
           for n, d in g.nodes(data=True)]
    return sorted(out, key=lambda m: (m.kind, m.label))
