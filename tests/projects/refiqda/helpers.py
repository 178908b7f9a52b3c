"""Shared helpers of the REFI-QDA tests: fixture folders zipped into .qdpx files, folder snapshots."""

import shutil
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "refiqda"


def qdpx(name: str, tmp: Path) -> Path:
    """The fixture folder tests/data/refiqda/<name> (project.qde, sources/) zipped as <tmp>/<name>.qdpx."""
    out = tmp / f"{name}.qdpx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((DATA / name).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(DATA / name).as_posix())
    return out


def project(tmp: Path, name: str = "project") -> Path:
    """A writable copy of a fixture project folder."""
    target = tmp / f"{name}-copy"
    shutil.copytree(DATA / name, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def csv_text(folder: Path, rel: str) -> str:
    return (folder / rel).read_bytes().decode("utf-8")
