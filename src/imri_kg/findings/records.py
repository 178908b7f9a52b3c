"""What the findings readers gather: the quads, where each record came from, and the problems found on the way."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from imri_kg.namespaces import DCTERMS, IMRI, PROV, RDF, RDFS, XSD
from imri_kg.projects.rows import Row
from imri_kg.store.builder import GraphBuilder

PROJECT = IMRI.project
FINDINGS, APPRAISALS, CERQUAL_FILE = "findings.csv", "appraisals.csv", "cerqual.csv"
# `imri-kg init` writes these beside the project's other files (projects/template.py): file -> (comment lines,
# header, example row). The example row starts with '#', so it is never imported (examples/README.md, "Findings").
TEMPLATES = {
    FINDINGS: (
        ["findings.csv: one row per review finding. codes, cases, excerpts and studies are lists (separated by ;);",
         "its contributing studies are those of its excerpts. Required: id, statement."],
        ["id", "statement", "codes", "cases", "excerpts", "studies", "notes"],
        ["#F1", "The summary of the finding.", "T1", "", "e1", "", "Example row, never imported."]),
    APPRAISALS: (
        ["appraisals.csv: one answer of one study's appraisal. tool: mmat2018 (the default) or a tool of",
         "appraisal_tools.csv; category: the study's design category, on at least one of its rows; MMAT answers:",
         "Yes, No, Can't tell. Required: study, criterion, answer."],
        ["study", "tool", "category", "criterion", "answer", "comment", "appraiser", "date"],
        ["#smith2019", "mmat2018", "Qualitative", "1.1", "Yes", "Example row, never imported.", "Your name",
         "2024-01-31"]),
    CERQUAL_FILE: (
        ["cerqual.csv: one assessor's GRADE-CERQual assessment of one finding. Each component: no or very minor,",
         "minor, moderate or serious, explained when above no or very minor; confidence: high, moderate, low or",
         "very low, explained when below high; agreed: true for the one the review reports.",
         "Required: finding, confidence."],
        ["finding", "methodological_limitations", "methodological_limitations_explanation", "coherence",
         "coherence_explanation", "adequacy", "adequacy_explanation", "relevance", "relevance_explanation",
         "confidence", "confidence_explanation", "assessor", "date", "agreed"],
        ["#F1", "no or very minor", "", "no or very minor", "", "no or very minor", "", "no or very minor", "",
         "high", "", "Your name", "2024-01-31", "true"]),
}


@dataclass(frozen=True)
class Problem:
    """One located problem: file, spreadsheet row (header = 1) and column, in the reviewer's words.

    `rule` names what was broken: a SHACL shape (ishape:...) or a Python check (check:...).
    """

    path: Path
    row: int | None
    column: str | None
    severity: str  # "Violation" or "Warning"
    message: str
    rule: str

    def to_dict(self) -> dict[str, str | int | None]:
        return {"file": self.path.name, "row": self.row, "column": self.column, "severity": self.severity,
                "message": self.message, "rule": self.rule}


@dataclass
class Gathered:
    """Quads for the project's data graph, each record's row and columns, and the problems met reading them."""

    g: GraphBuilder
    root: str  # the project's IRI: sources are <root/source/<file>/row/<n>>, as the project reader mints them
    rows: dict[str, tuple[Path, int]] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)  # (record, path or shape IRI) -> column
    problems: list[Problem] = field(default_factory=list)
    focus: list[NamedNode] = field(default_factory=list)

    @property
    def quads(self) -> list[Quad]:
        return list(dict.fromkeys(self.g.quads))

    def record(self, s: NamedNode, row: Row, columns: dict[str, str] | None = None) -> None:
        """Remember `s` came from `row` (the first row, for a record of several rows), and its columns by key."""
        if s.value not in self.rows:
            self.rows[s.value] = (row.path, row.number)
            self.focus.append(s)
            self.g.add(s, PROV.wasDerivedFrom, self.source(row))
        for key, column in (columns or {}).items():
            self.columns.setdefault((s.value, key), column)

    def source(self, row: Row) -> NamedNode:
        """The row's IRI, a prov:Entity that is part of its file (the project reader's scheme, projects/graph.py)."""
        file = NamedNode(f"{self.root}/source/{quote(row.path.name, safe='/._-~')}")
        source = NamedNode(f"{file.value}/row/{row.number}")
        self.g.add(file, RDF.type, PROV.Entity)
        self.g.add(file, RDFS.label, Literal(row.path.name))
        self.g.add(file, PROJECT, NamedNode(self.root))
        self.g.add(source, RDF.type, PROV.Entity)
        self.g.add(source, RDFS.label, Literal(f"{row.path.name} row {row.number}"))
        self.g.add(source, DCTERMS.isPartOf, file)
        self.g.add(source, IMRI.order, Literal(str(row.number), datatype=XSD.integer))
        return source

    def problem(self, row: Row, column: str | None, message: str, rule: str, *, severity: str = "Violation") -> None:
        self.problems.append(Problem(row.path, row.number, column, severity, message, rule))

    def date(self, s: NamedNode, row: Row, column: str = "date") -> None:
        """An ISO date as xsd:date; anything else as a plain string, which ishape: reports at its column."""
        text = row.get(column)
        if not text:
            return
        try:
            date.fromisoformat(text)
            self.g.add(s, DCTERMS.date, Literal(text, datatype=XSD.date))
        except ValueError:
            self.g.add(s, DCTERMS.date, Literal(text))
        self.columns.setdefault((s.value, DCTERMS.date.value), column)


def split_list(text: str) -> list[str]:
    """A list cell (examples/README.md): items separated by `;` (studies also by `,`, and `[85, 88]`)."""
    return [item.strip() for item in text.replace("[", "").replace("]", "").split(";") if item.strip()]


def split_studies(text: str) -> list[str]:
    return [s.strip() for item in split_list(text) for s in item.split(",") if s.strip()]


def is_true(text: str) -> bool:
    return text.strip().casefold() in ("true", "yes", "y", "1", "x", "agreed")
