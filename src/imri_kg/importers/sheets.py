"""Reading a spreadsheet (CSV or XLSX) into located rows, with clear errors for files that are not sheets."""

import datetime as dt
import zipfile
from pathlib import Path

from imri_kg.errors import InputError
from imri_kg.kb.tables import Row, missing_columns, read_table
from imri_kg.limits import check_xlsx

SHEET_SUFFIXES = (".csv", ".xlsx")
MAGIC = {b"%PDF": "a PDF document", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file",
         b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image"}


def read_sheet_rows(path: Path, *, required: tuple[str, ...]) -> list[Row]:
    """The data rows of a coding sheet (read_sheet), without the count of example rows skipped."""
    return read_sheet(path, required=required)[0]


def read_sheet(path: Path, *, required: tuple[str, ...]) -> tuple[list[Row], int]:
    """The data rows of a CSV (UTF-8; comma, semicolon or tab separated) or XLSX sheet whose header has the
    `required` columns.

    Row numbers are those a spreadsheet shows (the header is row 1). Cell values are text: whole numbers
    without '.0' and dates in ISO form, so that a CSV and an XLSX of the same sheet read the same. A row whose first
    cell starts with `#` is a comment (the template's example row is one), as in a project's files: it is skipped,
    and counted (the second value), so that a report can say so.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found.", path=path)
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise InputError(f"is not a coding sheet; save it as {' or '.join(SHEET_SUFFIXES)}.", path=path)
    head = path.read_bytes()[:8]
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"is {what}, not a coding sheet; save the sheet as CSV (UTF-8) or XLSX.", path=path)
    if not path.read_bytes().strip():
        raise InputError("is empty; a coding sheet needs a header row naming its columns "
                         "(imri-kg template writes one).", path=path)
    if suffix == ".xlsx":
        return _xlsx_rows(path, required)
    rows = [r for r in read_table(path, required=required, detect=True) if any(v.strip() for v in r.values.values())]
    kept = [r for r in rows if not is_comment(r)]
    return kept, len(rows) - len(kept)


def is_comment(row: Row) -> bool:
    """A row whose first cell starts with `#`: a comment or an example, never imported."""
    return next(iter(row.values.values()), "").lstrip().startswith("#")


def _xlsx_rows(path: Path, required: tuple[str, ...]) -> tuple[list[Row], int]:
    import openpyxl  # only needed for workbooks

    if not zipfile.is_zipfile(path):
        raise InputError("is not an Excel workbook (.xlsx); save the sheet as XLSX or CSV (UTF-8).", path=path)
    check_xlsx(path)  # archive bounds and XML nesting, before openpyxl unpacks anything
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            cells = list(sheet.iter_rows(values_only=True))
        finally:
            book.close()
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, zlib, XML or openpyxl errors: all say the file is broken
        raise InputError(f"cannot be read as an Excel workbook ({type(exc).__name__}); "
                         "save the sheet as XLSX or CSV (UTF-8).", path=path) from None
    if not cells or not any(c is not None for c in cells[0]):
        raise InputError("is empty; a coding sheet needs a header row naming its columns "
                         "(imri-kg template writes one).", path=path)
    header = [cell_text(c).strip() for c in cells[0]]
    if missing := missing_columns(required, header):
        raise InputError(missing, path=path, row=1)
    rows, skipped = [], 0
    for number, values in enumerate(cells[1:], start=2):
        record = {h: cell_text(v) for h, v in zip(header, values) if h}
        if not any(v.strip() for v in record.values()):
            continue
        first = cell_text(values[0]) if values else ""
        if first.lstrip().startswith("#"):
            skipped += 1
        else:
            rows.append(Row(path, number, record))
    return rows, skipped


def cell_text(value: object) -> str:
    """A spreadsheet cell as people read it: dates in ISO, 3.0 as 3, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
