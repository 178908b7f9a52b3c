"""REFI-QDA commands, reached from `import FILE.qdpx|FILE.qdc --project DIR` and `export --format qdpx|qdc`."""

import shutil
import sys
import tempfile
from pathlib import Path

import click

from imri_kg.errors import InputError

FORMATS = {"qdpx": ".qdpx", "qdc": ".qdc"}
SUFFIXES = tuple(FORMATS.values())
PROJECT_OPTION = click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
                              help="Review project folder: where a .qdpx/.qdc import goes (created if missing), "
                                   "or what --format qdpx|qdc exports.")


def import_file(path: Path, project_dir: Path | None, *, fmt: str = "text", store_dir: Path | None = None,
                base: str, by: str | None = None) -> int:
    """Import a .qdpx or .qdc file into a project folder, and with a store the folder then into the store.

    All or nothing: when the store refuses the folder, the folder's files are put back as they were.
    Returns the exit code.
    """
    from imri_kg.projects.refiqda import import_refiqda, write_import_plan
    if project_dir is None:
        raise InputError("a REFI-QDA file is imported into a review project folder: add --project DIR.", path=path)
    plan = import_refiqda(path, project_dir, base=base, dry_run=True)
    store = None
    if store_dir is not None:  # a missing or unbuilt store is refused before the folder is touched
        from imri_kg.cli.base import _on_disk
        store = _on_disk(store_dir, base)
    existed = project_dir.exists()
    before = {rel: (project_dir / rel).read_bytes() if (project_dir / rel).exists() else None for rel in plan.files}
    made = {parent for rel in plan.files for parent in (project_dir / rel).parents
            if project_dir in parent.parents and not parent.exists()}     # folders the import makes (sources/...)
    write_import_plan(plan)
    for item in plan.report:
        click.echo(f"  {item}")
    counts = ", ".join(f"{n} {what}" for what, n in plan.counts.items() if n) or "nothing new"
    click.echo(f"{path.name}: {counts}; {len(plan.files)} file(s) of {project_dir} written"
               + (f"; {len(plan.report)} item(s) reported above." if plan.report else "."))
    if store_dir is None:
        return 0
    from imri_kg.cli.projects import import_folder
    try:
        code = import_folder(project_dir, fmt, store_dir, base, by=by, store=store)
    except BaseException:
        _restore(project_dir, before, existed, made)
        raise
    if code != 0:
        _restore(project_dir, before, existed, made)
        click.echo(f"{project_dir}: put back as it was before the import of {path.name}.", err=True)
    return code


def _restore(folder: Path, before: dict[str, bytes | None], existed: bool, made: set[Path]) -> None:
    for rel, data in before.items():
        target = folder / rel
        if data is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(data)
    for path in sorted(made, key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if not existed:
        shutil.rmtree(folder, ignore_errors=True)


def export_file(fmt: str, project_dir: Path | None, out: Path | None, *, base: str) -> None:
    """Export a project folder as .qdpx, or its codebook as .qdc, checked against the REFI-QDA schema."""
    from imri_kg.projects.refiqda import write_qdc, write_qdpx
    if project_dir is None:
        raise InputError(f"--format {fmt} exports a review project folder: add --project DIR.")
    if out is not None and out.suffix.lower() != FORMATS[fmt]:
        raise InputError(f"the file name should end in {FORMATS[fmt]} for --format {fmt}.", path=out)
    if out is not None and not out.parent.is_dir():
        raise InputError("no such folder to write the file in.", path=out.parent)
    project_dir = _shipped_example(project_dir)
    writer = write_qdpx if fmt == "qdpx" else write_qdc
    with tempfile.TemporaryDirectory() as tmp:
        target = out or Path(tmp) / f"export{FORMATS[fmt]}"
        done = writer(project_dir, target, base=base)
        for item in done.report:
            click.echo(f"  {item}", err=True)
        if out is None:
            sys.stdout.buffer.write(target.read_bytes())
    counts = ", ".join(f"{n} {what}" for what, n in done.counts.items())
    click.echo(f"{project_dir}: exported {counts}" + (f" to {out}" if out else ""), err=True)


def _shipped_example(project_dir: Path) -> Path:
    """A bare name that is no folder here but names an example project shipped with imri-kg: that example."""
    from imri_kg.resources import EXAMPLES_DIR
    shipped = EXAMPLES_DIR / project_dir.name
    if project_dir.is_dir():
        return project_dir
    if len(project_dir.parts) != 1 or not (shipped / "project.yaml").is_file():
        names = sorted(p.parent.name for p in EXAMPLES_DIR.glob("*/project.yaml"))
        raise InputError(f"no such project folder (examples shipped with imri-kg, exported by name: "
                         f"{', '.join(names)}).", path=project_dir)
    click.echo(f"{project_dir}: no such folder here; exporting the example project shipped with imri-kg "
               f"({shipped}).", err=True)
    return shipped
