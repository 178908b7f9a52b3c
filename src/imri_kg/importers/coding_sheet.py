"""Coding sheets: reviewers' rows of coded evidence -> a graph of imri:Example/imri:Quote records with PROV.

One row is one example or quote. Labels are read as people write them (preferred or alternative labels, any
case, spaces tidied). A label, study or date that cannot be resolved is kept as a plain literal in the graph,
so that the SHACL shapes report it, located by row and column, next to every other problem of the sheet.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from imri_kg.importers.labels import Vocabularies, normalise_doi, to_vocabularies
from imri_kg.importers.sheets import read_sheet_rows
from imri_kg.kb.review import slugify
from imri_kg.kb.tables import Row
from imri_kg.namespaces import DCTERMS, IMRI, PROV, RDF, RDFS, SKOS, XSD
from imri_kg.store import DEFAULT_BASE

REVIEW = "piat2021"

# Column -> what to write in it. The order is the template's.
COLUMNS = {
    "study": "Reference number that the review cites (e.g. 85), or the DOI of a source paper "
             "(10.1186/s13643-021-01646-0 for the review, 10.1186/s13033-022-00559-2 for the IMRI study).",
    "kind": "example (default) or quote.",
    "theme": "Implementation theme, by label (imri-kg list themes). Give a theme or an impact.",
    "impact": "IMRI impact, by label (imri-kg list impacts). Give a theme or an impact.",
    "innovation_group": "Innovation group, by label (imri-kg list groups); several separated by ';'.",
    "stakeholder_group": "Optional. Stakeholder group, by label (e.g. Service providers).",
    "site": "Optional. Site of the IMRI study, by label (imri-kg list sites).",
    "text": "The example or quote, word for word.",
    "language": "Language tag of the text and notes (default en).",
    "coder": "Who coded the row.",
    "date": "Date of coding, ISO (YYYY-MM-DD).",
    "notes": "Optional. The coder's notes.",
}
REQUIRED = ("study", "theme", "impact", "innovation_group", "text", "coder", "date")
KINDS = {"example": IMRI.Example, "quote": IMRI.Quote}

# Where a SHACL result path points back to in the sheet.
PATH_COLUMNS = {
    IMRI.theme.value: "theme", IMRI.impact.value: "impact", IMRI.innovationGroup.value: "innovation_group",
    IMRI.stakeholderGroup.value: "stakeholder_group", IMRI.site.value: "site", IMRI.citation.value: "study",
    PROV.wasDerivedFrom.value: "study", IMRI.text.value: "text", PROV.wasAttributedTo.value: "coder",
    DCTERMS.date.value: "date", RDF.type.value: "kind", SKOS.note.value: "notes",
}
# Node-level shapes (no result path) -> the column they are about.
SHAPE_COLUMNS = {"CodedEvidenceShape": "theme", "EvidenceInnovationShape": "innovation_group",
                 "ExampleShape": "study", "EvidenceGroupStudyShape": "study", "ImportedEvidenceShape": "kind"}
# Result path -> kind of label, for near-miss suggestions.
PATH_KINDS = {IMRI.theme.value: "theme", IMRI.impact.value: "impact", IMRI.innovationGroup.value: "innovation group",
              IMRI.stakeholderGroup.value: "stakeholder group", IMRI.site.value: "site"}


@dataclass
class CodingSheet:
    """A sheet read into quads of its own named graph, with each record's row for locating problems."""

    path: Path
    digest: str
    graph: NamedNode
    activity: NamedNode
    quads: list[Quad]
    rows: dict[str, int] = field(default_factory=dict)  # evidence IRI -> sheet row
    vocabularies: Vocabularies | None = None

    @property
    def evidence(self) -> list[NamedNode]:
        return [NamedNode(iri) for iri in self.rows]

    def locate(self, focus: str, path: str | None, shape: str) -> tuple[int, str] | None:
        """The (row, column) a SHACL result points to, when its focus node came from this sheet."""
        if focus not in self.rows:
            return None
        column = PATH_COLUMNS.get(path or "") or SHAPE_COLUMNS.get(shape.rsplit("#", 1)[-1], "")
        return self.rows[focus], column


def read_coding_sheet(path: Path, *, store: Store, base: str = DEFAULT_BASE) -> CodingSheet:
    """The sheet at `path` as a graph; labels, citation numbers and DOIs are resolved against `store`."""
    path = Path(path)
    rows = read_sheet_rows(path, required=REQUIRED)
    # The hash of the cells, not of the bytes: the same sheet saved as CSV or XLSX is the same import.
    content = json.dumps([[r.number, sorted((k, v.strip()) for k, v in r.values.items() if v.strip())] for r in rows],
                         ensure_ascii=False)
    digest = hashlib.sha256(content.encode()).hexdigest()
    base = base if base.endswith("/") else base + "/"
    short = digest[:16]
    sheet = _Builder(base, NamedNode(f"{base}graph/import/{short}"), to_vocabularies(store))
    activity = NamedNode(f"{base}import/{short}")
    source = NamedNode(f"{base}import/{short}/sheet")
    sheet.add(activity, RDF.type, PROV.Activity)
    sheet.add(activity, RDFS.label, Literal(f"Import of coding sheet {path.name}", language="en"))
    sheet.add(activity, PROV.used, source)
    sheet.add(source, RDF.type, PROV.Entity)
    sheet.add(source, RDFS.label, Literal(f"Coding sheet {path.name}", language="en"))
    sheet.add(source, DCTERMS.identifier, Literal(f"sha256:{digest}"))
    result = CodingSheet(path, digest, sheet.graph, activity, sheet.quads, vocabularies=sheet.vocab)
    for row in rows:
        evidence = NamedNode(f"{base}evidence/coded/{short}/{row.number}")
        sheet.row(row, evidence, activity, source)
        result.rows[evidence.value] = row.number
    return result


class _Builder:
    def __init__(self, base: str, graph: NamedNode, vocab: Vocabularies) -> None:
        self.base, self.graph, self.vocab = base, graph, vocab
        self.quads: list[Quad] = []

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(s, p, o, self.graph))

    def row(self, row: Row, ev: NamedNode, activity: NamedNode, source: NamedNode) -> None:
        kind = row.get("kind").casefold() or "example"
        self.add(ev, RDF.type, KINDS.get(kind, IMRI.CodedEvidence))
        self.add(ev, RDFS.label, Literal(f"Coded evidence, {row.path.name} row {row.number}", language="en"))
        for column, prop in (("theme", IMRI.theme), ("impact", IMRI.impact),
                             ("stakeholder_group", IMRI.stakeholderGroup), ("site", IMRI.site)):
            self._label(ev, prop, column.replace("_", " "), row.get(column))
        for group in row.get("innovation_group").split(";"):
            self._label(ev, IMRI.innovationGroup, "innovation group", group.strip())
        self._study(ev, row.get("study"))
        language = row.get("language") or "en"
        self._text(ev, IMRI.text, row.get("text"), language)
        self._text(ev, SKOS.note, row.get("notes"), language)
        coder = row.get("coder")
        if coder:
            agent = NamedNode(f"{self.base}coder/{slugify(coder) or 'unnamed'}")
            self.add(agent, RDF.type, PROV.Agent)
            self.add(agent, RDFS.label, Literal(coder))
            self.add(ev, PROV.wasAttributedTo, agent)
        date = row.get("date")
        if date:
            try:
                self.add(ev, DCTERMS.date, Literal(dt.date.fromisoformat(date).isoformat(), datatype=XSD.date))
            except ValueError:
                self.add(ev, DCTERMS.date, Literal(date))
        record = NamedNode(f"{source.value.removesuffix('/sheet')}/row/{row.number}")
        self.add(record, RDF.type, PROV.Entity)
        self.add(record, RDFS.label, Literal(f"{row.path.name} row {row.number}", language="en"))
        self.add(record, IMRI.order, Literal(str(row.number), datatype=XSD.integer))
        self.add(record, DCTERMS.isPartOf, source)
        self.add(ev, PROV.wasDerivedFrom, record)
        self.add(ev, PROV.wasGeneratedBy, activity)

    def _label(self, ev: NamedNode, prop: NamedNode, kind: str, text: str) -> None:
        if not text:
            return
        found = self.vocab.kinds[kind].find(text)
        self.add(ev, prop, NamedNode(found) if found else Literal(text))

    def _study(self, ev: NamedNode, text: str) -> None:
        if not text:
            return
        if is_reference_number(text):
            found = self.vocab.citations.get((f"{self.base}study/{REVIEW}", int(text)))
            self.add(ev, IMRI.citation, NamedNode(found) if found else Literal(text))
            return
        study = self.vocab.dois.get(normalise_doi(text))
        if study:
            self.add(ev, PROV.wasDerivedFrom, NamedNode(study))
        else:
            self.add(ev, IMRI.citation, Literal(text))

    def _text(self, ev: NamedNode, prop: NamedNode, text: str, language: str) -> None:
        if not text:
            return
        try:
            self.add(ev, prop, Literal(text, language=language))
        except ValueError:  # not a BCP 47 tag: kept untagged, so the shapes report it
            self.add(ev, prop, Literal(text))


def is_reference_number(text: str) -> bool:
    """ASCII digits only, and few of them: "²".isdigit() holds but int("²") fails, and int() refuses 4,300 digits."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def study_message(value: str) -> str:
    """The reviewer-facing message for a study cell that resolves to nothing."""
    if is_reference_number(value):
        return f'"{value}" is not a reference number that the review cites.'
    return f'"{value}" is neither a reference number of the review nor the DOI of a source paper.'


def label_message(sheet: CodingSheet, path: str | None, value: str) -> str | None:
    """A near-miss message for an unresolved label in column of `path`, or None when `path` takes no label."""
    if sheet.vocabularies is None:
        return None
    if path == IMRI.citation.value:
        return study_message(value)
    kind = PATH_KINDS.get(path or "")
    return sheet.vocabularies.kinds[kind].unknown(value) if kind else None
