"""A project folder's findings read with the rest of the project: the project reader (issue 12) gives the graph
they refer to; the findings readers add theirs; both kinds of problem go into one located report."""

import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from imri_kg.findings.check import Findings, read_findings
from imri_kg.findings.tables import to_table
from imri_kg.findings.tools import read_builtin_tools
from imri_kg.projects.folder import ProjectFolder, read_project
from imri_kg.projects.graph import project_graph, project_iri, to_project_graph
from imri_kg.projects.problems import Problems
from imri_kg.publish.paper_tables import Table
from imri_kg.store import DEFAULT_BASE, graph_iri, read_ontology


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


def read_project_findings(folder: Path, *, store: Store | None = None, base: str = DEFAULT_BASE,
                          shacl: bool = True) -> ProjectFindings:
    """Read the project at `folder` and its findings files. `store` holds the frameworks mappings.csv targets.

    The findings are read only when the rest of the project reads without violations (they refer to its records);
    their problems join the project's, located by file, row and column.
    """
    project = read_project(folder, store=store, base=base)
    if project.meta is None or project.problems.errors:
        return ProjectFindings(project, NamedNode(base + "project/unknown"), [], None)
    graph = to_project_graph(project, base=base)
    iri = project_iri(project.slug, base=base)
    findings = read_findings(Path(folder), graph.data, project=iri, base=base,
                             graph=project_graph(project.slug, "data", base=base), shacl=shacl)
    add_problems(project.problems, findings)
    return ProjectFindings(project, iri, graph.quads + findings.quads, findings)


def add_problems(problems: Problems, findings: Findings) -> None:
    """The findings' problems in the project's report (same file names, rows, columns and severities)."""
    for p in findings.problems:
        problems.add(p.path, p.message, row=p.row or 0, column=p.column or "", severity=p.severity)


def to_store(read: ProjectFindings, *, base: str = DEFAULT_BASE) -> Store:
    """An in-memory store of the project's graphs with the ontology and the built-in tools (for the tables)."""
    store = Store()
    store.extend(read_ontology(base=base))
    store.extend(read_builtin_tools(base=base, graph=graph_iri("frameworks", base=base)))
    store.extend(read.quads)
    return store


def project_table(project: str | Path, kind: str, *, store: Store | None = None,
                  base: str = DEFAULT_BASE) -> tuple[Table | None, Problems | None]:
    """The `kind` table of a project: a folder (read and checked here; with problems, no table but the problems),
    or the slug of a project imported into `store`."""
    from imri_kg.errors import InputError
    from imri_kg.store import build_store

    path = Path(project)
    if path.is_dir():
        read = read_project_findings(path, store=store if store is not None else build_store(base=base), base=base)
        if read.findings is None or read.problems.errors:
            return None, read.problems
        return to_table(to_store(read, base=base), read.iri, kind), read.problems
    if store is None or not re.fullmatch(r"[a-z0-9-]+", str(project)):
        raise InputError(f'"{project}" is neither a project folder nor, with --store, the slug of a project in it.')
    return to_table(store, project_iri(str(project), base=base), kind), None
