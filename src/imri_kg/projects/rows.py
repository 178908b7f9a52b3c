"""Reading curated CSV and TSV tables (data/, a framework file, a findings file) as rows, raising an error located by
file, row and column; the project reader (tables.py) builds on the same pieces."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from imri_kg.errors import InputError


@dataclass(frozen=True)
class Row:
    """One data row of a CSV file; `number` is the spreadsheet row (the header is row 1)."""

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


DELIMITERS = (",", ";", "\t")


QUOTE_HINT = '. A cell that opens a quote (") must close it; a quote inside a cell is written twice ("").'


def to_delimiter(header_line: str) -> str:
    """The separator of a CSV file from its header line: the most frequent of comma, semicolon (Excel's CSV in
    locales with a decimal comma) and tab; a comma when they tie."""
    return max(DELIMITERS, key=lambda d: (header_line.count(d), d == ","))


def missing_columns(required: tuple[str, ...], header: list[str]) -> str:
    """What to say when the header lacks `required` columns; names that differ only in case or spaces are named."""
    missing = [c for c in required if c not in header]
    if not missing:
        return ""
    near = {h.strip().lower().replace(" ", "_"): h for h in header if h}
    hints = [f'"{near[c.lower()]}" should be "{c}"' for c in missing if c.lower() in near]
    text = (f"missing column(s) {', '.join(missing)}; the header has {', '.join(h for h in header if h) or 'nothing'}.")
    return text + (f" Column names are case-sensitive: {'; '.join(hints)}." if hints else "")


def read_table(path: Path, *, required: tuple[str, ...], detect: bool = False) -> list[Row]:
    """All rows of a UTF-8 CSV (or, by extension, TSV) file that has at least the `required` columns.

    With `detect`, a .csv file may be separated by semicolons or tabs instead of commas (see `to_delimiter`).
    """
    return list(_rows(Path(path), required, detect))


def _rows(path: Path, required: tuple[str, ...], detect: bool) -> Iterator[Row]:
    if not path.is_file():
        raise InputError("file not found.", path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV.", path=path) from None
    if "\0" in text:
        raise InputError("is not a CSV text file (it contains NUL bytes).", path=path)
    delimiter = "\t" if path.suffix == ".tsv" else ","
    if detect and path.suffix != ".tsv":
        delimiter = to_delimiter(next((ln for ln in io.StringIO(text, newline="") if ln.strip()), ""))
    # Lines end only at \r and \n: str.splitlines would also cut a row at a \v, \f, \x85 or U+2028 in a cell.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = reader.fieldnames or []
        if missing := missing_columns(required, header):
            raise InputError(missing, path=path, row=1)
        for number, record in enumerate(reader, start=2):
            if None in record:
                raise InputError(f"has {len(header) + len(record[None])} cells but the header has {len(header)}.",
                                 path=path, row=number)
            yield Row(path, number, {k: v or "" for k, v in record.items()})
    except csv.Error as exc:
        # DictReader's line_num is where the last record it gave ends; its reader's, where the parser stopped
        start, stop = reader.line_num + 1, reader.reader.line_num
        raise InputError(f"is not valid CSV: {exc} (in the record from line {start} to line {stop}){QUOTE_HINT}",
                         path=path, row=start, unit="line") from None
