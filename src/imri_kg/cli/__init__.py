"""The imri-kg command line: thin commands, each forwarding to one library call, one module per feature.

Exit codes: 0 ok, 1 the data do not pass a check, 2 usage or input error.
"""

import imri_kg.cli.findings  # noqa: F401 (registers; issue 19)
from imri_kg.cli import analytics, crosswalk, evidence, knowledge, projects, publishing, server  # noqa: F401
from imri_kg.cli.base import cli


def main() -> None:
    cli(prog_name="imri-kg")


__all__ = ["cli", "main"]
