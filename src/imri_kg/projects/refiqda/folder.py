"""The files of a review project folder (examples/README.md) as tables that keep their comments when rewritten."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from imri_kg.errors import InputError


@dataclass
class Table:
    """A CSV file of the project: `#` lines before the header, the header, rows; comment rows kept in place."""

    path: Path
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)    # a comment row is {"#": raw cells}
    preamble: list[str] = field(default_factory=list)
    delimiter: str = ","
    read_header: list[str] | None = None    # the header as the file had it (None: a new file)

    def data(self) -> list[dict[str, str]]:
        return [row for row in self.rows if "#" not in row]

    def add_column(self, name: str) -> None:
        if name not in self.header:
            self.header.append(name)

    def to_text(self) -> str:
        out = io.StringIO()
        for line in self.preamble:
            out.write(line + "\n")
        header = self.written_header()
        out.write(self.delimiter.join(self._cell(h) for h in header) + "\n")
        for row in self.rows:
            if "#" in row:
                out.write(row["#"] + "\n")
            else:
                out.write(self.delimiter.join(self._cell(row.get(col, "")) for col in header) + "\n")
        return out.getvalue()

    def written_header(self) -> list[str]:
        """The header, without the columns added to an existing file that no row fills (so that an import that
        changes nothing leaves the file as the reviewer wrote it)."""
        if self.read_header is None:
            return list(self.header)
        return [h for h in self.header if h in self.read_header or any(r.get(h) for r in self.data())]

    def content(self) -> tuple[list[str], list[dict[str, str]]]:
        """What the file says, to compare before and after a merge: the written header and the filled cells."""
        return self.written_header(), [{k: v for k, v in r.items() if v} for r in self.rows]

    def _cell(self, value: str) -> str:
        """RFC 4180 quoting, also for a lone carriage return (csv.writer quotes only its lineterminator)."""
        if any(c in value for c in (self.delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value


def read_table(path: Path, *, columns: list[str]) -> Table:
    """A project CSV file, or an empty table with `columns` when the file does not exist."""
    if not path.exists():
        return Table(path, list(columns))
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\n")
    preamble: list[str] = []
    while lines and lines[0].startswith("#"):
        preamble.append(lines.pop(0).rstrip("\r"))
    if not any(line.strip() for line in lines):
        return Table(path, list(columns), preamble=preamble)
    delimiter = max([",", ";", "\t"], key=lines[0].count)
    reader = csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    table = Table(path, header, preamble=preamble, delimiter=delimiter, read_header=list(header))
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if cells[0].lstrip().startswith("#"):
            buf = io.StringIO()
            csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(cells)
            table.rows.append({"#": buf.getvalue()})
            continue
        table.rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)})
    for col in columns:
        table.add_column(col)
    return table


def read_project_yaml(folder: Path) -> dict:
    path = folder / "project.yaml"
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", path=path) from None
    if not isinstance(data, dict):
        raise InputError("project.yaml must be a mapping (slug: ..., title: ...).", path=path)
    return data


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def evidence_tables(folder: Path, *, columns: list[str]) -> list[Table]:
    return [read_table(p, columns=columns) for p in sorted((folder / "evidence").glob("*.csv"))]
