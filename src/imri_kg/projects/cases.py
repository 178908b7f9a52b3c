"""Case dimensions (dimensions.csv), their cases (cases.csv), the studies of each case (case_studies.csv) and
case attributes (case_attributes.csv)."""

import datetime as dt
import re
from pathlib import Path

from imri_kg.projects.bibliography import StudyIndex
from imri_kg.projects.hierarchy import check_parents
from imri_kg.projects.lookup import ID, Lookup
from imri_kg.projects.model import Case, CaseAttribute, Dimension, Origin
from imri_kg.projects.problems import Problems, suggest
from imri_kg.projects.tables import read_order, read_rows, split_list, split_studies

DATATYPES = ("integer", "count", "decimal", "string", "boolean", "date")  # count: a whole number of 0 or more
CONFIDENCE = ("high", "medium", "low")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NOT_APPLICABLE = "N/A"  # a value that does not apply to these cases (a table's N/A cell), of any datatype
RESERVED = ("id", "codes", "studies", "text", "language", "location", "start", "end", "source_document", "coder",
            "date", "notes", "attribution")  # evidence columns a dimension id cannot take


class Cases:
    """Dimensions and cases, with a lookup of the cases of each dimension by id or label."""

    def __init__(self) -> None:
        self.dimensions: dict[str, Dimension] = {}
        self.cases: dict[tuple[str, str], Case] = {}
        self.lookups: dict[str, Lookup] = {}
        self.dimension_lookup = Lookup("case dimension")
        self.attributes: list[CaseAttribute] = []

    def find(self, dimension: str, text: str) -> str | None:
        return self.lookups[dimension].find(text) if dimension in self.lookups else None


def read_cases(folder: Path, problems: Problems) -> Cases:
    folder = Path(folder)
    found = Cases()
    path = folder / "dimensions.csv"
    if path.is_file():
        for row in read_rows(path, problems, required=("dimension", "label")) or []:
            dim, label = row.get("dimension"), row.get("label")
            if not dim or not label:
                problems.add(path, "is empty; this column is required.", row=row.number,
                             column="label" if dim else "dimension")
            elif not ID.fullmatch(dim) or dim in RESERVED:
                problems.add(path, f'"{dim}" must be one word of letters, digits, "_" or "-", and not one of the '
                             f'evidence columns ({", ".join(RESERVED)}).', row=row.number, column="dimension")
            elif dim in found.dimensions:
                problems.add(path, f'duplicate dimension "{dim}" (first in row {found.dimensions[dim].origin.row}).',
                             row=row.number, column="dimension")
            else:
                found.dimensions[dim] = Dimension(dim, label, Origin(path, row.number), row.get("definition"))
                found.lookups[dim] = Lookup(f"case of dimension {dim}")
                found.dimension_lookup.add(dim, label)
    path = folder / "cases.csv"
    if path.is_file():
        rows = read_rows(path, problems, required=("dimension", "case", "label")) or []
        if rows and not found.dimensions:
            problems.input(path, "needs dimensions.csv to say which case dimensions there are.")
        for row in rows:
            missing = [c for c in ("dimension", "case", "label") if not row.get(c)]
            if missing:
                problems.add(path, "is empty; this column is required.", row=row.number, column=missing[0])
                continue
            dim = found.dimension_lookup.find(row.get("dimension"))
            if dim is None:
                if found.dimensions:
                    problems.add(path, found.dimension_lookup.unknown(row.get("dimension")), row=row.number,
                                 column="dimension")
                continue
            case_id = row.get("case")
            lookup = found.lookups[dim]
            if not ID.fullmatch(case_id):
                problems.add(path, f'"{case_id}" must be letters, digits, ".", "_", "~" or "-" (it is used in IRIs).',
                             row=row.number, column="case")
                continue
            if case_id.casefold() in lookup.ids:
                first = found.cases[(dim, lookup.ids[case_id.casefold()])].origin.row
                problems.add(path, f'duplicate case "{case_id}" in dimension {dim} (first in row {first}).',
                             row=row.number, column="case")
                continue
            case = Case(dim, case_id, row.get("label"), Origin(path, row.number),
                        alt_labels=split_list(row.get("alt_labels")), definition=row.get("definition"),
                        parent=row.get("parent"), notes=row.get("notes"), source=row.get("source"),
                        order=read_order(row, problems, path))
            found.cases[(dim, case_id)] = case
            lookup.add(case_id, case.label, case.alt_labels)
        for case in found.cases.values():
            if case.parent:
                parent = found.lookups[case.dimension].find(case.parent)
                if parent is None or parent == case.id:
                    problems.add(path, found.lookups[case.dimension].unknown(case.parent) if parent is None
                                 else "a case cannot be its own parent.", row=case.origin.row, column="parent")
                    case.parent = ""
                else:
                    case.parent = parent
        for dim in found.dimensions:
            check_parents({c.id: c for c in found.cases.values() if c.dimension == dim}, problems, path,
                          whole=f"the cases of dimension {dim}", item="case", have="have")
    return found


def read_case_studies(folder: Path, cases: Cases, studies: StudyIndex, problems: Problems) -> None:
    """case_studies.csv: which studies belong to which case (each case's `studies`)."""
    path = Path(folder) / "case_studies.csv"
    if not path.is_file():
        return
    for row in read_rows(path, problems, required=("dimension", "case", "studies")) or []:
        key = _case(row.get("dimension"), row.get("case"), cases, problems, path, row.number)
        if key is None:
            continue
        refs = split_studies(row.get("studies"))
        if not refs:
            problems.add(path, "is empty; name the case's studies (keys, DOIs or reference numbers).",
                         row=row.number, column="studies")
        for ref in refs:
            study = studies.find(ref)
            if study is None:
                problems.add(path, studies.unknown(ref), row=row.number, column="studies")
            elif study not in cases.cases[key].studies:
                cases.cases[key].studies.append(study)


def _case(dimension: str, case: str, cases: Cases, problems: Problems, path: Path,
          row: int) -> tuple[str, str] | None:
    dim = cases.dimension_lookup.find(dimension)
    if dim is None:
        problems.add(path, cases.dimension_lookup.unknown(dimension) if dimension else "is empty; this column is "
                     "required.", row=row, column="dimension")
        return None
    found = cases.find(dim, case)
    if found is None:
        problems.add(path, cases.lookups[dim].unknown(case) if case else "is empty; this column is required.",
                     row=row, column="case")
        return None
    return dim, found


def read_case_attributes(folder: Path, cases: Cases, problems: Problems) -> None:
    """case_attributes.csv: one value of one case or combination of cases (`dimension:case` list)."""
    path = Path(folder) / "case_attributes.csv"
    if not path.is_file():
        return
    for row in read_rows(path, problems, required=("cases", "attribute", "value")) or []:
        missing = [c for c in ("cases", "attribute", "value") if not row.get(c)]
        if missing:
            problems.add(path, "is empty; this column is required.", row=row.number, column=missing[0])
            continue
        keys = []
        for item in split_list(row.get("cases")):
            dimension, sep, case = item.partition(":")
            if not sep:
                problems.add(path, f'"{item}" must be written dimension:case, like site:quebec.', row=row.number,
                             column="cases")
                continue
            key = _case(dimension.strip(), case.strip(), cases, problems, path, row.number)
            if key is None:  # _case located it under dimension/case; the cell is "cases"
                problems.items[-1] = _recolumn(problems.items[-1])
            else:
                keys.append(key)
        value, datatype = row.get("value"), row.get("datatype").casefold()
        if datatype and datatype not in DATATYPES:
            problems.add(path, f'"{datatype}" must be one of {", ".join(DATATYPES)}.', row=row.number,
                         column="datatype")
            continue
        datatype = datatype or ("integer" if re.fullmatch(r"-?[0-9]+", value) else "string")
        if value != NOT_APPLICABLE and not _fits(value, datatype):
            problems.add(path, f'"{value}" is not a {datatype} value.', row=row.number, column="value")
            continue
        if keys and len(keys) == len(split_list(row.get("cases"))):
            seen = next((a for a in cases.attributes if a.cases == sorted(keys) and a.attribute == row.get("attribute")),
                        None)
            if seen is not None:
                problems.add(path, f'"{row.get("attribute")}" of these cases is already given in row {seen.origin.row}.',
                             row=row.number, column="attribute")
                continue
            confidence, attribute_id = row.get("confidence").casefold(), row.get("id")
            if confidence and confidence not in CONFIDENCE:
                problems.add(path, f'"{row.get("confidence")}" must be high, medium or low.', row=row.number,
                             column="confidence")
                continue
            if attribute_id and not SLUG.fullmatch(attribute_id):
                problems.add(path, f'"{attribute_id}" must be lower-case letters, digits and single hyphens (it is '
                             "used in IRIs).", row=row.number, column="id")
                continue
            if attribute_id and any(a.id == attribute_id for a in cases.attributes):
                first = next(a for a in cases.attributes if a.id == attribute_id).origin.row
                problems.add(path, f'duplicate id "{attribute_id}" (first in row {first}).', row=row.number,
                             column="id")
                continue
            cases.attributes.append(CaseAttribute(sorted(keys), row.get("attribute"), value, datatype,
                                                  Origin(path, row.number), row.get("notes"), row.get("source"),
                                                  footnotes=split_list(row.get("footnotes")), basis=row.get("basis"),
                                                  confidence=confidence, id=attribute_id))


def check_footnotes(attributes: list[CaseAttribute], note_ids: set[str], problems: Problems) -> None:
    """Every note a case attribute's `footnotes` cell names is a note of notes.csv (by its id)."""
    for a in attributes:
        for note in a.footnotes:
            if note not in note_ids:
                hint = suggest(note, {n: n for n in sorted(note_ids)})
                problems.add(a.origin.path, f'"{note}" is not the id of a note in notes.csv.' + (
                    hint or f" Known: {', '.join(sorted(note_ids)) or 'none'}."), row=a.origin.row, column="footnotes")


def _recolumn(problem):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(problem, column="cases")


def _fits(value: str, datatype: str) -> bool:
    try:
        if datatype == "integer":
            int(value)
        elif datatype == "count":
            return value.isascii() and value.isdigit()
        elif datatype == "decimal":
            float(value)
        elif datatype == "boolean":
            return value.casefold() in ("true", "false")
        elif datatype == "date":
            dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
