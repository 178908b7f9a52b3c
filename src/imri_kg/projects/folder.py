"""A review project folder (examples/README.md) read whole: every file, every cross-file check, every problem."""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.projects.additions import Addition, read_additions
from imri_kg.projects.bibliography import StudyIndex, read_bibliography
from imri_kg.projects.cases import Cases, check_footnotes, read_case_attributes, read_case_studies, read_cases
from imri_kg.projects.codebook import read_code_attributes, read_codebook
from imri_kg.projects.evidence import read_evidence
from imri_kg.projects.guide import read_questions
from imri_kg.projects.lookup import Lookup
from imri_kg.projects.mappings import Targets, read_mappings
from imri_kg.projects.model import (
    AttributeValue,
    Code,
    CodeAttribute,
    Document,
    Excerpt,
    GuideQuestion,
    Mapping,
    Meta,
    Note,
    Origin,
    Part,
    Reference,
)
from imri_kg.projects.problems import Problems
from imri_kg.projects.tables import read_rows
from imri_kg.projects.views import View, read_views
from imri_kg.projects.vocabularies import check_code_attribute_values, read_attribute_values
from imri_kg.store import DEFAULT_BASE

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NOTE_KINDS = ("note", "memo", "uncertainty", "footnote")


@dataclass
class ProjectFolder:
    """Everything a project folder says, and every problem found reading it."""

    folder: Path
    problems: Problems
    meta: Meta | None = None
    codes: dict[str, Code] = field(default_factory=dict)
    code_lookup: Lookup = field(default_factory=lambda: Lookup("code"))
    code_attributes: list[CodeAttribute] = field(default_factory=list)
    attribute_values: dict[str, dict[str, AttributeValue]] = field(default_factory=dict)
    mappings: list[Mapping] = field(default_factory=list)
    cases: Cases = field(default_factory=Cases)
    studies: StudyIndex = field(default_factory=StudyIndex)
    excerpts: list[Excerpt] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    questions: list[GuideQuestion] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)  # framework_additions.csv

    @property
    def slug(self) -> str:
        return self.meta.slug if self.meta else ""

    def counts(self) -> dict[str, int]:
        return {"codes": len(self.codes), "dimensions": len(self.cases.dimensions), "cases": len(self.cases.cases),
                "case attributes": len(self.cases.attributes), "studies": len(self.studies.studies),
                "excerpts": len(self.excerpts), "mappings": len(self.mappings), "notes": len(self.notes)} | (
                    {"framework additions": len(self.additions)} if self.additions else {})


def read_project(folder: Path, *, store: Store | None = None, base: str = DEFAULT_BASE) -> ProjectFolder:
    """Read every file of the project at `folder`; `store` holds the frameworks that mappings.csv targets.

    Problems are collected, never raised: check `.problems` before using the records.
    """
    folder = Path(folder)
    base = base if base.endswith("/") else base + "/"
    problems = Problems(folder)
    project = ProjectFolder(folder, problems)
    if not folder.is_dir():
        raise InputError("is not a project folder (imri-kg init DIR writes one).", path=folder)
    project.meta = read_metadata(folder, problems)
    project.codes, project.code_lookup = read_codebook(folder, problems)
    project.code_attributes = read_code_attributes(folder, project.code_lookup, problems)
    project.attribute_values = read_attribute_values(folder, problems)
    check_code_attribute_values(project.code_attributes, project.attribute_values, problems)
    project.additions = read_additions(folder, store, problems, base=base)
    if (folder / "mappings.csv").is_file():
        targets = Targets.of(store, base).with_additions(project.additions, f"{base}project/{project.slug}")
        project.mappings = read_mappings(folder, project.code_lookup, targets, problems)
    project.studies = read_bibliography(folder, problems)
    project.cases = read_cases(folder, problems)
    read_case_studies(folder, project.cases, project.studies, problems)
    read_case_attributes(folder, project.cases, problems)
    project.excerpts = read_evidence(folder, project.codes, project.code_lookup, project.cases, project.studies,
                                     problems)
    project.parts = read_parts(folder, problems)
    project.references = read_references(folder, problems)
    project.notes = read_notes(project)
    check_footnotes(project.cases.attributes, {n.id for n in project.notes if n.id}, problems)
    project.documents = read_documents(folder, problems)
    project.questions = read_questions(folder, problems)
    project.views = read_views(folder, problems)
    return project


def read_metadata(folder: Path, problems: Problems) -> Meta | None:
    from imri_kg.projects.metadata import read_metadata as read

    return read(folder, problems)


def read_notes(project: ProjectFolder) -> list[Note]:
    """notes.csv: notes and memos about the project, a code, a case, a study or an excerpt."""
    path = project.folder / "notes.csv"
    if not path.is_file():
        return []
    problems = project.problems
    excerpts = {e.id for e in project.excerpts}
    parts = {p.id for p in project.parts}
    ids: set[str] = set()
    notes = []
    for row in read_rows(path, problems, required=("about", "text")) or []:
        about, text = row.get("about"), row.get("text")
        if not about or not text:
            problems.add(path, "is empty; this column is required.", row=row.number, column="text" if about else "about")
            continue
        kind, _, rest = about.partition(":")
        target = None
        if kind == "project" and not rest:
            target = "project"
        elif kind == "code":
            code = project.code_lookup.find(rest)
            target = f"code:{code}" if code else None
            if code is None:
                problems.add(path, project.code_lookup.unknown(rest), row=row.number, column="about")
                continue
        elif kind == "case":
            dim, _, case = rest.partition(":")
            found = project.cases.find(dim, case) if dim in project.cases.dimensions else None
            target = f"case:{dim}:{found}" if found else None
        elif kind == "study":
            key = project.studies.find(rest)
            target = f"study:{key}" if key else None
        elif kind == "excerpt":
            target = about if rest in excerpts else None
        elif kind == "part":
            target = about if rest in parts else None
        if target is None:
            problems.add(path, f'"{about}" names nothing in the project; write project, code:ID, case:DIMENSION:ID, '
                         "study:KEY, excerpt:ID or part:ID (parts.csv).", row=row.number, column="about")
            continue
        note_kind = row.get("kind").casefold() or "note"
        if note_kind not in NOTE_KINDS:
            problems.add(path, f'"{row.get("kind")}" must be one of {", ".join(NOTE_KINDS)}.', row=row.number,
                         column="kind")
            continue
        date = row.get("date")
        if date:
            try:
                date = dt.date.fromisoformat(date).isoformat()
            except ValueError:
                problems.add(path, f'"{date}" is not an ISO date like 2024-05-31.', row=row.number, column="date")
                continue
        note_id = row.get("id")
        if note_id and (note_id in ids or not SLUG.fullmatch(note_id)):
            problems.add(path, f'"{note_id}" must be unique and lowercase letters, digits and hyphens.',
                         row=row.number, column="id")
            continue
        ids.add(note_id)
        notes.append(Note(target, text, Origin(path, row.number), author=row.get("author"), date=date,
                          kind=note_kind, id=note_id, mark=row.get("mark"), source=row.get("source")))
    return notes


def read_parts(folder: Path, problems: Problems) -> list[Part]:
    """parts.csv: the parts of a published source (a table, a section) that `source` columns name."""
    path = folder / "parts.csv"
    if not path.is_file():
        return []
    parts: dict[str, Part] = {}
    for row in read_rows(path, problems, required=("part", "label")) or []:
        part, label = row.get("part"), row.get("label")
        if not part or not label:
            problems.add(path, "is empty; this column is required.", row=row.number, column="label" if part else "part")
        elif part in parts:
            problems.add(path, f'duplicate part "{part}" (first in row {parts[part].origin.row}).', row=row.number,
                         column="part")
        else:
            parts[part] = Part(part, label, Origin(path, row.number))
    return list(parts.values())


def read_references(folder: Path, problems: Problems) -> list[Reference]:
    """references.csv: the numbered references of the project's own publication, one row per number."""
    path = folder / "references.csv"
    if not path.is_file():
        return []
    found: dict[int, Reference] = {}
    for row in read_rows(path, problems, required=("number", "source")) or []:
        number, source = row.get("number"), row.get("source")
        if not number.isdigit() or not source:
            problems.add(path, "must be a whole number." if source else "is empty; this column is required.",
                         row=row.number, column="number" if source else "source")
        elif int(number) in found:
            problems.add(path, f"duplicate reference {number} (first in row {found[int(number)].origin.row}).",
                         row=row.number, column="number")
        else:
            found[int(number)] = Reference(int(number), source, Origin(path, row.number), named_as=row.get("named_as"),
                                           named_in=row.get("named_in"), identifier=row.get("identifier"),
                                           basis=row.get("basis"))
    return list(found.values())


def read_documents(folder: Path, problems: Problems) -> list[Document]:
    directory = folder / "documents"
    if not directory.is_dir():
        return []
    documents = []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in (".md", ".txt") or not path.is_file():
            continue
        try:
            documents.append(Document(path.name, path.read_text(encoding="utf-8-sig"), Origin(path, 0)))
        except UnicodeDecodeError as exc:
            problems.input(path, f"is not UTF-8 (byte {exc.start}); save it as UTF-8.")
    return documents
