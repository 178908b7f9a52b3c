"""Problems found in a project folder, each located by file, row (or line) and column, collected rather than raised.

Two kinds, as the exit codes say: an `input` problem means a file cannot be read as what it claims to be (exit 2:
not UTF-8, a BibTeX syntax error, a missing required column or file); a `data` problem means the files read but
what they say fails a check (exit 1: an unknown code, a duplicate, a cycle, a row citing nothing, a shape).
"""

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from imri_kg.errors import InputError

INPUT, DATA = "input", "data"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where (file, row or line, column) and what to do about it."""

    path: str
    row: int
    column: str
    message: str
    kind: str = DATA
    severity: str = "Violation"  # or "Warning": reported, but does not stop an import
    unit: str = "row"

    def __str__(self) -> str:
        where = [self.path]
        if self.row:
            where.append(f"{self.unit} {self.row}")
        if self.column:
            where.append(f'column "{self.column}"')
        prefix = "" if self.severity == "Violation" else f"{self.severity}: "
        return ", ".join(where) + ": " + prefix + self.message

    def to_dict(self) -> dict[str, object]:
        return {"file": self.path, self.unit: self.row or None, "column": self.column or None,
                "message": self.message, "kind": self.kind, "severity": self.severity}


@dataclass
class Problems:
    """The problems of one project folder; paths are shown relative to the folder."""

    folder: Path
    items: list[Problem] = field(default_factory=list)

    def name(self, path: Path | str) -> str:
        path = Path(path)
        try:
            return path.relative_to(self.folder).as_posix()
        except ValueError:
            return str(path)

    def add(self, path: Path | str, message: str, *, row: int = 0, column: str = "", kind: str = DATA,
            severity: str = "Violation", unit: str = "row") -> None:
        self.items.append(Problem(self.name(path), row, column, message, kind, severity, unit))

    def input(self, path: Path | str, message: str, **where: object) -> None:
        self.add(path, message, kind=INPUT, **where)  # type: ignore[arg-type]

    def from_error(self, exc: InputError) -> None:
        self.add(exc.path or self.folder, exc.message, row=exc.row or 0, column=exc.column or "", kind=INPUT,
                 unit=exc.unit)

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity == "Violation"})

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity != "Violation"})

    @property
    def exit_code(self) -> int:
        """0 when nothing is wrong (warnings allowed), 2 when a file cannot be read, else 1."""
        if any(p.kind == INPUT for p in self.errors):
            return 2
        return 1 if self.errors else 0


def suggest(text: str, known: dict[str, str], *, n: int = 3) -> str:
    """' Did you mean "A" or "B"?' for the known names (key -> name shown) closest to `text`, or ''."""
    close = difflib.get_close_matches(text.casefold(), list(known), n=n, cutoff=0.6)
    names = list(dict.fromkeys(known[k] for k in close))
    return (" Did you mean " + " or ".join(f'"{h}"' for h in names) + "?") if names else ""
