"""A project folder's findings read with the rest of the project: the project reader (issue 12) gives the graph
they refer to; the findings readers add theirs; both kinds of problem go into the project's one located report.

`add_findings` is what `imri_kg.projects.checks.check_project` calls, so that `imri-kg validate DIR` reports the
findings' problems and `imri-kg import DIR` writes their quads into the project's data graph (and so into its
linked-data release); `evidence_history` is what the import adds to the history graph.
"""

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from imri_kg.errors import InputError
from imri_kg.findings.check import Findings, read_findings
from imri_kg.findings.history import evidence_history
from imri_kg.findings.tools import read_builtin_tools
from imri_kg.projects.folder import ProjectFolder, read_project
from imri_kg.projects.graph import ProjectGraph, project_graph, project_iri, to_project_graph
from imri_kg.projects.problems import Problems
from imri_kg.store import DEFAULT_BASE, graph_iri, read_ontology

FILES = ("findings.csv", "appraisals.csv", "cerqual.csv", "appraisal_tools.csv", "appraisal_criteria.csv")


@dataclass
class ProjectFindings:
    """A project folder read whole: the project, its graph's quads with the findings', and every problem."""

    project: ProjectFolder
    iri: NamedNode
    quads: list[Quad]
    findings: Findings | None

    @property
    def problems(self) -> Problems:
        return self.project.problems


def folder_findings(project: ProjectFolder, graph: ProjectGraph, *, base: str = DEFAULT_BASE,
                    context: list[Quad] | None = None) -> Findings | None:
    """The findings of a project read without violations (None when the folder has no findings files)."""
    if project.meta is None or not any((project.folder / name).is_file() for name in FILES):
        return None
    return read_findings(project.folder, graph.data, project=project_iri(project.slug, base=base), base=base,
                         graph=project_graph(project.slug, "data", base=base), context=context)


def add_findings(project: ProjectFolder, graph: ProjectGraph, *, base: str = DEFAULT_BASE) -> None:
    """The hook of check_project: the findings' problems join the project's, their quads its data graph.

    The findings refer to the project's records, so they are read only once the rest of the folder has no
    violation (a broken excerpt would otherwise be reported again through every finding that uses it)."""
    if project.problems.errors:
        return
    try:
        findings = folder_findings(project, graph, base=base)
    except InputError as exc:  # a findings file that cannot be read: an input problem of the project (exit 2)
        project.problems.from_error(exc)
        return
    if findings is not None:
        add_problems(project.problems, findings)
        graph.data = list(dict.fromkeys(graph.data + findings.quads))


def read_project_findings(folder: Path, *, store: Store | None = None, base: str = DEFAULT_BASE) -> ProjectFindings:
    """Read the project at `folder` and its findings files (the findings keep the rule each problem breaks).

    `store` holds the frameworks mappings.csv targets. The findings are read only when the rest of the project
    reads without violations (they refer to its records).
    """
    project = read_project(folder, store=store, base=base)
    if project.meta is None or project.problems.errors:
        return ProjectFindings(project, NamedNode(base + "project/unknown"), [], None)
    graph = to_project_graph(project, base=base)
    findings = folder_findings(project, graph, base=base)
    if findings is not None:
        add_problems(project.problems, findings)
    return ProjectFindings(project, project_iri(project.slug, base=base),
                           graph.quads + (findings.quads if findings else []), findings)


def add_problems(problems: Problems, findings: Findings) -> None:
    """The findings' problems in the project's report (same file names, rows, columns and severities)."""
    for p in findings.problems:
        problems.add(p.path, p.message, row=p.row or 0, column=p.column or "", severity=p.severity)


def to_store(quads: list[Quad], *, base: str = DEFAULT_BASE) -> Store:
    """An in-memory store of a project's quads with the ontology and the built-in tools (for the tables)."""
    store = Store()
    store.extend(read_ontology(base=base))
    store.extend(read_builtin_tools(base=base, graph=graph_iri("frameworks", base=base)))
    store.extend(quads)
    return store


__all__ = ["FILES", "ProjectFindings", "add_findings", "evidence_history", "read_project_findings"]
