"""Findings commands: check a project's findings, appraisals and GRADE-CERQual assessments; write their tables."""

import json
import sys
from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, cli, located_errors
from imri_kg.errors import InputError
from imri_kg.findings.tables import FORMATS, KINDS, to_bytes
from imri_kg.projects.problems import Problems


@cli.group()
def findings() -> None:
    """Review findings and the confidence they deserve (GRADE-CERQual; MMAT 2018 appraisals)."""


def _report(problems: Problems, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"conforms": not problems.errors, "problems": [p.to_dict() for p in
                                                                          problems.errors + problems.warnings]},
                          ensure_ascii=False, indent=2) + "\n"
    lines = [str(p) for p in problems.errors + problems.warnings]
    status = "conforms" if not problems.errors else "does not conform"
    lines.append(f"{problems.folder.name}: {status}: {len(problems.errors)} violation(s), "
                 f"{len(problems.warnings)} warning(s).")
    return "\n".join(lines) + "\n"


@findings.command("check")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@STORE_OPTION
@BASE_OPTION
@located_errors
def check(folder: Path, fmt: str, store_dir: Path | None, base: str) -> None:
    """Check a project folder with its findings.csv, appraisals.csv and cerqual.csv (exit 0 ok, 1 fails, 2 input)."""
    from imri_kg.cli.base import _graph
    from imri_kg.findings.project import read_project_findings

    read = read_project_findings(folder, store=_graph(store_dir, base), base=base)
    click.echo(_report(read.problems, fmt), nl=False)
    sys.exit(read.problems.exit_code)


@findings.command("table")
@click.option("--kind", type=click.Choice(KINDS), required=True,
              help="soqf: Summary of Qualitative Findings; profile: GRADE-CERQual Evidence Profile; appraisals: "
                   "studies x criteria.")
@click.option("--project", required=True, help="A project folder, or the slug of a project imported into --store.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: standard "
                                                                              "output; xlsx needs --out).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def table(kind: str, project: str, fmt: str, out: Path | None, store_dir: Path | None, base: str) -> None:
    """Write a project's Summary of Qualitative Findings, Evidence Profile or appraisal table."""
    from imri_kg.cli.base import _graph
    from imri_kg.findings.project import project_table

    if fmt == "xlsx" and out is None:
        raise InputError("an XLSX table is a binary file: give --out FILE.xlsx.")
    store = _graph(store_dir, base) if store_dir is not None else None
    result, problems = project_table(project, kind, store=store, base=base)
    if result is None:
        assert problems is not None
        click.echo(_report(problems, "text"), nl=False, err=True)
        sys.exit(problems.exit_code)
    data = to_bytes(result, fmt)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
        click.echo(f"Wrote {out} ({len(result.rows)} rows).", err=True)
