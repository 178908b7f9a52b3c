"""Located rows of a sheet, read one at a time: a CSV file through the csv module, never the whole text at once."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from imri_kg.errors import InputError

DELIMITERS = (",", ";", "\t")
QUOTE_HINT = '. A cell that opens a quote (") must close it; a quote inside a cell is written twice ("").'


@dataclass(frozen=True)
class Row:
    """One data row of a sheet; `number` is the spreadsheet row (the header is row 1)."""

    path: Path
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        """The tidied value of an optional column ('' when empty)."""
        return self.values.get(column, "").strip()

    def need(self, column: str) -> str:
        """The tidied value of a required column."""
        value = self.get(column)
        if not value:
            raise self.error(column, "is empty; this column is required.")
        return value

    def integer(self, column: str) -> int:
        value = self.need(column)
        try:
            return int(value)
        except ValueError:
            raise self.error(column, f'"{value}" is not a whole number.') from None

    def error(self, column: str, message: str) -> InputError:
        return InputError(message, path=self.path, row=self.number, column=column)


def to_delimiter(header_line: str) -> str:
    """The separator of a CSV file from its header line: the most frequent of comma, semicolon (Excel's CSV in
    locales with a decimal comma) and tab; a comma when they tie."""
    return max(DELIMITERS, key=lambda d: (header_line.count(d), d == ","))


def missing_columns(required: tuple[str, ...], header: list[str], optional: tuple[str, ...] = ()) -> str:
    """What to say when the header lacks `required` columns, or names a `required` or `optional` column only in
    another case or spacing ("Site" for "site": as written, the column would not be read); '' when all is well."""
    missing = [c for c in required if c not in header]
    near = {_plain(h): h for h in header if h}
    hints = [f'"{near[c.lower()]}" should be "{c}"' for c in (*missing, *(c for c in optional if c not in header))
             if c.lower() in near]
    if not missing and not hints:
        return ""
    hint = f"Column names are case-sensitive: {'; '.join(hints)}." if hints else ""
    if not missing:
        return f"{hint} As written, the column is not read."
    text = f"missing column(s) {', '.join(missing)}; the header has {', '.join(h for h in header if h) or 'nothing'}."
    return text + (f" {hint}" if hint else "")


def _plain(name: str) -> str:
    """A header name as a column name would be if only case, spaces or hyphens were off: " Innovation group"."""
    return "_".join(name.strip().lower().replace("-", " ").split())


class Header:
    """A sheet's header row, read the same way from a CSV and an XLSX file (sheets.py), and the rows under it.

    Names are stripped of spaces (a hand-typed "site " is the column site); empty cells after the last name are
    not columns. A name given twice, a required column missing, or a known column in another case is refused at
    the header's row; a row with a filled cell under no name (right of the header or under an empty header
    cell) is refused at its row: its cell would otherwise be dropped unread.
    """

    def __init__(self, cells: list[str], *, path: Path, row: int, required: tuple[str, ...],
                 optional: tuple[str, ...] = ()) -> None:
        names = [c.strip() for c in cells]
        while names and not names[-1]:
            names.pop()
        self.path, self.number, self.names = path, row, names
        first: dict[str, int] = {}
        for i, name in enumerate(names, start=1):
            if name in first:
                raise InputError(f'names the column "{name}" twice (cells {first[name]} and {i} of the header); '
                                 "a column is named once: rename or remove one of them.", path=path, row=row,
                                 column=name)
            if name:
                first[name] = i
        if missing := missing_columns(required, names, optional):
            raise InputError(missing, path=path, row=row)
        self.unnamed = [i for i, name in enumerate(names) if not name]
        self.named = [(i, name) for i, name in enumerate(names) if name]

    def row(self, number: int, cells: list[str]) -> Row:
        """The row of spreadsheet row `number` from its cells (text), or a located error for a cell under no name."""
        width, n = len(self.names), len(cells)
        if n > width:
            last = n
            while last > width and not cells[last - 1].strip():
                last -= 1
            if last > width:
                raise InputError(f"has {last} cells but the header has {width}.", path=self.path, row=number)
        for i in self.unnamed:
            if i < n and cells[i].strip():
                raise InputError(f"has a filled cell in column {i + 1}, which the header (row {self.number}) does "
                                 "not name: name the column, or move or empty the cell.", path=self.path,
                                 row=number)
        if n >= width and not self.unnamed:
            return Row(self.path, number, dict(zip(self.names, cells)))
        return Row(self.path, number, {name: cells[i] if i < n else "" for i, name in self.named})


class _Lines:
    """The file's text lines (as csv reads them: ends kept), refusing NUL bytes and text that is not UTF-8."""

    def __init__(self, path: Path) -> None:
        self.path, self.handle = path, path.open(encoding="utf-8-sig", newline="")

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        try:
            line = next(self.handle)
        except UnicodeDecodeError:
            self.handle.close()
            raise InputError(f"is not UTF-8 text (byte {_bad_byte(self.path)}); save the file as UTF-8 CSV.",
                             path=self.path) from None
        except StopIteration:
            self.handle.close()
            raise
        if "\0" in line:
            self.handle.close()
            raise InputError("is not a CSV text file (it contains NUL bytes).", path=self.path)
        return line

    def close(self) -> None:
        self.handle.close()


def _bad_byte(path: Path) -> int:
    """Where the first byte that is not UTF-8 is (the error path only reads the whole file)."""
    try:
        path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def csv_rows(path: Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (),
             delimiter: str | None = None) -> Iterator[Row]:
    """The rows of a UTF-8 CSV file, one at a time, separated by `delimiter`, or when it is None by the comma,
    semicolon or tab that `to_delimiter` finds in the header line; the header is read as `Header` says."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found.", path=path)
    if delimiter is None:
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                delimiter = to_delimiter(next((ln for ln in f if ln.strip()), ""))
        except UnicodeDecodeError:
            delimiter = ","  # the row reader says where
    lines = _Lines(path)
    # Lines end only at \r and \n: str.splitlines would also cut a row at a \v, \f, \x85 or U+2028 in a cell.
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    number, end = 0, 0  # the row a spreadsheet shows (a blank line is an empty row); the line the last one ends on
    try:
        header = None
        for values in reader:  # the header is the first row with a filled cell (as in an XLSX file: sheets.py)
            number, end = number + 1, reader.line_num
            if any(v.strip() for v in values):
                header = Header(values, path=path, row=number, required=required, optional=optional)
                break
        if header is None:
            if missing := missing_columns(required, []):
                raise InputError(missing, path=path, row=number or 1)
            return
        for values in reader:
            number, end = number + 1, reader.line_num
            if not values:  # a blank line: an empty row, never a record
                continue
            yield header.row(number, values)
    except csv.Error as exc:
        start, stop = end + 1, reader.line_num  # from where the last record ended to where the parser stopped
        hint = QUOTE_HINT
        if "field larger than field limit" in str(exc):  # a long cell, or a quote left open that swallowed the rest
            hint = (f". A cell holds at most {csv.field_size_limit():,} characters: shorten it, or close a quote "
                    'left open (a quote inside a cell is written twice: "").')
        raise InputError(f"is not valid CSV: {exc} (in the record from line {start} to line {stop}){hint}",
                         path=path, row=start, unit="line") from None
    finally:
        lines.close()
