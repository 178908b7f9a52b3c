"""What a project folder says, as plain records; each keeps the file and row it was read from."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Origin:
    path: Path
    row: int  # spreadsheet row or file line; 0 for a whole file


@dataclass
class Meta:
    slug: str
    title: str
    origin: Origin
    authors: list[str] = field(default_factory=list)
    year: str = ""
    doi: str = ""
    licence: str = ""
    version: str = ""
    description: str = ""
    fictional: bool = False
    citation: str = ""  # how the published work is cited (journal, year, volume, article)
    short_label: str = ""  # a short name such as "Piat et al. 2021"


@dataclass
class Code:
    id: str
    label: str
    origin: Origin
    alt_labels: list[str] = field(default_factory=list)
    definition: str = ""
    parent: str = ""
    level: str = ""
    notation: str = ""
    order: int | None = None  # its place among the codes of its level, as the source lists them
    color: str = ""
    codable: bool = True
    guid: str = ""
    notes: str = ""
    source: str = ""


@dataclass
class CodeAttribute:
    code: str
    attribute: str
    value: str
    origin: Origin
    confidence: str = ""
    basis: str = ""
    source: str = ""


@dataclass
class AttributeValue:
    """One value of an attribute's vocabulary (attribute_values.csv)."""

    attribute: str
    value: str
    label: str
    origin: Origin
    definition: str = ""
    source: str = ""
    order: int | None = None


@dataclass
class Mapping:
    code: str
    predicate: str  # full IRI
    target: str  # full IRI, resolved against the store
    justification: str
    origin: Origin
    confidence: str = ""
    author: str = ""
    comment: str = ""
    target_as_printed: str = ""  # the source's own name for the target, where it is not the target's label


@dataclass
class Dimension:
    id: str
    label: str
    origin: Origin
    definition: str = ""


@dataclass
class Case:
    dimension: str
    id: str
    label: str
    origin: Origin
    alt_labels: list[str] = field(default_factory=list)
    definition: str = ""
    parent: str = ""
    notes: str = ""
    source: str = ""
    order: int | None = None  # its place among the cases of its dimension, as the source lists them
    studies: list[str] = field(default_factory=list)  # study keys (case_studies.csv)


@dataclass
class CaseAttribute:
    cases: list[tuple[str, str]]  # (dimension, case)
    attribute: str
    value: str
    datatype: str
    origin: Origin
    notes: str = ""
    source: str = ""
    footnotes: list[str] = field(default_factory=list)  # ids of notes.csv that mark this value
    basis: str = ""
    confidence: str = ""
    id: str = ""  # a stable id: the attribute's IRI


@dataclass
class Study:
    key: str
    origin: Origin
    authors: list[str] = field(default_factory=list)
    year: str = ""
    title: str = ""
    venue: str = ""
    doi: str = ""
    number: int | None = None

    def citation(self) -> str:
        """A full reference: 'Smith J, Doe A (2019). Title. Venue. doi:10.5555/x'; 'Reference 85' when only the
        review's number is known."""
        if not self.authors and not self.title:
            return (f"Reference {self.number}" if self.number is not None else self.key) + (
                f" (doi:{self.doi})" if self.doi else "")
        text = (", ".join(self.authors) or "Anonymous") + (f" ({self.year})." if self.year else ".")
        for piece in (self.title, self.venue):
            if piece:
                text += " " + piece.rstrip(".") + "."
        if self.doi:
            text += f" doi:{self.doi}"
        return text


@dataclass
class Excerpt:
    id: str
    text: str
    origin: Origin
    codes: list[str] = field(default_factory=list)  # code ids
    cases: list[tuple[str, str]] = field(default_factory=list)  # (dimension, case)
    studies: list[str] = field(default_factory=list)  # study keys
    language: str = "en"
    location: str = ""
    start: int | None = None
    end: int | None = None
    source_document: str = ""
    coder: str = ""
    date: str = ""
    notes: str = ""
    attribution: str = ""
    codes_as_printed: str = ""  # the codes as the source prints them here, where not by their label


@dataclass
class Note:
    about: str  # code:ID, case:DIM:ID, study:KEY, excerpt:ID or project
    text: str
    origin: Origin
    author: str = ""
    date: str = ""
    kind: str = "note"
    id: str = ""  # a stable id (the note's IRI); else a hash of about and text
    mark: str = ""  # a footnote's mark as printed
    source: str = ""


@dataclass
class Reference:
    """A numbered reference of the project's own publication (references.csv)."""

    number: int
    source: str
    origin: Origin
    named_as: str = ""
    named_in: str = ""
    identifier: str = ""
    basis: str = ""


@dataclass
class Part:
    """A part of a published source (a table, a section) that `source` columns name."""

    id: str
    label: str
    origin: Origin


@dataclass
class GuideQuestion:
    """A question of the project's interview guide or questionnaire (questions.csv)."""

    number: int
    text: str
    origin: Origin
    note: str = ""  # to whom it was asked, or how, where the guide does not print it
    source: str = ""


@dataclass
class Document:
    name: str
    text: str
    origin: Origin
