"""Reading curated CSV and TSV tables (data/, a framework file, a findings file) whole, as located rows: the coding
sheets' row reader (importers/rows.py) with the table's separator; the project reader (tables.py) uses the same pieces."""

from pathlib import Path

from imri_kg.importers.rows import QUOTE_HINT, Row, csv_rows, missing_columns, to_delimiter

__all__ = ["QUOTE_HINT", "Row", "missing_columns", "read_table", "to_delimiter"]


def read_table(path: Path, *, required: tuple[str, ...], detect: bool = False) -> list[Row]:
    """All rows of a UTF-8 CSV (or, by extension, TSV) file that has at least the `required` columns.

    With `detect`, a .csv file may be separated by semicolons or tabs instead of commas (see `to_delimiter`).
    """
    path = Path(path)
    delimiter = "\t" if path.suffix == ".tsv" else None if detect else ","
    return list(csv_rows(path, required=required, delimiter=delimiter))
