"""Reading the curated CSV and TSV tables in data/, with errors located by file, row and column."""

import csv
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


def read_table(path: Path, *, required: tuple[str, ...]) -> list[Row]:
    """All rows of a UTF-8 CSV (or, by extension, TSV) file that has at least the `required` columns."""
    return list(_rows(Path(path), required))


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[Row]:
    if not path.is_file():
        raise InputError("file not found.", path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV.", path=path) from None
    if "\0" in text:
        raise InputError("is not a CSV text file (it contains NUL bytes).", path=path)
    delimiter = "\t" if path.suffix == ".tsv" else ","
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter, strict=True)
    try:
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}; the header has {', '.join(header) or 'nothing'}.",
                             path=path, row=1)
        for number, record in enumerate(reader, start=2):
            if None in record:
                raise InputError(f"has {len(header) + len(record[None])} cells but the header has {len(header)}.",
                                 path=path, row=number)
            yield Row(path, number, {k: v or "" for k, v in record.items()})
    except csv.Error as exc:
        raise InputError(f"is not valid CSV: {exc}.", path=path, row=reader.line_num, unit="line") from None
