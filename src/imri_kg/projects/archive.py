"""A review-project folder sent as a .zip (the web validate page, `imri-kg validate X.zip`), unpacked defensively:
bounded size, count and ratio; no path climbing, no absolute names, no links; the folder holding project.yaml is
returned for the ordinary folder check.

The limits are checked on the archive's directory first, then again on the bytes actually unpacked (a member's
declared size can lie), so that a zip bomb stops after at most MAX_UNPACKED_BYTES written.
"""

import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.projects.problems import Problem
from imri_kg.store import DEFAULT_BASE

MAX_MEMBERS = 500               # files and folders; a project has tens
MAX_UNPACKED_BYTES = 50_000_000  # all members together, unpacked
MAX_RATIO = 100                 # unpacked / compressed size of one member; text rarely passes 20
_CHUNK = 65_536


def write_project_folder(archive: Path, into: Path) -> Path:
    """Unpack `archive` under the empty folder `into`; the folder that holds project.yaml (at the top or in one
    folder). Raises InputError, located at the archive and member, for anything out of bounds."""
    archive, into = Path(archive), Path(into)
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            _check_directory(archive, members)
            written = 0
            for member in members:
                target = into.joinpath(*_parts(archive, member.filename))
                try:
                    if member.is_dir():
                        target.mkdir(parents=True, exist_ok=True)
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    written = _unpack(zf, member, target, archive, written)
                except OSError:  # a file and a folder of one name ("a" and "a/b"): no folder can hold both
                    raise InputError(f'member "{member.filename}" clashes with another member of the same name '
                                     "(a file and a folder, or names that differ only in case); rename one.",
                                     path=archive) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError) as exc:
        raise InputError(f"is not a readable .zip archive ({type(exc).__name__}: {exc}).", path=archive) from None
    except RuntimeError as exc:  # an encrypted member
        raise InputError(f"cannot be read: {exc}", path=archive) from None
    return _project_root(archive, into)


def _check_directory(archive: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise InputError(f"holds {len(members):,} files and folders; a project folder is taken with at most "
                         f"{MAX_MEMBERS:,}.", path=archive)
    declared = sum(m.file_size for m in members)
    if declared > MAX_UNPACKED_BYTES:
        raise InputError(f"would unpack to {declared:,} bytes; at most {MAX_UNPACKED_BYTES:,} are taken.",
                         path=archive)
    seen: set[tuple[str, ...]] = set()
    for m in members:
        parts = _parts(archive, m.filename)
        mode = m.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise InputError(f'member "{m.filename}" is a symbolic link; links are not taken.', path=archive)
        if m.compress_size and m.file_size / m.compress_size > MAX_RATIO:
            raise InputError(f'member "{m.filename}" would unpack {m.file_size / m.compress_size:,.0f} times its '
                             f"packed size (at most {MAX_RATIO}): refused as a zip bomb.", path=archive)
        key = tuple(p.lower() for p in parts)
        if key in seen and not m.is_dir():
            raise InputError(f'member "{m.filename}" is in the archive twice.', path=archive)
        seen.add(key)


def _parts(archive: Path, name: str) -> tuple[str, ...]:
    """The path parts of a member name, refused when absolute, climbing (..) or otherwise odd."""
    posix = PurePosixPath(name.replace("\\", "/"))
    parts = tuple(p for p in posix.parts if p not in ("", "."))
    if posix.is_absolute() or ".." in parts or not parts or any(":" in p or "\0" in p for p in parts):
        raise InputError(f'member "{name}" has a name that points outside the archive\'s folder; refused.',
                         path=archive)
    return parts


def _unpack(zf: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, archive: Path, written: int) -> int:
    """Copy one member in chunks, counting the bytes really unpacked against the bounds."""
    own = 0
    limit = max(member.compress_size, 1) * MAX_RATIO
    with zf.open(member) as src, target.open("xb") as out:
        while chunk := src.read(_CHUNK):
            own += len(chunk)
            written += len(chunk)
            if written > MAX_UNPACKED_BYTES or own > limit:
                raise InputError(f'member "{member.filename}" unpacks to more than it declared; refused as a '
                                 "zip bomb.", path=archive)
            out.write(chunk)
    return written


def _project_root(archive: Path, into: Path) -> Path:
    if (into / "project.yaml").is_file():
        return into
    inner = [p for p in into.iterdir() if p.is_dir() and (p / "project.yaml").is_file()]
    if len(inner) == 1 and all(p == inner[0] or p.name.startswith(".") or p.name == "__MACOSX"
                               for p in into.iterdir()):
        return inner[0]
    raise InputError("holds no project.yaml at its top or in one folder; zip the project folder itself "
                     "(imri-kg init writes one).", path=archive)


@dataclass(frozen=True)
class ZipReport:
    """What `imri-kg validate DIR` says about a zipped project folder: its problems, the text report, the exit code."""

    name: str
    problems: list[Problem]
    text: str
    exit_code: int
    conforms: bool


def check_project_zip(store: Store, archive: Path, *, base: str = DEFAULT_BASE) -> ZipReport:
    """Unpack the archive beside itself and check the folder as `imri-kg validate DIR` does."""
    from imri_kg.projects.checks import check_project
    from imri_kg.projects.reports import write_project_report

    archive = Path(archive)
    into = archive.parent / (archive.stem + ".unpacked")
    into.mkdir()
    check = check_project(write_project_folder(archive, into), store=store, base=base)
    problems = check.problems
    return ZipReport(check.project.slug or archive.stem, problems.errors + problems.warnings,
                     write_project_report(check, "text"), problems.exit_code, check.conforms)


__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_UNPACKED_BYTES", "ZipReport", "check_project_zip", "write_project_folder"]
