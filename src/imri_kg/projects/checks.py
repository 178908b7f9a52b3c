"""Checking a project folder whole: the reader's problems, then the SHACL shapes on every quad it would write (data,
mappings and the views' triples), each result located back to the file and row its record came from (for a view's
triple, the view that states it)."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from imri_kg.namespaces import OWL, RDF, SKOS
from imri_kg.projects.folder import ProjectFolder, read_project
from imri_kg.projects.graph import ProjectGraph, project_graph, to_project_graph
from imri_kg.projects.model import Origin
from imri_kg.projects.problems import Problems
from imri_kg.projects.template import PLACEHOLDER_TITLE
from imri_kg.projects.views import run_views
from imri_kg.store import DEFAULT_BASE, graph_iri
from imri_kg.validation import Result, validate_graph, validate_records

# Result path -> the column of the file the record came from.
PATH_COLUMNS = {"https://w3id.org/imri/ontology#code": "codes", "http://purl.org/spar/cito/cites": "studies",
                "https://w3id.org/imri/ontology#text": "text", "http://purl.org/dc/terms/date": "date",
                "https://w3id.org/imri/ontology#color": "color", "http://www.w3.org/2004/02/skos/core#broader":
                "parent", "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
                "https://w3id.org/imri/ontology#startPosition": "start",
                "https://w3id.org/imri/ontology#endPosition": "end", "http://purl.org/ontology/bibo/doi": "doi",
                "https://w3id.org/imri/ontology#confidence": "confidence", "http://purl.org/dc/terms/title": "title"}


@dataclass
class ProjectCheck:
    """A project folder checked: what it says, the quads it would write (None when unreadable), every problem."""

    project: ProjectFolder
    graph: ProjectGraph | None

    @property
    def problems(self) -> Problems:
        return self.project.problems

    @property
    def conforms(self) -> bool:
        return not self.problems.errors


def check_project(folder: Path, *, store: Store, base: str = DEFAULT_BASE, engine: str = "rust",
                  shapes: bool = True) -> ProjectCheck:
    """Read the folder (mapping targets resolved against `store`) and, when it reads cleanly, run the shapes
    (unless `shapes` is false: the build does so for the shipped examples, which their tests validate whole)."""
    project = read_project(folder, store=store, base=base)
    if project.problems.errors or project.meta is None:
        return ProjectCheck(project, None)
    graph = to_project_graph(project, base=base)
    stated_by: dict[str, Path] = {}
    graph.view = run_views(project.views, graph.quads, project_graph(project.meta.slug, "view", base=base),
                           project.problems, stated_by=stated_by)
    if project.meta.title == PLACEHOLDER_TITLE:
        project.problems.add(project.folder / "project.yaml", "the title is still the one init wrote; give your "
                             "review's own title.", column="title", severity="Warning", unit="line")
    if not shapes:
        return ProjectCheck(project, graph)
    # everything the import writes is validated: the views' triples too (a printed total they state must add up)
    written = list(dict.fromkeys(graph.quads + graph.view))
    context = context_quads(store, graph, base=base)
    report = validate_records(context, written, engine=engine)
    for r in _caused(report.results, context, graph, engine):
        origin = graph.origins.get(r.focus)
        if origin is None and r.focus in stated_by:
            origin = Origin(stated_by[r.focus], 0)
        path = origin.path if origin else project.folder / "project.yaml"
        column = PATH_COLUMNS.get(r.path or "", "") if r.focus in graph.origins else ""
        value = f' (found "{r.value}")' if r.value and r.value_is_literal and r.value not in r.message else ""
        project.problems.add(path, r.message + value, row=origin.row if origin else 0, column=column,
                             severity=r.severity)
    from imri_kg.findings.project import add_findings  # findings, appraisals, CERQual (issue 19)

    add_findings(project, graph, base=base)
    return ProjectCheck(project, graph)


def _caused(results: list[Result], context: list[Quad], graph: ProjectGraph, engine: str) -> list[Result]:
    """The results, less those about a store node (`store_nodes`) that the context alone gives too: the store's
    nodes are described one step deep, and what lies further (a CFIR construct's broader construct's scheme) is the
    store's business, not the project's."""
    others = {f"<{n.value}>" for n in store_nodes(graph)}
    if not any(r.focus_nt in others for r in results):
        return results
    before = Counter(r for r in validate_graph(context, engine=engine).results if r.focus_nt in others)
    kept = []
    for r in results:
        if r.focus_nt in others and before[r] > 0:
            before[r] -= 1
        else:
            kept.append(r)
    return kept


def context_quads(store: Store, graph: ProjectGraph, *, base: str = DEFAULT_BASE) -> list[Quad]:
    """The ontology (for the class hierarchy), what the shapes need to know about mapped framework concepts, and
    what the store says about the nodes of others that the project's quads name (`store_nodes`)."""
    quads = list(store.quads_for_pattern(None, None, None, graph_iri("ontology", base=base)))
    targets = {q.object for q in graph.mappings if q.predicate == OWL.annotatedTarget}
    schemes = set()
    for target in targets:
        for p in (SKOS.prefLabel, SKOS.inScheme):
            for q in store.quads_for_pattern(target, p, None, None):
                quads.append(q)
                if p == SKOS.inScheme:
                    schemes.add(q.object)
    for scheme in schemes:
        quads.extend(store.quads_for_pattern(scheme, None, None, None))
    own = {q.graph_name for q in graph.quads + graph.view}  # the graphs the import replaces
    for node in store_nodes(graph):
        quads += [q for q in store.quads_for_pattern(node, None, None, None) if q.graph_name not in own]
    return list(dict.fromkeys(quads))


def store_nodes(graph: ProjectGraph) -> list[NamedNode]:
    """The IRIs the project's quads (views too) name but give no type: nodes of others (a view's theme is coded to
    a CFIR construct of graph kb, or gives one a hidden label), which the store describes. A node they type is the
    project's own and described by its quads alone, so that the verdict does not depend on what the store holds of
    an earlier version (a built store's graph kb holds the shipped examples' view triples)."""
    written = graph.quads + graph.view
    typed = {q.subject for q in written if q.predicate == RDF.type}
    named = (t for q in written for t in (q.subject, q.object) if isinstance(t, NamedNode))
    return [t for t in dict.fromkeys(named) if t not in typed]
