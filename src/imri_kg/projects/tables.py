"""Reading a project's CSV and XLSX files into located rows: `#` comment lines and rows skipped, `;` and tab
separated files detected, lists inside cells split."""

import csv
import io
import re
import zipfile
from pathlib import Path

from imri_kg.errors import InputError
from imri_kg.importers.sheets import MAGIC, cell_text
from imri_kg.limits import check_xlsx
from imri_kg.projects.problems import Problems
from imri_kg.projects.rows import QUOTE_HINT, Row, missing_columns, to_delimiter

MERGE = re.compile(r'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
FREE_TEXT = ("text", "statement", "label", "definition", "notes", "note", "justification", "comment", "basis",
             "question")
LIST_SPLIT = re.compile(r"\s*;\s*")
STUDY_SPLIT = re.compile(r"\s*[;,]\s*")


def read_rows(path: Path, problems: Problems, *, required: tuple[str, ...]) -> list[Row] | None:
    """The data rows of a CSV or XLSX file, or None (with the problem recorded) when it cannot be read.

    Row numbers are those a spreadsheet shows: the first line of the file is row 1, comment lines included.
    A data row whose first cell starts with `#` is a comment, unless its column holds free text (FREE_TEXT, where
    "#1 priority" is words); so is a row with nothing in it.
    """
    path = Path(path)
    data = path.read_bytes()
    for magic, what in MAGIC.items():
        if data.startswith(magic) and not (magic == b"\xd0\xcf\x11\xe0" and path.suffix == ".xlsx"):
            problems.input(path, f"is {what}, not a table; save it as CSV (UTF-8) or XLSX.")
            return None
    merged: list[tuple[int, int, int, int]] = []  # (first column, first row, last column, last row), 1-based
    if path.suffix.lower() == ".xlsx":
        lines = _xlsx_lines(path, problems, merged)
    else:
        lines = _csv_lines(path, data, problems)
    if lines is None:
        return None
    header_at = next((i for i, cells in enumerate(lines) if cells and any(c.strip() for c in cells)
                      and not cells[0].lstrip().startswith("#")), None)
    if header_at is None:
        problems.input(path, "has no header row naming its columns (lines starting with # are comments).")
        return None
    header = [h.strip().lstrip("\ufeff") for h in lines[header_at]]
    if missing := missing_columns(required, header):
        problems.input(path, missing, row=header_at + 1)
        return None
    for col, first, last_col, last in merged:
        if last > max(first, header_at + 1) and col <= len(header):
            from openpyxl.utils import get_column_letter

            ref = f"{get_column_letter(col)}{first}:{get_column_letter(last_col)}{last}"
            problems.add(path, f"cells {ref} are merged, and a merged cell holds its value in its first row only "
                               f"(row{'s' if last > first + 1 else ''} {', '.join(map(str, range(first + 1, last + 1)))}"
                               " reads it as empty); unmerge them and write the value in every row.",
                         row=first, column=header[col - 1])
    rows = []
    comments = header[0] not in FREE_TEXT  # "#1 priority was..." in a first `text` column is an excerpt
    for number, cells in enumerate(lines[header_at + 1:], start=header_at + 2):
        if not cells or not any(c.strip() for c in cells) or (comments and cells[0].lstrip().startswith("#")):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.input(path, f"has {len(cells)} cells but the header has {len(header)}.", row=number)
            continue
        rows.append(Row(path, number, {h: (c or "").strip() for h, c in zip(header, cells) if h}))
    return rows


def _csv_lines(path: Path, data: bytes, problems: Problems) -> list[list[str]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.input(path, f"is not UTF-8 (byte {exc.start}); save it as CSV UTF-8.", row=line, unit="line")
        return None
    if "\0" in text:
        problems.input(path, "is not a text file (it contains NUL bytes).")
        return None
    # Lines end only at \r and \n (csv's own rule): str.splitlines would also end them at \v, \f, \x1c-\x1e,
    # \x85, U+2028 and U+2029, which text pasted from a word processor holds inside a cell.
    content = [ln for ln in io.StringIO(text, newline="") if ln.strip() and not ln.lstrip().startswith("#")]
    head = content[0] if content else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=to_delimiter(head), strict=True)
    records, start = [], 1   # start: the line where the record being read begins
    try:
        for cells in reader:
            records.append(cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.input(path, f"is not valid CSV: {exc} (in the record from line {start} to line {reader.line_num})"
                       f"{QUOTE_HINT}", row=start, unit="line")
        return None
    return records


def _xlsx_lines(path: Path, problems: Problems, merged: list[tuple[int, int, int, int]]) -> list[list[str]] | None:
    """The first sheet's cells as text; `merged` gets its merged ranges (read-only openpyxl does not read them), and
    a later sheet holding anything is a warning (only the first is read)."""
    import openpyxl
    from openpyxl.utils import range_boundaries
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        problems.input(path, "is not an Excel workbook (.xlsx); save it as XLSX or CSV (UTF-8).")
        return None
    try:
        check_xlsx(path)  # archive bounds and XML nesting, before openpyxl unpacks anything
    except InputError as exc:
        problems.from_error(exc)
        return None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        problems.input(path, f"cannot be read as an Excel workbook ({type(exc).__name__}).")
        return None
    first = book.worksheets[0]
    cells = [[cell_text(v) for v in row] for row in first.iter_rows(values_only=True)]
    for sheet in book.worksheets[1:]:
        if any(v is not None for row in sheet.iter_rows(max_row=50, values_only=True) for v in row):
            problems.add(path, f'sheet "{sheet.title}" was not read; only the first sheet of a workbook is. Move its '
                               "rows to the first sheet, or save it as a file of its own.", severity="Warning")
    book.close()
    with zipfile.ZipFile(path) as archive:  # bounded by check_xlsx above
        xml = archive.read(first._worksheet_path).decode("utf-8", "replace")
    for ref in MERGE.findall(xml):
        if ":" in ref:
            merged.append(range_boundaries(ref))
    return cells


def split_list(cell: str) -> list[str]:
    """A `;`-separated list cell, without empty items."""
    return [v for v in LIST_SPLIT.split(cell.strip()) if v]


def read_order(row: Row, problems: Problems, path: Path) -> int | None:
    """The `order` cell of a code or case (its place in the source's own listing), or None; a problem if it is
    not a whole number."""
    text = row.get("order")
    if not text:
        return None
    if not re.fullmatch(r"[0-9]+", text):
        problems.add(path, f'"{text}" must be a whole number (the place of this row in the source\'s own order).',
                     row=row.number, column="order")
        return None
    return int(text)


def split_studies(cell: str) -> list[str]:
    """A study list: `85;88;89`, `85, 88` or `[85, 88]` (brackets around the list or each item)."""
    items = STUDY_SPLIT.split(cell.strip())
    return [v for v in (i.strip().strip("[]").strip() for i in items) if v]
