"""Networks of review projects (any project, the papers' included): code × case, code co-occurrence and study × code.

They read only the generic project shape of examples/README.md (imri:CodedExcerpt with imri:code, imri:case and
cito:cites), through queries/analytics/project-excerpt-links.rq, so they work on a reviewer's own project as on the
papers (the projects piat2021 and piat2022 of every build). Nodes are keyed by IRI, so
the codes and cases of two projects are never merged, and carry `label`, `kind` (code, case, study), `group` (the
code's level or the case's dimension) and `project`. Every edge's `weight` is the number of distinct excerpts behind
it; `studies` (code × case) is the number of distinct studies those excerpts cite. An excerpt links the codes it is
coded with, not their parents.
"""

from collections.abc import Callable
from itertools import combinations

import networkx as nx
from pyoxigraph import Store

from imri_kg.analytics.views import ANALYTICS_DIR
from imri_kg.errors import InputError
from imri_kg.matrix.query import to_project_iris
from imri_kg.matrix.sparql import select
from imri_kg.store import DEFAULT_BASE

_VALUES = "VALUES ?project { }"


class _Links:
    """Per excerpt: its codes, cases and studies; per node: its attributes."""

    def __init__(self) -> None:
        self.of: dict[str, dict[str, set[str]]] = {}
        self.nodes: dict[str, dict[str, str]] = {}

    def add(self, r: dict[str, str]) -> None:
        kinds = self.of.setdefault(r["excerpt"], {"code": set(), "case": set(), "study": set()})
        kinds[r["kind"]].add(r["node"])
        attrs = {"label": r["label"], "kind": r["kind"], "group": r["group"], "project": r["project"],
                 "project_label": r["projectLabel"]}
        old = self.nodes.get(r["node"])
        if old is None or (attrs["label"], attrs["group"]) < (old["label"], old["group"]):  # one, whatever the order
            self.nodes[r["node"]] = attrs

    def node(self, g: nx.Graph, iri: str) -> None:
        g.add_node(iri, **self.nodes[iri])


def read_links(store: Store, *, projects: list[str] | None = None, base: str = DEFAULT_BASE) -> _Links:
    """The excerpts of `projects` (slugs or IRIs; None or empty: every project) and what each links; InputError
    naming the known projects when one is unknown."""
    stores = [store]
    wanted = to_project_iris(stores, list(projects or []), base=base)
    sparql = (ANALYTICS_DIR / "project-excerpt-links.rq").read_text(encoding="utf-8")
    block = "" if wanted is None else "VALUES ?project { " + " ".join(str(p) for p in wanted) + " }"
    sparql = sparql.replace(_VALUES, block, 1)
    links = _Links()
    for s in stores:
        for r in select(s, sparql):
            links.add(r)
    return links


def _weigh(g: nx.Graph, a: str, b: str, excerpt: str, studies: set[str] | None = None) -> None:
    if not g.has_edge(a, b):
        g.add_edge(a, b, weight=0, excerpts=set(), cited=set())
    edge = g.edges[a, b]
    edge["excerpts"].add(excerpt)
    edge["cited"] |= studies or set()
    edge["weight"] = len(edge["excerpts"])


def _finish(g: nx.Graph, *, studies: bool) -> nx.Graph:
    """Edge sets to sorted lists (exporters write lists), and the distinct-study count where it is asked for."""
    for _, _, data in g.edges(data=True):
        data["excerpts"] = sorted(data["excerpts"])
        cited = data.pop("cited")
        if studies:
            data["studies"] = len(cited)
    return g


def to_code_case_network(links: _Links) -> nx.Graph:
    """Bipartite code <-> case graph: an edge where excerpts are coded with the code and the case."""
    g = nx.Graph(name="code-case")
    for excerpt, kinds in sorted(links.of.items()):
        for code in sorted(kinds["code"]):  # sorted: the same graph, node and edge order on every run
            for case in sorted(kinds["case"]):
                links.node(g, code)
                links.node(g, case)
                _weigh(g, code, case, excerpt, kinds["study"])
    return _finish(g, studies=True)


def to_code_cooccurrence(links: _Links) -> nx.Graph:
    """Codes linked when one excerpt is coded with both (NVivo's coding co-occurrence); every code used is a node."""
    g = nx.Graph(name="code-cooccurrence")
    for excerpt, kinds in sorted(links.of.items()):
        for code in sorted(kinds["code"]):
            links.node(g, code)
        for a, b in combinations(sorted(kinds["code"]), 2):
            _weigh(g, a, b, excerpt)
    return _finish(g, studies=False)


def to_study_code_network(links: _Links) -> nx.Graph:
    """Bipartite study <-> code graph: an edge where excerpts citing the study are coded with the code."""
    g = nx.Graph(name="study-code")
    for excerpt, kinds in sorted(links.of.items()):
        for study in sorted(kinds["study"]):
            for code in sorted(kinds["code"]):
                links.node(g, study)
                links.node(g, code)
                _weigh(g, study, code, excerpt)
    return _finish(g, studies=False)


PROJECT_VIEWS: dict[str, Callable[[_Links], nx.Graph]] = {
    "code-case": to_code_case_network,
    "code-cooccurrence": to_code_cooccurrence,
    "study-code": to_study_code_network,
}


def to_project_network(store: Store, view: str, *, projects: list[str] | None = None,
                       base: str = DEFAULT_BASE) -> nx.Graph:
    """One project network view of `projects` (None or empty: every project)."""
    if view not in PROJECT_VIEWS:
        raise InputError(f'"{view}" is not a project network; use one of {", ".join(PROJECT_VIEWS)}.')
    return PROJECT_VIEWS[view](read_links(store, projects=projects, base=base))
