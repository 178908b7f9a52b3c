"""The imri-kg command line: thin commands, each forwarding to one library call, one module per feature.

Exit codes (base.EXIT_CODES): 0 ok, 1 the data do not pass a check, 2 usage or input error, 3 imri-kg itself failed
(a missing package, a fault), 130 interrupted.

`imri-kg serve` loads only its own command module (the others import rdflib, pySHACL and the rest), so that the
server starts in well under a second; `cli` (the group with every command) is loaded on first use.
"""

import sys
from importlib import import_module
from typing import Any

MODULES = ("analytics", "crosswalk", "evidence", "findings", "knowledge", "matrix", "projects", "publishing", "server")


def _group(*modules: str) -> Any:
    for name in modules:
        import_module(f"imri_kg.cli.{name}")  # each registers its commands on the group
    from imri_kg.cli.base import cli

    return cli


def __getattr__(name: str) -> Any:
    if name == "cli":
        return _group(*MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from imri_kg.cli.base import located_errors

    serving = sys.argv[1:2] == ["serve"]
    located_errors(_group)(*(("server",) if serving else MODULES))(prog_name="imri-kg")


__all__ = ["cli", "main"]
