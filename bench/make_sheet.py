"""Synthetic coding sheets for benchmarks: N rows cycling through the real Table 5 cells (valid rows).

Usage: python bench/make_sheet.py PATH ROWS   (or write_sheet(path, rows) from a benchmark)
Each row is one of the 25 cells of the review's Table 5 (examples/piat2021/evidence/table5.csv): its first study,
theme and innovation group, its text with "(synthetic row I)" appended, a made-up coder (7 of them) and date.
"""

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["study", "kind", "theme", "impact", "innovation_group", "stakeholder_group", "site", "text", "language",
           "coder", "date", "notes"]


def write_sheet(path: Path, rows: int) -> Path:
    with (ROOT / "examples" / "piat2021" / "evidence" / "table5.csv").open(encoding="utf-8") as f:
        cells = list(csv.DictReader(line for line in f if not line.startswith("#")))
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(rows):
            cell = cells[i % len(cells)]
            writer.writerow({"study": cell["studies"].split(";")[0], "kind": "example",
                             "theme": cell["codes_as_printed"], "innovation_group": cell["group"],
                             "text": f"{cell['text']} (synthetic row {i})", "language": "en",
                             "coder": f"Coder {i % 7}", "date": f"2024-0{1 + i % 9}-1{i % 10}"})
    return Path(path)


def _rows(text: str) -> int:
    """ROWS: a whole number of at least 1 (100000 or 100_000)."""
    try:
        rows = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if rows < 1:
        raise argparse.ArgumentTypeError(f"{rows} rows: give at least 1 (a sheet without rows is refused)")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make_sheet.py", description=__doc__.splitlines()[0],
                                     epilog="Example: python bench/make_sheet.py /tmp/sheet-100k.csv 100_000")
    parser.add_argument("path", type=Path, metavar="PATH", help="the CSV file to write (replaced if it exists)")
    parser.add_argument("rows", type=_rows, metavar="ROWS", help="how many rows (at least 1)")
    args = parser.parse_args(argv)
    if args.path.is_dir():
        parser.error(f"PATH {args.path} is a folder; give a file name, e.g. {args.path / 'sheet.csv'}")
    if not args.path.parent.is_dir():
        parser.error(f"PATH {args.path}: the folder {args.path.parent} does not exist")
    write_sheet(args.path, args.rows)
    print(f"Wrote {args.rows:,} rows to {args.path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
