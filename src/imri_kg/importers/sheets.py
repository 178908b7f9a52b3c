"""Reading a spreadsheet (CSV or XLSX) into located rows, with clear errors for files that are not sheets."""

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path

from imri_kg.errors import InputError
from imri_kg.importers.rows import Header, Row, csv_rows
from imri_kg.limits import check_xlsx

SHEET_SUFFIXES = (".csv", ".xlsx")
MAGIC = {b"%PDF": "a PDF document", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file",
         b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image"}


def read_sheet_rows(path: Path, *, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[Row]:
    """Every data row of the sheet, as `sheet_rows` gives them (a list: for small sheets and tests)."""
    return list(sheet_rows(path, required=required, optional=optional))


def sheet_rows(path: Path, *, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> "SheetRows":
    """The data rows, one at a time (a million rows are never held at once), of a CSV (UTF-8; comma, semicolon or
    tab separated) or XLSX sheet whose header has the `required` columns (and the `optional` ones, when it has
    them, in their own case).

    Row numbers are those a spreadsheet shows; the header is the first row with a filled cell. Cell values are
    text: whole numbers without '.0' and dates in ISO form; the header and the rows of both formats are read by one
    `rows.Header`, so that a CSV and an XLSX of the same sheet read the same (and are refused at the same row).
    A row whose first cell starts with `#` is a comment (the template's example row is one), as in a project's
    files.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found.", path=path)
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise InputError(f"is not a coding sheet; save it as {' or '.join(SHEET_SUFFIXES)}.", path=path)
    with path.open("rb") as f:
        head = f.read(8)
        blank = not head.strip() and not any(chunk.strip() for chunk in iter(lambda: f.read(1 << 16), b""))
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"is {what}, not a coding sheet; save the sheet as CSV (UTF-8) or XLSX.", path=path)
    if blank:
        raise InputError("is empty; a coding sheet needs a header row naming its columns "
                         "(imri-kg template writes one).", path=path)
    rows = _xlsx_rows(path, required, optional) if suffix == ".xlsx" else csv_rows(path, required=required,
                                                                                    optional=optional)
    return SheetRows(r for r in rows if any(v.strip() for v in r.values.values()))


class SheetRows:
    """The data rows of a sheet, one at a time; `skipped` counts the comment and example rows passed so far.

    The first data row is read when the sheet is opened, so that a broken file or header is reported then.
    """

    def __init__(self, rows: Iterator[Row]):
        self.skipped = 0
        self._rows = self._data(rows)
        self._ahead = [r for r in [next(self._rows, None)] if r is not None]

    def _data(self, rows: Iterator[Row]) -> Iterator[Row]:
        for row in rows:
            if is_comment(row):
                self.skipped += 1
            else:
                yield row

    def __iter__(self) -> "SheetRows":
        return self

    def __next__(self) -> Row:
        return self._ahead.pop() if self._ahead else next(self._rows)


def is_comment(row: Row) -> bool:
    """A row whose first cell starts with `#`: a comment or an example, never imported."""
    return next(iter(row.values.values()), "").lstrip().startswith("#")


def _xlsx_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[Row]:
    import openpyxl  # only needed for workbooks

    if not zipfile.is_zipfile(path):
        raise InputError("is not an Excel workbook (.xlsx); save the sheet as XLSX or CSV (UTF-8).", path=path)
    check_xlsx(path)  # archive bounds and XML nesting, before openpyxl unpacks anything
    book = None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)  # rows are parsed as they are read
        header = None
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if header is not None:
                yield header.row(number, cells)
            elif any(c.strip() for c in cells):  # the first row with a filled cell, as in a CSV file
                header = Header(cells, path=path, row=number, required=required, optional=optional)
        if header is None:
            raise InputError("is empty; a coding sheet needs a header row naming its columns "
                             "(imri-kg template writes one).", path=path)
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - zip, zlib, XML or openpyxl errors: all say the file is broken
        raise InputError(f"cannot be read as an Excel workbook ({type(exc).__name__}); "
                         "save the sheet as XLSX or CSV (UTF-8).", path=path) from None
    finally:
        if book is not None:
            book.close()


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
