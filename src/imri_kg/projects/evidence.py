"""Coded evidence: evidence/*.csv and *.xlsx, one excerpt a row, with its codes, cases, cited studies and text."""

import datetime as dt
import hashlib
import json
from pathlib import Path

from pyoxigraph import Literal

from imri_kg.projects.bibliography import StudyIndex
from imri_kg.projects.cases import Cases
from imri_kg.projects.lookup import ID, Lookup
from imri_kg.projects.model import Code, Excerpt, Origin
from imri_kg.projects.problems import Problems, suggest
from imri_kg.projects.tables import read_rows, split_list, split_studies

COLUMNS = ("id", "codes", "studies", "text", "language", "location", "start", "end", "source_document", "coder",
           "date", "notes", "attribution", "codes_as_printed")
REQUIRED = ("codes", "studies", "text")
SUFFIXES = (".csv", ".xlsx")


def excerpt_id(text: str, codes: list[str], studies: list[str]) -> str:
    """The id of a row without one: sha1 of its text, codes and studies (12 hex)."""
    content = json.dumps([text, sorted(codes), sorted(studies)], ensure_ascii=False)
    return hashlib.sha1(content.encode()).hexdigest()[:12]


def read_evidence(folder: Path, codes: dict[str, Code], lookup: Lookup, cases: Cases, studies: StudyIndex,
                  problems: Problems) -> list[Excerpt]:
    directory = Path(folder) / "evidence"
    if not directory.is_dir():
        return []
    excerpts: dict[str, Excerpt] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue
        if path.suffix.lower() not in SUFFIXES:
            problems.add(path, "is not an evidence sheet (.csv or .xlsx); it was not read.", severity="Warning")
            continue
        rows = read_rows(path, problems, required=REQUIRED)
        if rows is None:
            continue
        header = list(rows[0].values) if rows else []
        dims = {}
        for column in header:
            dim = column if column in cases.dimensions else None
            if dim:
                dims[column] = dim
            elif column not in COLUMNS:
                known = {d: d for d in cases.dimensions} | {c: c for c in COLUMNS}
                problems.add(path, f'unknown column "{column}" was not read; a case column is named by a dimension '
                             f"id of dimensions.csv ({', '.join(cases.dimensions) or 'none yet'})."
                             + suggest(column.casefold(), known), row=0,
                             column=column, severity="Warning")
        for row in rows:
            excerpt = _row(row, codes, lookup, cases, dims, studies, problems, path)
            if excerpt is None:
                continue
            if excerpt.id in excerpts:
                first = excerpts[excerpt.id].origin
                where = f"{problems.name(first.path)} row {first.row}"
                problems.add(path, f'duplicate excerpt id "{excerpt.id}" (also {where}); give each row its own id.'
                             if row.get("id") else f"the same excerpt (text, codes and studies) as {where}; "
                             "delete one, or give each an id.", row=row.number, column="id" if row.get("id") else "text")
                continue
            excerpts[excerpt.id] = excerpt
    return list(excerpts.values())


def _row(row, codes, lookup, cases, dims, studies, problems, path) -> Excerpt | None:  # type: ignore[no-untyped-def]
    ok = True

    def bad(column: str, message: str) -> None:
        nonlocal ok
        ok = False
        problems.add(path, message, row=row.number, column=column)

    found_codes = []
    for text in split_list(row.get("codes")):
        code = lookup.find(text)
        if code is None:
            bad("codes", lookup.unknown(text))
        elif not codes[code].codable:
            bad("codes", f'"{text}" is a code that is not for coding (codable false in codebook.csv); '
                         "code the excerpt to one of its sub-codes.")
        elif code not in found_codes:
            found_codes.append(code)
    if not row.get("codes"):
        bad("codes", "is empty; code the excerpt to at least one code of the codebook.")
    found_cases = []
    for column, dim in dims.items():
        for text in split_list(row.get(column)):
            case = cases.find(dim, text)
            if case is None:
                bad(column, cases.lookups[dim].unknown(text))
            elif (dim, case) not in found_cases:
                found_cases.append((dim, case))
    found_studies = []
    for ref in split_studies(row.get("studies")):
        key = studies.find(ref)
        if key is None:
            bad("studies", studies.unknown(ref))
        elif key not in found_studies:
            found_studies.append(key)
    if not split_studies(row.get("studies")):
        bad("studies", "the row cites nothing; name the studies it comes from (citation key, DOI or reference "
                       "number; several as 85;88 or [85, 88]).")
    text = row.get("text")
    if not text:
        bad("text", "is empty; give the excerpt's words.")
    language = row.get("language") or "en"
    try:
        Literal("x", language=language)
    except ValueError:
        bad("language", f'"{language}" is not a language tag (en, fr, pt-BR).')
    positions = {}
    for column in ("start", "end"):
        value = row.get(column)
        if value and not (value.isdigit()):
            bad(column, f'"{value}" must be a whole number (a code-point position).')
        elif value:
            positions[column] = int(value)
    if len(positions) == 2 and positions["start"] > positions["end"]:
        bad("end", f"end ({positions['end']}) is before start ({positions['start']}).")
    date = row.get("date")
    if date:
        try:
            date = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            bad("date", f'"{date}" is not an ISO date like 2024-05-31{_serial_hint(date)}.')
    given = row.get("id")
    if given and not ID.fullmatch(given):
        bad("id", f'"{given}" must be letters, digits, ".", "_", "~" or "-" (it is used in IRIs).')
    if not ok:
        return None
    return Excerpt(given or excerpt_id(text, found_codes, found_studies), text, Origin(path, row.number),
                   codes=found_codes, cases=found_cases, studies=found_studies, language=language,
                   location=row.get("location"), start=positions.get("start"), end=positions.get("end"),
                   source_document=row.get("source_document"), coder=row.get("coder"), date=date,
                   notes=row.get("notes"), attribution=row.get("attribution"),
                   codes_as_printed=row.get("codes_as_printed"))


def _serial_hint(text: str) -> str:
    """What a spreadsheet's date number (days since 1899-12-30, Excel and LibreOffice alike) stands for, as a hint;
    only for numbers of 1927 to 2119 (10000-80000), so that a year such as 2024 is not read as one."""
    if not text.isdigit() or not 10_000 <= int(text) <= 80_000:
        return ""
    day = dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    return f"; as a spreadsheet's date number it is {day.isoformat()}: format the column as a date or as text (YYYY-MM-DD)"
