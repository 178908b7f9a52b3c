"""Read and check a project's findings, appraisals and CERQual assessments: one located report of both kinds of check.

The readers' own checks (references that do not resolve, rows that repeat, criteria a study's category does not
have or leaves unanswered) and the cross-file warning on methodological limitations are Python checks; levels,
answers, explanations and completeness are the SHACL shapes of shapes/findings.ttl. Every result, whichever kind,
is a Problem located at the file, row and column the reviewer wrote.
"""

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from imri_kg.findings.appraisals import add_appraisals
from imri_kg.findings.history import digest_quads
from imri_kg.findings.index import ProjectIndex, to_index
from imri_kg.findings.read import add_assessments, add_findings
from imri_kg.findings.records import CERQUAL_FILE, Gathered, Problem
from imri_kg.findings.tools import MMAT, builtin, read_builtin_tools, read_project_tools
from imri_kg.store.builder import GraphBuilder
from imri_kg.validation import Result, to_rdflib, validate_graph

SHAPES_NS = "https://w3id.org/imri/shapes#"


@dataclass
class Findings:
    """What the findings files of one project give: quads for its data graph, and the problems found."""

    quads: list[Quad]
    problems: list[Problem]

    @property
    def conforms(self) -> bool:
        return not any(p.severity == "Violation" for p in self.problems)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Warning"]


def read_findings(folder: Path, project_quads: list[Quad], *, project: NamedNode, base: str, graph: NamedNode,
                  context: list[Quad] | None = None, shacl: bool = True) -> Findings:
    """The findings, appraisals and assessments of the project folder, as quads in `graph`, and their problems.

    `project_quads` is the project's own graph (what the project reader gives for the folder); `context` the
    ontology (read from ontology/imri.ttl when None). Nothing is written anywhere.
    """
    folder = Path(folder)
    index = to_index(project_quads, project)
    mmat, cerqual = builtin(base)
    out = Gathered(GraphBuilder(base, graph), project.value)
    tools = {MMAT: mmat, **read_project_tools(folder, out.g, prefix=tuple(index.prefix[len(out.g.base):]
                                                                           .strip("/").split("/")))}
    findings = add_findings(folder, index, out)
    add_appraisals(folder, index, tools, out)
    add_assessments(folder, index, findings, cerqual, out)
    quads = out.quads
    quads += digest_quads(project_quads + quads, graph)
    if context is None:
        from imri_kg.store import read_ontology

        context = read_ontology(base=base)
    context = context + read_builtin_tools(base=base, graph=graph) + project_quads
    problems = list(out.problems)
    problems += _limitations_warnings(quads + context, out, index)
    if shacl and out.focus:
        report = validate_graph(to_rdflib(context + quads), focus=out.focus, engine="pyshacl")
        problems += [_located(r, out, folder) for r in report.results]
    return Findings(quads, sorted(set(problems), key=_order))


def _order(p: Problem) -> tuple[str, int, str, str, str]:
    return (p.path.name, p.row or 0, p.column or "", p.severity, p.message)


def _located(r: Result, out: Gathered, folder: Path) -> Problem:
    """A SHACL result at the row its focus record came from and the column its path, shape or value names."""
    path, row = out.rows.get(r.focus, (folder, None))
    column = None
    for key in (r.path, r.shape, r.value):
        if key and (r.focus, key) in out.columns:
            column = out.columns[(r.focus, key)]
            break
    rule = "ishape:" + r.shape.removeprefix(SHAPES_NS) if r.shape.startswith(SHAPES_NS) else r.shape
    return Problem(path, row, column, r.severity, r.message, rule)


_STUDIES_WITH_NO = """
PREFIX imri: <https://w3id.org/imri/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?assessment ?study ?no WHERE {
  ?assessment imri:assessedFinding ?finding ; imri:componentAssessment ?c .
  ?c imri:component/skos:notation "methodological-limitations" ; imri:concern/skos:notation "no-or-very-minor" .
  ?finding imri:contributingStudy ?study .
  OPTIONAL { ?appraisal imri:appraisedStudy ?study ; imri:hasAnswer/imri:answer ?no .
             FILTER(isIRI(?no) && STRENDS(STR(?no), "/answer/no")) }
}"""


def _limitations_warnings(quads: list[Quad], out: Gathered, index: ProjectIndex) -> list[Problem]:
    """A warning where methodological limitations are "no or very minor" while most of the finding's studies have an
    appraisal answer No on a criterion (GRADE-CERQual: the component rests on the studies' appraisals)."""
    store = Store()
    store.extend(quads)
    studies: dict[str, set[NamedNode]] = {}
    weak: dict[str, set[NamedNode]] = {}
    for assessment, study, no in store.query(_STUDIES_WITH_NO, use_default_graph_as_union=True):  # type: ignore[misc]
        studies.setdefault(assessment.value, set()).add(study)
        if no is not None:
            weak.setdefault(assessment.value, set()).add(study)
    problems = []
    for assessment, some in sorted(weak.items()):
        n, k = len(studies[assessment]), len(some)
        if k * 2 <= n or assessment not in out.rows:
            continue
        path, row = out.rows[assessment]
        keys = ", ".join(sorted(index.study_keys.get(s, s.value) for s in some))
        problems.append(Problem(path, row, "methodological_limitations", "Warning",
                                f'Methodological limitations are "no or very minor", but {k} of the finding\'s {n} '
                                f"studies ({keys}) have an appraisal answer No on a criterion: check the level, or "
                                "explain why those answers do not matter here.", "check:LimitationsAgainstAppraisals"))
    return problems


__all__ = ["CERQUAL_FILE", "Findings", "ProjectIndex", "read_findings"]
