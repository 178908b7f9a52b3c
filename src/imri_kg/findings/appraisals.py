"""Reading a project's appraisals.csv: one row per study, criterion and appraiser, into the project's graph.

An appraisal is <B project/s/appraisal/<study>/<tool>/<appraiser>>: an imri:Appraisal of the imri:appraisedStudy
with the imri:appraisalTool (MMAT 2018 unless the row names another) and the study's imri:designCategory; each row
is one imri:AppraisalAnswer (<appraisal>/<criterion>) with the imri:criterion, the imri:answer, a comment, the
appraiser and the date. An answer that is not on the criterion's scale is kept as text for the shapes to report.
Checked here (the shapes cannot say which criteria are missing): the category is given and is the same on every
row of a study, each criterion is one of the tool's and of the study's category, and each is answered once.
"""

from pathlib import Path

from pyoxigraph import Literal, NamedNode

from imri_kg.findings.index import PROJECT, ProjectIndex
from imri_kg.findings.read import SHAPES
from imri_kg.findings.records import APPRAISALS, Gathered
from imri_kg.findings.tools import MMAT, Criterion, Option, Tool, answer_of, data_rows
from imri_kg.namespaces import IMRI, PROV, RDFS
from imri_kg.projects.lookup import slugify
from imri_kg.projects.rows import Row


class _Appraisal:
    def __init__(self, iri: NamedNode, study: NamedNode, tool: Tool, first: Row) -> None:
        self.iri, self.study, self.tool, self.first = iri, study, tool, first
        self.category: tuple[Option, Row] | None = None
        self.answered: dict[NamedNode, Row] = {}
        self.pending: list[tuple[Criterion, Row]] = []


def add_appraisals(folder: Path, index: ProjectIndex, tools: dict[str, Tool], out: Gathered) -> None:
    """appraisals.csv into `out`: the appraisals, their answers, and what is wrong with them, located."""
    path = folder / APPRAISALS
    if not path.is_file():
        return
    g = out.g
    appraisals: dict[str, _Appraisal] = {}
    for row in data_rows(path, ("study", "criterion", "answer")):
        study = index.study(row.need("study"))
        if study is None:
            out.problem(row, "study", f'"{row.need("study")}" is not a study of the bibliography (by citation key, '
                                      "DOI or reference number).", "check:AppraisalStudyKnown")
            continue
        tool_key = slugify(row.get("tool") or MMAT)
        tool = tools.get(tool_key)
        if tool is None:
            out.problem(row, "tool", f'"{row.get("tool")}" is not an appraisal tool: use mmat2018 or a tool of '
                                     f"appraisal_tools.csv ({', '.join(sorted(tools))}).", "check:AppraisalToolKnown")
            continue
        appraiser = row.get("appraiser")
        iri = NamedNode(f"{index.prefix}appraisal/{slugify(index.study_keys.get(study, ''))}/{tool.key}/"
                        f"{slugify(appraiser) or 'unnamed'}")
        a = appraisals.get(iri.value)
        if a is None:
            a = appraisals[iri.value] = _Appraisal(iri, study, tool, row)
            g.entity(iri, IMRI.Appraisal, f"{tool.label} appraisal of {index.study_keys.get(study, study.value)}"
                     + (f" by {appraiser}" if appraiser else ""))
            g.add(iri, PROJECT, index.project)
            g.add(iri, IMRI.appraisedStudy, study)
            g.add(iri, IMRI.appraisalTool, tool.iri)
            out.record(iri, row, {IMRI.appraisedStudy.value: "study", IMRI.appraisalTool.value: "tool",
                                  IMRI.designCategory.value: "category", SHAPES + "AppraisalShape": "category"})
            if appraiser:
                agent = NamedNode(f"{index.prefix}coder/{slugify(appraiser)}")
                g.entity(agent, PROV.Agent, appraiser)
                g.add(iri, PROV.wasAttributedTo, agent)
        _category(row, a, out)
        criterion = tool.criterion(row.need("criterion"))
        if criterion is None:
            out.problem(row, "criterion", f'"{row.need("criterion")}" is not a criterion of {tool.label} '
                                          f"({', '.join(c.key for c in tool.criteria)}).", "check:CriterionKnown")
            continue
        if criterion.iri in a.answered:
            out.problem(row, "criterion", f"criterion {criterion.key} of {index.study_keys.get(study)} is answered "
                                          f"in row {a.answered[criterion.iri].number} too; answer it once "
                                          "(one row per study, criterion and appraiser).", "check:OneAnswerPerCriterion")
            continue
        a.answered[criterion.iri] = row
        a.pending.append((criterion, row))
        answer = NamedNode(f"{iri.value}/{slugify(criterion.key)}")
        g.entity(answer, IMRI.AppraisalAnswer, f"{criterion.key}: {row.need('answer')}")
        g.add(iri, IMRI.hasAnswer, answer)
        g.add(answer, IMRI.criterion, criterion.iri)
        option = answer_of(criterion, row.need("answer"))
        g.add(answer, IMRI.answer, option.iri if option else Literal(row.need("answer")))
        g.add_text(answer, RDFS.comment, row.get("comment"))
        if appraiser:
            g.add(answer, PROV.wasAttributedTo, NamedNode(f"{index.prefix}coder/{slugify(appraiser)}"))
        out.record(answer, row, {IMRI.criterion.value: "criterion", IMRI.answer.value: "answer",
                                 SHAPES + "AnswerOnScale": "answer"})
        out.date(answer, row)
    for a in appraisals.values():
        _criteria_of_category(a, out, index)


def _category(row: Row, a: _Appraisal, out: Gathered) -> None:
    text = row.get("category")
    if not text:
        return
    category = a.tool.category(text)
    if category is None:
        names = "; ".join(f"{c.order} {c.label}" for c in a.tool.categories.values())
        out.problem(row, "category", f'"{text}" is not a design category of {a.tool.label} ({names}).',
                    "check:CategoryKnown")
    elif a.category is None:
        a.category = (category, row)
        out.g.add(a.iri, IMRI.designCategory, category.iri)
    elif a.category[0] != category:
        out.problem(row, "category", f'"{text}" contradicts row {a.category[1].number}, which gives the study the '
                                     f'category "{a.category[0].label}": one study has one category.',
                    "check:CategoryConsistent")


def _criteria_of_category(a: _Appraisal, out: Gathered, index: ProjectIndex) -> None:
    """Each criterion of the study's category (and each for every study) answered, and no other."""
    if a.category is None:  # ishape:AppraisalShape says so, at the appraisal's first row
        return
    category = a.category[0]
    wanted = a.tool.criteria_of(category.iri)
    for criterion, row in a.pending:
        if criterion not in wanted:
            out.problem(row, "criterion", f"criterion {criterion.key} is not asked of a study of the category "
                                          f'"{category.label}"; its criteria are '
                                          f"{', '.join(c.key for c in wanted)}.", "check:CriterionOfCategory")
    missing = [c.key for c in wanted if c.iri not in a.answered]
    if missing:
        out.problem(a.first, "criterion", f"the appraisal of {index.study_keys.get(a.study, '')} has no answer "
                                          f"for criteria {', '.join(missing)} of its category \"{category.label}\": "
                                          "answer each (Can't tell is an answer).", "check:EveryCriterionAnswered")
