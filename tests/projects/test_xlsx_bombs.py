"""An XLSX inside a project folder passes the same archive limits as a single coding sheet (limits.check_xlsx)
before openpyxl opens it, whichever way the folder arrives: `validate DIR`, `import DIR`, a zipped folder."""

import io
import zipfile

from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.kb.build import build_store
from imri_kg.limits import MAX_UNPACKED_BYTES
from imri_kg.projects.archive import check_project_zip
from imri_kg.store import open_read_only
from tests.projects.helpers import copy_project, dump

HEADER = ["id", "codes", "ward", "country", "studies", "text", "location", "coder", "date", "notes"]
PADDING = MAX_UNPACKED_BYTES + 1_000  # bytes of one XML comment: nothing for openpyxl to keep, yet over the bound


def plain_xlsx() -> bytes:
    """A workbook of a header row and one evidence row."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["x9", "T1.1", "icu", "uk", "1", "A bomb row.", "", "", "", ""])
    plain = io.BytesIO()
    book.save(plain)
    return plain.getvalue()


def bomb_xlsx() -> bytes:
    """The plain workbook whose sheet XML carries a comment that unpacks past the bound: tens of KB on disk."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain_xlsx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<!--" + b" " * PADDING + b"--><sheetData>", 1)
            dst.writestr(info.filename, data)
    return out.getvalue()


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def expected_line(name: str) -> str:
    """The one error: the plain workbook's unpacked size, plus the comment's 7 bytes of markup and its padding."""
    with zipfile.ZipFile(io.BytesIO(plain_xlsx())) as archive:
        unpacked = sum(m.file_size for m in archive.infolist()) + len(b"<!---->") + PADDING
    return (f"{name}: would unpack to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} are taken. "
            "Save the sheet as CSV (UTF-8), or split it into smaller workbooks.")


def test_the_bomb_is_small_on_disk():
    assert len(bomb_xlsx()) < 200_000


def test_validate_and_import_of_a_folder_refuse_the_bomb_located_and_write_nothing(tmp_path):
    folder = copy_project(tmp_path)
    (folder / "evidence" / "bomb.xlsx").write_bytes(bomb_xlsx())
    result = invoke("validate", folder)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == expected_line("evidence/bomb.xlsx")
    store_dir = tmp_path / "store"
    assert invoke("build", "--store", store_dir).exit_code == 0
    before = dump(open_read_only(store_dir))
    imported = invoke("import", folder, "--store", store_dir)
    assert imported.exit_code == 2
    assert imported.output.splitlines()[0] == expected_line("evidence/bomb.xlsx")
    assert dump(open_read_only(store_dir)) == before


def test_a_zipped_project_with_the_bomb_is_refused(tmp_path):
    folder = copy_project(tmp_path)
    (folder / "evidence" / "bomb.xlsx").write_bytes(bomb_xlsx())
    archive = tmp_path / "project.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(folder))
    report = check_project_zip(build_store(), archive)
    assert report.exit_code == 2
    assert [str(p) for p in report.problems if p.kind == "input"] == [expected_line("evidence/bomb.xlsx")]


def test_a_sheet_declaring_a_huge_used_range_is_refused_before_openpyxl_pads_its_rows(tmp_path):
    """openpyxl pads every row to the used range a sheet declares: A1:XFD1048576 in a 5 KB file is 17 billion
    cells for the project reader, which turns each row into a list."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain_xlsx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:J2"/>', b'<dimension ref="A1:XFD1048576"/>', 1)
            dst.writestr(info.filename, data)
    folder = copy_project(tmp_path)
    (folder / "evidence" / "wide.xlsx").write_bytes(out.getvalue())
    result = invoke("validate", folder)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "evidence/wide.xlsx:xl/worksheets/sheet1.xml: declares a used range of 17,179,869,184 cells "
        "(A1:XFD1048576); at most 10,000,000 cells are read. Open the file in Excel and save it again, or save the "
        "sheet as CSV (UTF-8).")
