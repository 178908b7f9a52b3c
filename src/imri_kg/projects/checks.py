"""Checking a project folder whole: the reader's problems, then the SHACL shapes on the quads it would write,
each result located back to the file and row its record came from."""

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from imri_kg.namespaces import OWL, SKOS
from imri_kg.projects.folder import ProjectFolder, read_project
from imri_kg.projects.graph import ProjectGraph, project_graph, to_project_graph
from imri_kg.projects.problems import Problems
from imri_kg.projects.template import PLACEHOLDER_TITLE
from imri_kg.projects.views import run_views
from imri_kg.store import DEFAULT_BASE, graph_iri
from imri_kg.validation import validate_records

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
    graph.view = run_views(project.views, graph.quads, project_graph(project.meta.slug, "view", base=base),
                           project.problems)
    if project.meta.title == PLACEHOLDER_TITLE:
        project.problems.add(project.folder / "project.yaml", "the title is still the one init wrote; give your "
                             "review's own title.", column="title", severity="Warning", unit="line")
    if not shapes:
        return ProjectCheck(project, graph)
    focus = list(dict.fromkeys(q.subject for q in graph.quads if isinstance(q.subject, NamedNode)))
    report = validate_records(context_quads(store, graph, base=base), graph.quads, focus, engine=engine)
    for r in report.results:
        origin = graph.origins.get(r.focus)
        path = origin.path if origin else project.folder / "project.yaml"
        column = PATH_COLUMNS.get(r.path or "", "")
        value = f' (found "{r.value}")' if r.value and r.value_is_literal and r.value not in r.message else ""
        project.problems.add(path, r.message + value, row=origin.row if origin else 0, column=column,
                             severity=r.severity)
    from imri_kg.findings.project import add_findings  # findings, appraisals, CERQual (issue 19)

    add_findings(project, graph, base=base)
    return ProjectCheck(project, graph)


def context_quads(store: Store, graph: ProjectGraph, *, base: str = DEFAULT_BASE) -> list[Quad]:
    """The ontology (for the class hierarchy) and what the shapes need to know about mapped framework concepts."""
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
    return quads
