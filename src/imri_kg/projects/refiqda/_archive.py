"""Read a .qdpx archive defensively: a zip of project.qde and sources/, with limits, never extracted to disk."""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from imri_kg.errors import InputError

MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 2 * 1024**3      # the sum of the sizes the archive declares, media included (never read)
MAX_READ_BYTES = 256 * 1024**2     # project.qde or one text source, read into memory
MAX_RATIO = 200                     # declared size / compressed size, for members that are read
MAX_READ_TOTAL = 512 * 1024**2      # all reads together: sources may all name one member (1.4 MB made 1.9 GB)


@dataclass
class Archive:
    """The members of a .qdpx that can be read: project.qde and the files of sources/, by lower-case name."""

    path: Path
    zip: zipfile.ZipFile
    qde: str
    sources: dict[str, str]          # lower-case file name in sources/ -> member name
    read_total: int = 0

    def read(self, member: str) -> bytes:
        """A member's bytes, refused if it inflates past the limits whatever its header says."""
        info = self.zip.getinfo(member)
        self.read_total += info.file_size
        if self.read_total > MAX_READ_TOTAL:
            raise InputError(f"{member}: the files the project reads (a file counted each time it is named) come to "
                             f"more than the {MAX_READ_TOTAL} bytes read at most; refused.", path=self.path)
        if info.file_size > MAX_READ_BYTES:
            raise InputError(f"{member}: {info.file_size} bytes, more than the {MAX_READ_BYTES} read at most.",
                             path=self.path)
        if info.compress_size and info.file_size > 1024**2 and info.file_size / info.compress_size > MAX_RATIO:
            raise InputError(f"{member}: compressed {info.file_size // info.compress_size}:1, refused as a "
                             "possible zip bomb.", path=self.path)
        if info.flag_bits & 0x1:
            raise InputError(f"{member}: encrypted; save the project again without a password.", path=self.path)
        try:
            with self.zip.open(info) as handle:
                data = handle.read(MAX_READ_BYTES + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, zlib.error) as exc:
            # a bad checksum, a compression method Python cannot read, a truncated member: a traceback before
            raise InputError(f"{member}: cannot be read ({type(exc).__name__}: {exc}).", path=self.path) from None
        if len(data) > MAX_READ_BYTES or len(data) != info.file_size:
            raise InputError(f"{member}: inflates to a size other than its header says; refused.", path=self.path)
        return data


def open_qdpx(path: Path) -> Archive:
    """Check the archive's shape (REFI-QDA 1.5 section 8.1) before anything in it is read."""
    if not path.is_file():
        raise InputError("no such file.", path=path)
    if not zipfile.is_zipfile(path):
        raise InputError("not a zip archive; a .qdpx file is a zip of project.qde and a sources/ folder "
                         "(REFI-QDA 1.5 section 8.1).", path=path)
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"unreadable zip archive: {exc}", path=path) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{len(infos)} files in the archive, more than the {MAX_MEMBERS} allowed.", path=path)
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"the archive inflates to {total} bytes, more than the {MAX_TOTAL_BYTES} allowed.", path=path)
    qde: str | None = None
    sources: dict[str, str] = {}
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
            raise InputError(f"member {name!r} climbs out of the archive; refused.", path=path)
        if info.is_dir():
            continue
        if len(parts) == 1 and parts[0].lower() == "project.qde":
            qde = name
        elif len(parts) == 2 and parts[0].lower() == "sources":
            sources[parts[1].lower()] = name
    if qde is None:
        raise InputError("no project.qde at the top of the archive (REFI-QDA 1.5 section 8.1).", path=path)
    return Archive(path=path, zip=archive, qde=qde, sources=sources)
