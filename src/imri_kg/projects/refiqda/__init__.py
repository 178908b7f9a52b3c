"""REFI-QDA exchange (QDA-XML 1.0): codebooks (.qdc) and projects (.qdpx) in and out of review project folders.

    read_qdc(path) / read_qdpx(path) -> Project          the file's content, checked (hostile files refused)
    to_import_plan(project, folder, ...) -> ImportPlan   the folder files it adds to or updates, and a report
    import_refiqda(path, folder, ...) -> ImportPlan      read + plan + write: all files, or none on an error
    write_qdc(folder, path) / write_qdpx(folder, path)    export, checked against the vendored schemas
"""

from pathlib import Path

from imri_kg.errors import InputError
from imri_kg.projects.refiqda.model import Project, ReportItem
from imri_kg.projects.refiqda.read import read_qdc, read_qdpx
from imri_kg.projects.refiqda.to_folder import ImportPlan, to_import_plan, write_import_plan
from imri_kg.projects.refiqda.write import ExportReport, write_qdc, write_qdpx

SUFFIXES = (".qdpx", ".qdc")


def read_refiqda(path: Path) -> Project:
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return read_qdpx(path)
    if suffix == ".qdc":
        return read_qdc(path)
    raise InputError("not a REFI-QDA file: the name should end in .qdpx (a project) or .qdc (a codebook).", path=path)


def import_refiqda(path: Path, folder: Path, *, dimension: str = "case",
                   base: str = "https://w3id.org/imri/", dry_run: bool = False) -> ImportPlan:
    """Import a .qdpx or .qdc file into a project folder (created if missing); nothing is written on an error."""
    if folder.exists() and not folder.is_dir():
        raise InputError("not a folder.", path=folder)
    plan = to_import_plan(read_refiqda(path), folder, source_file=path, dimension=dimension, base=base)
    if not dry_run:
        write_import_plan(plan)
    return plan


__all__ = [
    "SUFFIXES",
    "ExportReport",
    "ImportPlan",
    "Project",
    "ReportItem",
    "import_refiqda",
    "read_qdc",
    "read_qdpx",
    "read_refiqda",
    "to_import_plan",
    "write_import_plan",
    "write_qdc",
    "write_qdpx",
]
