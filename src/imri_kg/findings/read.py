"""Reading a project's findings.csv and cerqual.csv into the project's graph (examples/README.md, "Findings").

A finding is <B project/s/finding/<id>>, an imri:ReviewFinding with its imri:statement and what it imri:synthesises
(codes, cases, excerpts). Its imri:contributingStudy are the studies of its excerpts, or, for a finding written from
whole studies, the studies it names (imri:namedStudy). A GRADE-CERQual assessment is
<B project/s/finding/<id>/assessment/<assessor>>, with one imri:ComponentAssessment per component
(<.../assessment/<assessor>/<component>>) and the imri:overallConfidence; imri:agreed marks the one the review
reports. A level a reviewer wrote that is not one of CERQual's is kept as text, so that the shapes can say where.
"""

import re
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from imri_kg.findings.index import PROJECT, ProjectIndex
from imri_kg.findings.records import CERQUAL_FILE, FINDINGS, Gathered, is_true, split_list, split_studies
from imri_kg.findings.tools import Cerqual, Option, data_rows
from imri_kg.namespaces import IMRI, PROV, RDF, RDFS, SKOS
from imri_kg.projects.lookup import slugify
from imri_kg.projects.rows import Row

SHAPES = "https://w3id.org/imri/shapes#"
ID = re.compile(r"[A-Za-z0-9._~-]+")  # an id kept as it is in an IRI (as the project reader keeps code ids)


def component_column(component: Option) -> str:
    """The cerqual.csv column of a component: its id with underscores (methodological_limitations)."""
    return component.key.replace("-", "_")


def cerqual_columns(cerqual: Cerqual) -> list[str]:
    columns = ["finding"]
    for c in cerqual.components:
        columns += [component_column(c), component_column(c) + "_explanation"]
    return columns + ["confidence", "confidence_explanation", "assessor", "date", "agreed"]


def add_findings(folder: Path, index: ProjectIndex, out: Gathered) -> dict[str, NamedNode]:
    """findings.csv: each finding, what it synthesises and its contributing studies; returns findings by id."""
    path = folder / FINDINGS
    findings: dict[str, NamedNode] = {}
    if not path.is_file():
        return findings
    g = out.g
    for row in data_rows(path, ("id", "statement")):
        ident = row.need("id")
        f = NamedNode(f"{index.prefix}finding/{ident if ID.fullmatch(ident) else slugify(ident) or 'unnamed'}")
        if ident in findings:
            first = out.rows[f.value][1]
            out.problem(row, "id", f'"{ident}" is the id of the finding in row {first} too; give each finding '
                                   "its own id.", "check:FindingIdUnique")
            continue
        findings[ident] = f
        g.entity(f, IMRI.ReviewFinding, f"Finding {ident}")
        g.add(f, PROJECT, index.project)
        g.add_text(f, IMRI.statement, row.get("statement"))
        g.add_text(f, SKOS.notation, ident, lang=None)
        g.add_text(f, SKOS.note, row.get("notes"))
        out.record(f, row, {IMRI.statement.value: "statement", SHAPES + "FindingShape": "statement",
                            # its contributing studies are those of its excerpts, when it lists any
                            IMRI.contributingStudy.value: "excerpts" if row.get("excerpts") else "studies"})
        excerpt_studies: set[NamedNode] = set()
        excerpts = []
        for text in split_list(row.get("excerpts")):
            e = index.excerpt(text)
            if e is None:
                out.problem(row, "excerpts", f'"{text}" is not the id of an excerpt of the project\'s evidence '
                                             "files.", "check:FindingExcerptKnown")
                continue
            excerpts.append(e)
            g.add(f, IMRI.synthesises, e)
            excerpt_studies |= index.excerpt_studies.get(e, set())
        for text in split_list(row.get("codes")):
            c = index.code(text)
            if c is None:
                out.problem(row, "codes", f'"{text}" is not a code of the codebook (by id or label).',
                            "check:FindingCodeKnown")
            else:
                g.add(f, IMRI.synthesises, c)
        for text in split_list(row.get("cases")):
            cases = index.case(text)
            if len(cases) != 1:
                what = "names cases of several dimensions; write it as dimension:case" if cases else \
                    "is not a case of cases.csv (by dimension:case, id or label)"
                out.problem(row, "cases", f'"{text}" {what}.', "check:FindingCaseKnown")
            else:
                g.add(f, IMRI.synthesises, next(iter(cases)))
        named: set[NamedNode] = set()
        for text in split_studies(row.get("studies")):
            s = index.study(text)
            if s is None:
                out.problem(row, "studies", f'"{text}" is not a study of the bibliography (by citation key, DOI '
                                            "or reference number).", "check:FindingStudyKnown")
            else:
                named.add(s)
                g.add(f, IMRI.namedStudy, s)
        _studies_agree(row, excerpts, excerpt_studies, named, index, out)
        for s in (excerpt_studies if excerpts else named):
            g.add(f, IMRI.contributingStudy, s)
    return findings


def _studies_agree(row: Row, excerpts: list[NamedNode], of_excerpts: set[NamedNode], named: set[NamedNode],
                   index: ProjectIndex, out: Gathered) -> None:
    """The studies a finding names must be those of its excerpts; and it must rest on some study."""
    if excerpts and named and named != of_excerpts:
        def keys(studies: set[NamedNode]) -> str:
            return ", ".join(sorted(index.study_keys.get(s, s.value) for s in studies))
        parts = []
        if named - of_excerpts:
            parts.append(f"names {keys(named - of_excerpts)}, which none of its excerpts cites")
        if of_excerpts - named:
            parts.append(f"leaves out {keys(of_excerpts - named)}, cited by its excerpts")
        cited = f"({keys(of_excerpts)})" if of_excerpts else "(they cite none)"
        out.problem(row, "studies", f"The finding {', and '.join(parts)}: the studies a finding names must be those "
                                    f"of its excerpts {cited}. Correct the list, or leave it empty.",
                    "check:FindingStudiesOfExcerpts")
    if not of_excerpts and not named and not any(p.row == row.number and p.path == row.path for p in out.problems):
        out.problem(row, "excerpts", "The finding rests on no study: list its excerpts (whose studies contribute) "
                                     "or, for a finding written from whole studies, its studies.",
                    "check:FindingHasStudies")


def add_assessments(folder: Path, index: ProjectIndex, findings: dict[str, NamedNode], cerqual: Cerqual,
                    out: Gathered) -> None:
    """cerqual.csv: one row per finding and assessor, the four components and the overall confidence."""
    path = folder / CERQUAL_FILE
    if not path.is_file():
        return
    g = out.g
    by_finding: dict[NamedNode, list[tuple[NamedNode, Row, bool]]] = {}
    for row in data_rows(path, ("finding", "confidence")):
        f = findings.get(row.need("finding"))
        if f is None:
            out.problem(row, "finding", f'"{row.need("finding")}" is not the id of a finding of findings.csv.',
                        "check:AssessmentFindingKnown")
            continue
        assessor = row.get("assessor")
        a = NamedNode(f"{f.value}/assessment/{slugify(assessor) or 'unnamed'}")
        if a.value in out.rows:
            out.problem(row, "assessor", f"finding {row.need('finding')} is assessed by "
                                         f"{assessor or 'an unnamed assessor'} in row {out.rows[a.value][1]} too; "
                                         "keep one row per finding and assessor.", "check:AssessmentUnique")
            continue
        g.entity(a, IMRI.CERQualAssessment, f"GRADE-CERQual assessment of finding {row.need('finding')}"
                 + (f" by {assessor}" if assessor else ""))
        g.add(a, PROJECT, index.project)
        g.add(a, IMRI.assessedFinding, f)
        out.record(a, row, {IMRI.assessedFinding.value: "finding", IMRI.overallConfidence.value: "confidence",
                            SHAPES + "AssessmentExplained":
                            "confidence_explanation", IMRI.explanation.value: "confidence_explanation",
                            IMRI.agreed.value: "agreed"})
        _level(out, a, IMRI.overallConfidence, row.get("confidence"), cerqual.confidences)
        g.add_text(a, IMRI.explanation, row.get("confidence_explanation"))
        if assessor:
            agent = NamedNode(f"{index.prefix}coder/{slugify(assessor)}")
            g.entity(agent, PROV.Agent, assessor)
            g.add(a, PROV.wasAttributedTo, agent)
        out.date(a, row)
        for component in cerqual.components:
            col = component_column(component)
            out.columns[(a.value, component.iri.value)] = col
            if not row.get(col):
                continue
            c = NamedNode(f"{a.value}/{component.key}")
            g.add(c, RDF.type, IMRI.ComponentAssessment)
            g.add_text(c, RDFS.label, f"{component.label}: {row.get(col)}")
            g.add(a, IMRI.componentAssessment, c)
            g.add(c, IMRI.component, component.iri)
            out.record(c, row, {IMRI.component.value: col, IMRI.concern.value: col,
                                SHAPES + "ComponentExplained": col + "_explanation",
                                IMRI.explanation.value: col + "_explanation"})
            _level(out, c, IMRI.concern, row.get(col), cerqual.concerns)
            g.add_text(c, IMRI.explanation, row.get(col + "_explanation"))
        given = row.get("agreed").strip()
        if given and not is_true(given) and not row_says_no(row):
            out.problem(row, "agreed", f'"{given}" is not yes or no: write true (the agreed assessment) or false, '
                                       "or leave it empty.", "check:AgreedAssessment")
        by_finding.setdefault(f, []).append((a, row, is_true(row.get("agreed"))))
    for f, assessments in by_finding.items():
        agreed = [a for a in assessments if a[2]]
        if len(assessments) == 1 and not row_says_no(assessments[0][1]):
            agreed = assessments
        if len(agreed) == 1:
            g.add_bool(agreed[0][0], IMRI.agreed, True)
        elif not agreed:
            last = assessments[-1][1]
            out.problem(last, "agreed", f"finding {last.need('finding')} has {len(assessments)} assessments and none "
                                        "is marked agreed: mark the one the review reports (agreed = true).",
                        "check:AgreedAssessment")
        else:
            out.problem(agreed[1][1], "agreed", f"finding {agreed[1][1].need('finding')} has more than one agreed "
                                                f"assessment (rows {', '.join(str(a[1].number) for a in agreed)}): "
                                                "mark only one.", "check:AgreedAssessment")
        for a, _, _ in assessments:
            if a not in [x[0] for x in agreed[:1]]:
                g.add_bool(a, IMRI.agreed, False)


def row_says_no(row: Row) -> bool:
    return row.get("agreed").casefold() in ("false", "no", "n", "0")


def _level(out: Gathered, s: NamedNode, p: NamedNode, text: str, options: list[Option]) -> None:
    """A level by its id or label; a word that is none of them stays text, for the shapes to report."""
    if not text:
        return
    level = Cerqual.find(options, text)
    out.g.add(s, p, level.iri if level else Literal(text))
