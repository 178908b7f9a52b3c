"""Appraisal tools and GRADE-CERQual as SKOS concept schemes: MMAT 2018 and CERQual built in, others from a project.

MMAT 2018 (data/reference/mmat2018.tsv) becomes the imri:AppraisalTool <base/tool/mmat2018>: its design categories
(imri:DesignCategory, top concepts), its criteria (imri:AppraisalCriterion, narrower than their category; the two
screening questions are asked of every study and have no category) and its answer scale Yes / No / Can't tell
(imri:AnswerOption, gathered in the skos:Collection <base/tool/mmat2018/scale>). GRADE-CERQual
(data/reference/cerqual.tsv) becomes <base/scheme/cerqual2018> with its components, levels of concern and levels of
confidence. Every concept keeps the reference row's imri:status and imri:confidence; each scheme cites its source.

A reviewer defines another tool in the project folder (examples/README.md): `appraisal_tools.csv` (one row per
tool) and `appraisal_criteria.csv` (one row per criterion, with its category and its scale), read into the same
shape of graph under <base/project/s/tool/<tool>>.
"""

from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.errors import InputError
from imri_kg.kb import DATA_DIR
from imri_kg.namespaces import BIBO, DCTERMS, IMRI, PROV, RDF, SKOS
from imri_kg.projects.lookup import slugify
from imri_kg.projects.rows import Row, read_table
from imri_kg.store.builder import GraphBuilder, in_scheme

TOOLS_FILE = Path("findings") / "tools.csv"
MMAT = "mmat2018"
CERQUAL = "cerqual2018"
SCREENING = "Screening questions (for all types)"


@dataclass(frozen=True)
class Option:
    """One answer of a scale, or one CERQual component or level."""

    iri: NamedNode
    key: str
    label: str
    order: int


@dataclass(frozen=True)
class Criterion:
    iri: NamedNode
    key: str
    question: str
    category: NamedNode | None  # None: asked of every study (MMAT's screening questions)
    scale: tuple[Option, ...]
    order: int


@dataclass
class Tool:
    """An appraisal tool: its categories and criteria, and the words a reviewer may use for them."""

    iri: NamedNode
    key: str
    label: str
    categories: dict[str, Option] = field(default_factory=dict)  # by category slug
    criteria: list[Criterion] = field(default_factory=list)

    def category(self, text: str) -> Option | None:
        """The category a reviewer means: its label, its number (MMAT 1-5) or slug, any case."""
        key = slugify(text)
        for option in self.categories.values():
            if key in (option.key, slugify(option.label), str(option.order)):
                return option
        return None

    def criterion(self, text: str) -> Criterion | None:
        key = slugify(text)
        return next((c for c in self.criteria if slugify(c.key) == key), None)

    def criteria_of(self, category: NamedNode) -> list[Criterion]:
        """The criteria a study of `category` is answered on: the ones for all studies, then its own."""
        return [c for c in self.criteria if c.category is None or c.category == category]


def answer_of(criterion: Criterion, text: str) -> Option | None:
    """The option of the criterion's scale a reviewer means ("Can't tell", "can’t tell", "cant-tell")."""
    key = slugify(text.replace("’", "").replace("'", ""))
    return next((o for o in criterion.scale if key in (o.key, slugify(o.label.replace("'", "")))), None)


@dataclass
class Cerqual:
    """GRADE-CERQual's components, levels of concern and levels of confidence, in their printed order."""

    components: list[Option]
    concerns: list[Option]
    confidences: list[Option]

    @staticmethod
    def find(options: list[Option], text: str) -> Option | None:
        """A level as a reviewer writes it: "minor", "Minor concerns", "very low", "Very low confidence"."""
        key = slugify(text)
        for o in options:
            label = slugify(o.label)
            if key in (o.key, label) or label.startswith(key + "-") and len(key) > 1:
                return o
        return None


def _status(g: GraphBuilder, s: NamedNode, row: Row) -> None:
    g.add_text(s, IMRI.status, row.need("status"), lang=None)
    g.add_text(s, IMRI.confidence, row.get("confidence"), lang=None)
    if row.need("status") != "read":
        g.add_text(s, SKOS.editorialNote, f"Not read from the source as such (status {row.need('status')}, "
                                          f"confidence {row.get('confidence') or 'not stated'}).")


def _meta(data: Path) -> dict[str, Row]:
    return {r.need("slug"): r for r in read_table(data / TOOLS_FILE, required=(
        "slug", "label", "file", "work", "citation", "doi", "status"))}


def _scheme(g: GraphBuilder, iri: NamedNode, meta: Row, cls: NamedNode) -> NamedNode:
    scheme = g.entity(iri, cls, meta.need("label"), concept=True)
    g.add(scheme, RDF.type, SKOS.ConceptScheme)
    g.add_text(scheme, DCTERMS.title, meta.need("label"))
    doi = meta.need("doi")
    citation = f"{meta.need('citation')} doi:{doi}"
    g.add_text(scheme, DCTERMS.bibliographicCitation, citation, lang=None)
    work = g.entity(g.iri("work", meta.need("work")), BIBO.Document, citation)
    g.add_text(work, BIBO.doi, doi, lang=None)
    g.add_text(work, DCTERMS.identifier, f"doi:{doi}", lang=None)
    g.add_text(work, DCTERMS.bibliographicCitation, citation, lang=None)
    g.add(scheme, PROV.wasDerivedFrom, work)
    g.add(scheme, DCTERMS.source, work)
    _status(g, scheme, meta)
    return scheme


def _concept(g: GraphBuilder, iri: NamedNode, cls: NamedNode, label: str, scheme: NamedNode, *,
             notation: str = "", order: int = 0, top: bool = True) -> NamedNode:
    g.entity(iri, cls, label, concept=True)
    g.add_text(iri, SKOS.notation, notation, lang=None)
    if order:
        g.add_int(iri, IMRI.order, order)
    in_scheme(g, iri, scheme, top=top)
    return iri


def read_mmat(g: GraphBuilder, data: Path = DATA_DIR) -> Tool:
    """MMAT 2018 from data/reference/mmat2018.tsv and its scale, into `g`."""
    meta = _meta(data)[MMAT]
    tool = Tool(g.iri("tool", MMAT), MMAT, meta.need("label"))
    _scheme(g, tool.iri, meta, IMRI.AppraisalTool)
    scale_iri = g.iri("tool", MMAT, "scale")
    scale = []
    scale_rows = read_table(data / "findings" / "mmat2018-scale.tsv", required=("id", "order", "label", "status"))
    g.entity(scale_iri, SKOS.Collection, "MMAT 2018 answers: " + " / ".join(r.need("label") for r in scale_rows))
    for row in scale_rows:
        o = Option(g.iri("tool", MMAT, "answer", row.need("id")), row.need("id"), row.need("label"),
                   row.integer("order"))
        _concept(g, o.iri, IMRI.AnswerOption, o.label, tool.iri, order=o.order)
        g.add(scale_iri, SKOS.member, o.iri)
        _status(g, o.iri, row)
        scale.append(o)
    for row in read_table(data / meta.need("file"), required=("id", "category", "order", "question", "status")):
        key, category = row.need("id"), row.need("category")
        cat_iri = None
        if category != SCREENING:
            number = int(key.split(".")[0])
            slug = slugify(category)
            if slug not in tool.categories:
                tool.categories[slug] = Option(g.iri("tool", MMAT, "category", slug), slug, category, number)
                _concept(g, tool.categories[slug].iri, IMRI.DesignCategory, category, tool.iri,
                         notation=str(number), order=number)
                _status(g, tool.categories[slug].iri, row)  # as read, with the first of its criteria
            cat_iri = tool.categories[slug].iri
        c = Criterion(g.iri("tool", MMAT, "criterion", slugify(key)), key, row.need("question"), cat_iri,
                      tuple(scale), row.integer("order"))
        _concept(g, c.iri, IMRI.AppraisalCriterion, row.need("question"), tool.iri, notation=key,
                 order=c.order, top=cat_iri is None)
        _criterion_links(g, c, scale_iri)
        _status(g, c.iri, row)
        tool.criteria.append(c)
    return tool


def _criterion_links(g: GraphBuilder, c: Criterion, scale: NamedNode) -> None:
    g.add(c.iri, IMRI.answerScale, scale)
    if c.category is not None:
        g.add(c.iri, IMRI.designCategory, c.category)
        g.add(c.iri, SKOS.broader, c.category)
        g.add(c.category, SKOS.narrower, c.iri)


def read_cerqual(g: GraphBuilder, data: Path = DATA_DIR) -> Cerqual:
    """GRADE-CERQual's components and levels from data/reference/cerqual.tsv, into `g`."""
    meta = _meta(data)[CERQUAL]
    scheme = _scheme(g, g.iri("scheme", CERQUAL), meta, SKOS.ConceptScheme)
    kinds = {"component": IMRI.CERQualComponent, "concern": IMRI.ConcernLevel, "confidence": IMRI.ConfidenceLevel}
    out: dict[str, list[Option]] = {k: [] for k in kinds}
    for row in read_table(data / meta.need("file"), required=("kind", "id", "order", "label", "status")):
        kind = row.need("kind")
        if kind not in kinds:
            raise row.error("kind", f'"{kind}" is not one of {", ".join(kinds)}.')
        o = Option(g.iri("cerqual", kind, row.need("id")), row.need("id"), row.need("label"), row.integer("order"))
        _concept(g, o.iri, kinds[kind], o.label, scheme, notation=o.key, order=o.order)
        _status(g, o.iri, row)
        out[kind].append(o)
    return Cerqual(out["component"], out["concern"], out["confidence"])


def read_builtin_tools(data: Path = DATA_DIR, *, base: str, graph: NamedNode) -> list[Quad]:
    """The quads of MMAT 2018 and GRADE-CERQual (for the frameworks graph)."""
    g = GraphBuilder(base, graph)
    read_mmat(g, data)
    read_cerqual(g, data)
    return list(dict.fromkeys(g.quads))


def builtin(base: str, data: Path = DATA_DIR) -> tuple[Tool, Cerqual]:
    """MMAT 2018 and GRADE-CERQual as Python objects (their quads are discarded)."""
    g = GraphBuilder(base, NamedNode(base + "graph/frameworks"))
    return read_mmat(g, data), read_cerqual(g, data)


def read_project_tools(folder: Path, g: GraphBuilder, *, prefix: tuple[str, ...]) -> dict[str, Tool]:
    """The tools a reviewer defines in `appraisal_tools.csv` and `appraisal_criteria.csv`, keyed by tool id.

    `prefix` is the IRI path of the project (("project", slug)); a tool is <base/project/s/tool/<tool>>.
    """
    tools_path, criteria_path = folder / "appraisal_tools.csv", folder / "appraisal_criteria.csv"
    if not tools_path.is_file():
        if criteria_path.is_file():
            raise InputError("criteria need their tool: add appraisal_tools.csv (columns tool, label, citation, doi).",
                             path=criteria_path)
        return {}
    tools: dict[str, Tool] = {}
    for row in data_rows(tools_path, ("tool", "label")):
        key = slugify(row.need("tool"))
        if key in tools or key == MMAT:
            raise row.error("tool", f'"{row.need("tool")}" is already defined (mmat2018 is built in).')
        tool = Tool(g.iri(*prefix, "tool", key), key, row.need("label"))
        g.entity(tool.iri, IMRI.AppraisalTool, tool.label, concept=True)
        g.add(tool.iri, RDF.type, SKOS.ConceptScheme)
        g.add_text(tool.iri, DCTERMS.bibliographicCitation, row.get("citation"), lang=None)
        g.add_text(tool.iri, BIBO.doi, row.get("doi"), lang=None)
        g.add(tool.iri, PROV.wasDerivedFrom, NamedNode(f"{tool.iri.value}#{tools_path.name}-row-{row.number}"))
        tools[key] = tool
    if not criteria_path.is_file():
        raise InputError("the tools need their criteria: add appraisal_criteria.csv "
                         "(columns tool, criterion, question, scale, category, order).", path=tools_path)
    for row in data_rows(criteria_path, ("tool", "criterion", "question", "scale")):
        tool = tools.get(slugify(row.need("tool")))
        if tool is None:
            raise row.error("tool", f'"{row.need("tool")}" is not a tool of appraisal_tools.csv '
                                    f'({", ".join(tools) or "none"}).')
        key = row.need("criterion")
        if tool.criterion(key):
            raise row.error("criterion", f'"{key}" is already a criterion of {tool.key}.')
        cat_iri = None
        if row.get("category"):
            slug = slugify(row.get("category"))
            if slug not in tool.categories:
                tool.categories[slug] = Option(g.iri(*prefix, "tool", tool.key, "category", slug), slug,
                                               row.get("category"), len(tool.categories) + 1)
                _concept(g, tool.categories[slug].iri, IMRI.DesignCategory, row.get("category"), tool.iri)
            cat_iri = tool.categories[slug].iri
        labels = [a.strip() for a in row.need("scale").split(";") if a.strip()]
        scale_key = "-".join(slugify(a) for a in labels)
        scale_iri = g.iri(*prefix, "tool", tool.key, "scale", scale_key)
        g.entity(scale_iri, SKOS.Collection, f"{tool.label} answers: {' / '.join(labels)}")
        scale = []
        for n, label in enumerate(labels, start=1):
            o = Option(g.iri(*prefix, "tool", tool.key, "answer", slugify(label)), slugify(label), label, n)
            _concept(g, o.iri, IMRI.AnswerOption, label, tool.iri)
            g.add(scale_iri, SKOS.member, o.iri)
            scale.append(o)
        order = row.integer("order") if row.get("order") else len(tool.criteria) + 1
        c = Criterion(g.iri(*prefix, "tool", tool.key, "criterion", slugify(key)), key, row.need("question"),
                      cat_iri, tuple(scale), order)
        _concept(g, c.iri, IMRI.AppraisalCriterion, c.question, tool.iri, notation=key, order=order,
                 top=cat_iri is None)
        _criterion_links(g, c, scale_iri)
        tool.criteria.append(c)
    return tools


def data_rows(path: Path, required: tuple[str, ...]) -> list[Row]:
    """The data rows of a project CSV or XLSX file, read as the project reader reads them (projects/tables.py:
    `#` comment lines and rows skipped, `;` and tab separated files detected); a file that cannot be read is an
    InputError, located."""
    from imri_kg.projects.problems import Problems
    from imri_kg.projects.tables import read_rows

    problems = Problems(path.parent)
    rows = read_rows(path, problems, required=required)
    if rows is None or problems.errors:
        first = problems.errors[0]
        raise InputError(first.message, path=path, row=first.row or None, column=first.column or None,
                         unit=first.unit)
    return rows
