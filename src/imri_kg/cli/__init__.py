"""The imri-kg command line: thin commands, each forwarding to one library call, one module per feature.

Exit codes: 0 ok, 1 the data do not pass a check, 2 usage or input error.
"""

from imri_kg.cli import (  # noqa: F401 (registers)
    analytics,
    crosswalk,
    evidence,
    findings,
    knowledge,
    matrix,
    projects,
    publishing,
    server,
)
from imri_kg.cli.base import cli


def main() -> None:
    cli(prog_name="imri-kg")


__all__ = ["cli", "main"]
