"""The empty coding sheet (CSV or XLSX): documented columns and one example row from the review, marked with `#` so
that it is never imported."""

import csv
import io
from pathlib import Path

from imri_kg.importers.coding_sheet import COLUMNS, REQUIRED

TEMPLATE_FORMATS = ("csv", "xlsx")

# A real cell of the review's Table 5 (E-innovations, organizational and policy commitment), cited as [85]. Its first
# cell starts with '#', which marks it as an example: the readers skip it, so it is never imported by mistake.
EXAMPLE = {
    "study": "#85", "kind": "example", "theme": "Organizational and policy commitment", "impact": "",
    "innovation_group": "E-innovations", "stakeholder_group": "", "site": "",
    "text": "An e-innovation was welcomed by leaders because they saw it as helping the organization progress "
            "towards their policy goals of measuring and increasing user involvement in care plans [85].",
    "language": "en", "coder": "Example coder", "date": "2024-01-31",
    "notes": "Example row, from Table 5 of Piat et al. 2021; never imported (its first cell starts with #). "
             "Write your own rows below it.",
}


def to_template_csv() -> str:
    """The CSV template: the header and the example row (the columns are documented in the XLSX and README)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()


def write_template(path: Path, *, fmt: str = "csv") -> Path:
    """Write the template; an XLSX has the rows on its first sheet and a 'columns' sheet documenting them."""
    path = Path(path)
    if fmt == "csv":
        path.write_text(to_template_csv(), encoding="utf-8")
        return path
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "coded evidence"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE[c] for c in COLUMNS])
    for cell, name in zip(sheet[1], COLUMNS):
        cell.font = Font(bold=True)
        cell.comment = Comment(COLUMNS[name], "imri-kg")
    docs = book.create_sheet("columns")
    docs.append(["column", "required", "what to write"])
    for name, text in COLUMNS.items():
        docs.append([name, "yes" if name in REQUIRED else "no", text])
    book.save(path)
    return path


def columns_help() -> str:
    """The columns as plain text, one per line."""
    width = max(map(len, COLUMNS))
    return "\n".join(f"  {name.ljust(width)}  {'(required) ' if name in REQUIRED else ''}{text}"
                     for name, text in COLUMNS.items())
