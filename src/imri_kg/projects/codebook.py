"""The codebook (codebook.csv), code attributes (code_attributes.csv) and mappings to frameworks (mappings.csv)."""

import re
from pathlib import Path

from imri_kg.projects.hierarchy import check_parents
from imri_kg.projects.lookup import ID, Lookup
from imri_kg.projects.model import Code, CodeAttribute, Origin
from imri_kg.projects.problems import Problems
from imri_kg.projects.tables import read_order, read_rows, split_list

COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
CONFIDENCE = ("high", "medium", "low")
PREDICATES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


def read_codebook(folder: Path, problems: Problems) -> tuple[dict[str, Code], Lookup]:
    """The codes by id, and a lookup by id or label. Duplicates, unknown parents and cycles are problems."""
    path = Path(folder) / "codebook.csv"
    codes: dict[str, Code] = {}
    lookup = Lookup("code")
    if not path.is_file():
        problems.input(path, "not found; every project needs a codebook (imri-kg init DIR writes one).")
        return codes, lookup
    rows = read_rows(path, problems, required=("code", "label"))
    for row in rows or []:
        code_id, label = row.get("code"), row.get("label")
        if not code_id or not label:
            problems.add(path, "is empty; this column is required.", row=row.number,
                         column="code" if not code_id else "label")
            continue
        if not ID.fullmatch(code_id):
            problems.add(path, f'"{code_id}" must be letters, digits, ".", "_", "~" or "-" (it is used in IRIs).',
                         row=row.number, column="code")
            continue
        if code_id.casefold() in lookup.ids:
            first = codes[lookup.ids[code_id.casefold()]].origin.row
            problems.add(path, f'duplicate code "{code_id}" (first in row {first}); give each code its own id.',
                         row=row.number, column="code")
            continue
        codable = row.get("codable").casefold()
        if codable not in ("", "true", "false", "yes", "no", "1", "0"):
            problems.add(path, f'"{row.get("codable")}" must be true or false.', row=row.number, column="codable")
        color = row.get("color")
        if color and not COLOR.fullmatch(color):
            problems.add(path, f'"{color}" must be a colour like #1F77B4.', row=row.number, column="color")
        level = row.get("level")
        if level and not ID.fullmatch(level):
            problems.add(path, f'"{level}" must be one word (letters, digits, "-").', row=row.number, column="level")
        code = Code(code_id, label, Origin(path, row.number), alt_labels=split_list(row.get("alt_labels")),
                    definition=row.get("definition"), parent=row.get("parent"), level=level,
                    notation=row.get("notation"), order=read_order(row, problems, path), color=color, codable=codable not in ("false", "no", "0"),
                    guid=row.get("guid"), notes=row.get("notes"), source=row.get("source"))
        codes[code_id] = code
        lookup.add(code_id, label, code.alt_labels)
    for code in codes.values():
        if code.parent:
            parent = lookup.ids.get(code.parent.casefold())
            if parent is None:
                problems.add(path, f'parent "{code.parent}" is not a code id of this codebook.'
                             + _hint(lookup, code.parent), row=code.origin.row, column="parent")
                code.parent = ""
            else:
                code.parent = parent
    check_parents(codes, problems, path, whole="the codebook", item="code")
    return codes, lookup


def _hint(lookup: Lookup, text: str) -> str:
    message = lookup.unknown(text)
    return message[message.index(".") + 1:] if "Did you mean" in message else ""


def read_code_attributes(folder: Path, codes: Lookup, problems: Problems) -> list[CodeAttribute]:
    path = Path(folder) / "code_attributes.csv"
    if not path.is_file():
        return []
    found = []
    for row in read_rows(path, problems, required=("code", "attribute", "value")) or []:
        missing = [c for c in ("code", "attribute", "value") if not row.get(c)]
        if missing:
            problems.add(path, "is empty; this column is required.", row=row.number, column=missing[0])
            continue
        code = codes.find(row.get("code"))
        if code is None:
            problems.add(path, codes.unknown(row.get("code")), row=row.number, column="code")
            continue
        confidence = row.get("confidence").casefold()
        if confidence and confidence not in CONFIDENCE:
            problems.add(path, f'"{row.get("confidence")}" must be high, medium or low.', row=row.number,
                         column="confidence")
        found.append(CodeAttribute(code, row.get("attribute"), row.get("value"), Origin(path, row.number),
                                   confidence=confidence, basis=row.get("basis"), source=row.get("source")))
    return found
