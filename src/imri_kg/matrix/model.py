"""What a matrix is made of: axis items, cited studies, excerpts, cells and the matrix itself."""

from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass(frozen=True)
class Item:
    """A row or column: one code or case of one project."""

    iri: str
    label: str
    project: str
    project_label: str = ""
    notation: str = ""


@dataclass(frozen=True)
class Study:
    """A study an excerpt cites, with what the graph says of its reference."""

    iri: str
    reference: str = ""  # the review's reference number
    key: str = ""
    citation: str = ""  # dcterms:bibliographicCitation, the full reference as the importer wrote it
    title: str = ""
    year: str = ""
    doi: str = ""

    @property
    def doi_link(self) -> str:
        """The DOI as a link; characters a URL cannot hold as they are (an old SICI DOI's <, > and #) encoded."""
        return f"https://doi.org/{quote(self.doi, safe='/:;()._-~!$&*+,=@[]')}" if self.doi else ""

    @property
    def full_reference(self) -> str:
        """The full reference: the stored citation, else what the fields give."""
        if self.citation:
            return self.citation
        parts = [p for p in (self.title, self.year and f"({self.year})", self.doi and f"doi:{self.doi}") if p]
        return " ".join(parts) or self.key or self.iri

    def to_dict(self) -> dict[str, str]:
        return {"iri": self.iri, "reference": self.reference, "key": self.key, "citation": self.full_reference,
                "title": self.title, "year": self.year, "doi": self.doi, "doi_link": self.doi_link}


@dataclass
class Excerpt:
    iri: str
    text: str
    location: str = ""
    project: str = ""
    studies: list[Study] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"iri": self.iri, "text": self.text, "location": self.location, "project": self.project,
                "studies": [s.to_dict() for s in self.studies]}


@dataclass
class Cell:
    excerpts: int = 0
    studies: int = 0
    items: list[Excerpt] = field(default_factory=list)  # filled when the excerpts were asked for


@dataclass
class Matrix:
    """Rows × columns; `cells` holds the non-empty cells by (row IRI, column IRI)."""

    rows: list[Item]
    cols: list[Item]
    cells: dict[tuple[str, str], Cell]
    row_spec: str = ""
    col_spec: str = ""
    projects: tuple[str, ...] = ()  # empty: every project
    with_excerpts: bool = False

    def cell(self, row: Item, col: Item) -> Cell:
        return self.cells.get((row.iri, col.iri), Cell())

    def to_dict(self) -> dict:
        def item(i: Item) -> dict[str, str]:
            return {"iri": i.iri, "label": i.label, "project": i.project, "project_label": i.project_label,
                    "notation": i.notation}
        cells = []
        for r in self.rows:
            for c in self.cols:
                cell = self.cells.get((r.iri, c.iri))
                if cell is None:
                    continue
                entry = {"row": r.iri, "col": c.iri, "excerpts": cell.excerpts, "studies": cell.studies}
                if self.with_excerpts:
                    entry["items"] = [e.to_dict() for e in cell.items]
                cells.append(entry)
        return {"rows_spec": self.row_spec, "cols_spec": self.col_spec, "projects": list(self.projects),
                "rows": [item(r) for r in self.rows], "cols": [item(c) for c in self.cols], "cells": cells}
