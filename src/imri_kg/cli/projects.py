"""Review-project commands: init, remove; validate DIR and import DIR forward here from cli/evidence.py."""

from pathlib import Path

import click

from imri_kg.cli.base import BASE_OPTION, STORE_OPTION, _graph, _on_disk, cli, located_errors
from imri_kg.cli.progress import READING_FOLDER, progress_bar
from imri_kg.errors import InputError
from imri_kg.projects.checks import check_project
from imri_kg.projects.loading import import_project, remove_project
from imri_kg.projects.metadata import SLUG
from imri_kg.projects.reports import write_project_report
from imri_kg.projects.template import write_project_template


def validate_folder(folder: Path, fmt: str, store_dir: Path | None, base: str) -> int:
    """`imri-kg validate DIR`: every problem of the project folder; the exit code (0, 1 or 2)."""
    if fmt == "turtle":
        raise InputError("a project's report is text or json; turtle reports are for single files.")
    store = _graph(store_dir, base)
    with progress_bar(folder.name, first=READING_FOLDER):  # the progress line of import DIR and of sheets
        check = check_project(folder, store=store, base=base)
    click.echo(write_project_report(check, fmt), nl=False)
    return check.problems.exit_code


def import_folder(folder: Path, fmt: str, store_dir: Path | None, base: str, by: str | None = None,
                  store=None, replace: bool = False) -> int:
    """`imri-kg import DIR --store S`: the project into its own graphs, replacing an older version, or nothing.
    `store`: the store of `store_dir` when the caller opened it already (checked before it wrote the folder)."""
    store = store if store is not None else _on_disk(store_dir, base)
    with progress_bar(folder.name, writes=True, first=READING_FOLDER) as progress:
        def step(stage: str) -> None:  # import_project says "read and check" as it starts, then "write"
            if progress is not None and stage == "write":
                progress("writing")
        done = import_project(store, folder, base=base, by=by, progress=step, replace=replace)
    problems = done.check.problems
    if not done.check.conforms:
        click.echo(write_project_report(done.check, fmt), nl=False)
        click.echo(f"{folder}: rejected; nothing was written.", err=True)
        return problems.exit_code
    if problems.warnings:
        click.echo(write_project_report(done.check, "text"), nl=False)
    if done.unchanged:
        click.echo(f"{done.slug}: already in the store as it is in {folder}; nothing changed.")
        return 0
    changes = ", ".join(f"{k} {done.before[k]} -> {n}" if done.before[k] else f"{k} {n}" for k, n in done.after.items())
    verb = "replaced the earlier version" if done.before["triples"] else "imported"
    click.echo(f"{done.slug}: {verb} (import {done.number}): {changes}; graphs <{base.rstrip('/')}/graph/project/"
               f"{done.slug}/>.")
    return 0


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--slug", help="The project's short name, used in its IRIs (default: from the folder's name).")
@click.option("--title", help="The project's title (default: a placeholder to edit).")
@located_errors
def init(folder: Path, slug: str | None, title: str | None) -> None:
    """Write an empty, documented review project in FOLDER: every file, each with one example row marked with #
    (never imported). Edit the files, then: imri-kg validate FOLDER."""
    if slug is not None and not SLUG.fullmatch(slug):
        raise InputError(f'slug "{slug}" must be lowercase letters, digits and single hyphens (it is used in IRIs), '
                         "e.g. hand-hygiene-2024.")
    written = write_project_template(folder, slug=slug, title=None if title is None else _yaml_text(title))
    click.echo(f"Wrote {len(written)} files in {folder}:\n" + "\n".join(f"  {p.relative_to(folder)}" for p in written))
    click.echo(f"Next: edit them, then imri-kg validate {folder}")


def _yaml_text(text: str) -> str:
    """`text` as it may stand after `title: ` in project.yaml: as it is when YAML reads it back the same, else in
    double quotes (a quote, a colon or a # would otherwise end or break it)."""
    import json

    import yaml

    try:
        if yaml.safe_load(f"title: {text}") == {"title": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


@cli.command()
@click.argument("slug")
@STORE_OPTION
@BASE_OPTION
@located_errors
def remove(slug: str, store_dir: Path | None, base: str) -> None:
    """Take the project SLUG out of the store whole (its data, mappings and history graphs), in one transaction."""
    counts = remove_project(_on_disk(store_dir, base), slug, base=base)
    click.echo(f"{slug}: removed (" + ", ".join(f"{k} {n}" for k, n in counts.items()) + ").")
