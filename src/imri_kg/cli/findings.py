"""Findings commands: a project's findings tables (`imri-kg validate DIR` checks the findings with the project)."""

import sys
from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, OutFile, cli, located_errors
from imri_kg.errors import InputError
from imri_kg.findings.tables import FORMATS, KINDS, to_bytes
from imri_kg.projects.problems import Problems


@cli.group()
def findings() -> None:
    """Review findings and the confidence they deserve (GRADE-CERQual; MMAT 2018 appraisals)."""


def _report(problems: Problems) -> str:
    lines = [str(p) for p in problems.errors + problems.warnings]
    return "\n".join(lines + [(f"{problems.folder.name}: does not conform: {len(problems.errors)} problem(s), "
                              f"{len(problems.warnings)} warning(s); no table written.")]) + "\n"


@findings.command("table")
@click.option("--kind", type=click.Choice(KINDS), required=True,
              help="soqf: Summary of Qualitative Findings; profile: GRADE-CERQual Evidence Profile; appraisals: "
                   "studies x criteria.")
@click.option("--project", required=True, help="A project folder, or the slug of a project imported into --store.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--out", type=OutFile(), help="File to write (default: standard "
                                                                              "output; xlsx needs --out).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def table(kind: str, project: str, fmt: str, out: Path | None, store_dir: Path | None, base: str) -> None:
    """Write a project's Summary of Qualitative Findings, Evidence Profile or appraisal table."""
    from imri_kg.cli.base import _graph
    from imri_kg.findings.project_table import project_table

    if fmt == "xlsx" and out is None:
        raise InputError("an XLSX table is a binary file: give --out FILE.xlsx.")
    store = _graph(store_dir, base) if store_dir is not None else None
    result, problems = project_table(project, kind, store=store, base=base)
    if result is None:
        assert problems is not None
        click.echo(_report(problems), nl=False, err=True)
        sys.exit(problems.exit_code)
    data = to_bytes(result, fmt)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
        click.echo(f"Wrote {out} ({len(result.rows)} rows).", err=True)
