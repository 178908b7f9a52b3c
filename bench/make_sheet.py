"""Synthetic coding sheets for benchmarks: N rows cycling through the real Table 5 cells (valid rows)."""

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


if __name__ == "__main__":
    write_sheet(Path(sys.argv[1]), int(sys.argv[2]))
