"""The matrix command: the general matrix coding query, printed or written as CSV, XLSX, Markdown, LaTeX or JSON."""

import sys
from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, OutFile, _graph, cli, located_errors
from imri_kg.errors import InputError
from imri_kg.matrix import AXIS_KINDS, FORMATS, to_bytes, to_matrix

_SUFFIX = {ext: name for name, (_, _, ext) in reversed(FORMATS.items())}  # .json is json, not node-link
_BINARY = ("xlsx", "png")
_AXES = "; ".join(f"{k}:… {v.split(',', 1)[0]}" for k, v in AXIS_KINDS.items())


@cli.command()
@click.option("--rows", required=True, metavar="AXIS", help=f"The rows. AXIS is one of: {_AXES}.")
@click.option("--cols", required=True, metavar="AXIS", help="The columns, an AXIS as for --rows.")
@click.option("--project", "projects", multiple=True, metavar="SLUG",
              help="Only this project (slug or IRI); repeat for several. Default: every project in the store.")
@click.option("--excerpts", is_flag=True, help="List each cell's excerpts with the full references they cite.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="Output format (default: from --out's suffix, else markdown).")
@click.option("--out", type=OutFile(), help="File to write (default: standard output).")
@STORE_OPTION
@BASE_OPTION
@located_errors
def matrix(rows: str, cols: str, projects: tuple[str, ...], excerpts: bool, fmt: str | None, out: Path | None,
           store_dir: Path | None, base: str) -> None:
    """The matrix coding query: excerpts and distinct studies for every row × column; also as a network (graphml,
    node-link) or a heatmap (png, svg) of one project or several.

    \b
    imri-kg matrix --rows level:theme --cols dimension:group --project piat2021
    imri-kg matrix --rows level:category --cols dimension:stakeholder-group --excerpts --out quotes.xlsx
    imri-kg matrix --rows "codes:funding;staff-time" --cols dimension:country --format latex
    """
    if fmt is None:
        fmt = _SUFFIX.get(out.suffix.lstrip(".").lower(), "markdown") if out else "markdown"
    if out is not None and out.suffix.lstrip(".").lower() != FORMATS[fmt][2]:
        raise InputError(f"the file name should end in .{FORMATS[fmt][2]} for --format {fmt}.", path=out)
    if fmt in _BINARY and out is None:
        raise InputError(f"{fmt.upper()} is a binary format; give --out FILE.{fmt}.")
    data = to_bytes(to_matrix(_graph(store_dir, base), rows=rows, cols=cols, projects=list(projects),
                              excerpts=excerpts, base=base), fmt)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
        click.echo(f"wrote {out}", err=True)
