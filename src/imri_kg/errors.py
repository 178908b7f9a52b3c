"""The one error type for bad input: it says where the problem is and what to fix."""

from pathlib import Path


class InputError(Exception):
    """Bad input, located by file and, where known, row (or line) and column.

    The CLI prints it without a traceback and exits with status 2.
    """

    def __init__(self, message: str, *, path: Path | str | None = None, row: int | None = None,
                 column: str | None = None, unit: str = "row") -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.row = row
        self.column = column
        self.unit = unit
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.row is not None:
            where.append(f"{self.unit} {self.row}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        return (", ".join(where) + ": " if where else "") + self.message
