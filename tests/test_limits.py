"""Size and nesting limits before any parser (issue 17, item 2): exact depths, and the inputs that crashed."""

import io
import subprocess
import sys
import zipfile

import pytest

from imri_kg.errors import InputError
from imri_kg.limits import (
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    check_rdf_file,
    check_sparql,
    check_xlsx,
    check_xml_depth,
    nesting_depth,
)


@pytest.mark.parametrize(("text", "kind", "depth"), [
    ("SELECT * { ?s ?p ?o }", "sparql", 1),
    ("SELECT * { { ?s ?p ?o } FILTER((1 + 2) > 0) }", "sparql", 3),
    ('SELECT * { ?s ?p "{{{{{{" } # }}}}}}}{{{{{{', "sparql", 1),
    ("SELECT * { ?s <http://x/(((> ?o }", "sparql", 1),
    ("PREFIX e: <http://e/> SELECT * { ?s e:p\\# ?o . { } }", "sparql", 2),
    ('{"a": [[{"b": "]]]][[[[{{"}]]}', "json", 4),
    ("<s> <p> [ <q> ( 1 2 [ <r> 3 ] ) ] .", "turtle", 3),
])
def test_nesting_depth(text, kind, depth):
    assert nesting_depth(text, kind=kind) == depth


def test_deep_or_long_queries_are_refused_with_a_message():
    check_sparql("SELECT * WHERE " + "{" * MAX_DEPTH + "?s ?p ?o" + "}" * MAX_DEPTH)
    with pytest.raises(InputError, match=f"nests brackets or braces 3000 deep; this server takes at most {MAX_DEPTH}"):
        check_sparql("SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000)
    with pytest.raises(InputError, match="characters long"):
        check_sparql("#" * (MAX_QUERY_CHARS + 1))


def test_xml_with_a_dtd_or_too_deep_is_refused():
    with pytest.raises(InputError, match="declares a DTD"):
        check_xml_depth(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>')
    with pytest.raises(InputError, match="nested more than"):
        check_xml_depth(b"<a>" * 100 + b"</a>" * 100)
    with pytest.raises(InputError, match="line 1"):
        check_xml_depth(b"<a><b></a>")
    check_xml_depth(b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH)


def deep_jsonld(depth: int) -> str:
    return '{"@id": "http://example.org/s", "http://example.org/p": ' + '{"http://example.org/p": ' * depth + "1" \
        + "}" * depth + "}"


def test_deep_jsonld_is_refused_before_parsing(tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text(deep_jsonld(4000))
    with pytest.raises(InputError, match="nests brackets 4001 deep"):
        check_rdf_file(path)


@pytest.mark.parametrize("command", ["validate", "load"])
def test_the_cli_no_longer_crashes_on_deep_jsonld(tmp_path, command):
    # Issue 17: `imri-kg validate` and `load` died with exit 139 (a segfault) on JSON-LD nested 4,000 deep.
    path = tmp_path / "deep.jsonld"
    path.write_text(deep_jsonld(4000))
    args = [str(path)] + (["--store", str(tmp_path / "store")] if command == "load" else [])
    done = subprocess.run([sys.executable, "-m", "imri_kg", command, *args], capture_output=True, text=True, check=False,
                          timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"error: {path}: nests brackets 4001 deep; at most {MAX_DEPTH} levels are taken."


def zipped(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_xlsx_bombs_and_broken_archives_are_refused(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zipped({"xl/worksheets/sheet1.xml": b"<a>" + b" " * 60_000_000 + b"</a>"}))
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputError, match="would unpack to 60,000,007 bytes"):
        check_xlsx(bomb)
    broken = tmp_path / "broken.xlsx"
    data = bytearray(zipped({"xl/workbook.xml": b"<workbook>" + b"x" * 5000 + b"</workbook>"}))
    data[60:80] = b"\xff" * 20  # inside the deflated member: a zlib or CRC error when it is read
    broken.write_bytes(bytes(data))
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        check_xlsx(broken)
    deep = tmp_path / "deep.xlsx"
    deep.write_bytes(zipped({"xl/worksheets/sheet1.xml": b"<a>" * 5000 + b"</a>" * 5000}))
    with pytest.raises(InputError, match="nested more than"):
        check_xlsx(deep)


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s<sheetData>%s</sheetData></worksheet>'


@pytest.mark.parametrize(("dimension", "rows", "message"), [
    (b'<dimension ref="A1:XFD1048576"/>', b'<row r="1"><c r="A1"/></row>',
     "declares a used range of 17,179,869,184 cells (A1:XFD1048576); at most 10,000,000 cells are read."),
    (b"", b"".join(b'<row r="%d"><c r="XFD%d"/></row>' % (n, n) for n in range(1, 612)),
     "has rows as wide as 10,010,624 cells together; at most 10,000,000 cells are read."),  # 611 x 16,384
    (b"", b'<row r="1048577"><c r="A1048577"/></row>', "has row 1048577, past Excel's last row (1,048,576)."),
])
def test_a_sheet_that_would_hand_its_reader_too_many_cells_is_refused(tmp_path, dimension, rows, message):
    bomb = tmp_path / "cells.xlsx"
    bomb.write_bytes(zipped({"xl/worksheets/sheet1.xml": SHEET % (dimension, rows)}))
    assert bomb.stat().st_size < 10_000
    with pytest.raises(InputError) as raised:
        check_xlsx(bomb)
    assert str(raised.value).startswith(f"{bomb}:xl/worksheets/sheet1.xml: {message}")


def test_a_sheet_within_the_bounds_passes(tmp_path):
    rows = b"".join(b'<row r="%d"><c r="A%d"/><c r="L%d"/></row>' % (n, n, n) for n in range(1, 1001))
    fine = tmp_path / "fine.xlsx"
    fine.write_bytes(zipped({"xl/worksheets/sheet1.xml": SHEET % (b'<dimension ref="A1:L1000"/>', rows)}))
    check_xlsx(fine)  # 12,000 cells


@pytest.mark.parametrize("sparql", [
    "ASK { FILTER(" + "!" * 10_000 + "true)}",
    "SELECT (1" + "+1" * 10_000 + " AS ?x) {}",
    "SELECT * { ?s <p>" + "/<p>" * 10_000 + " ?o }",
])
def test_operator_chains_that_crash_the_engine_are_refused_before_it_parses(sparql, tmp_path):
    from click.testing import CliRunner

    from imri_kg.cli import cli
    from imri_kg.limits import check_sparql, operator_count

    assert operator_count(sparql) >= 10_000
    with pytest.raises(InputError, match="operators"):
        check_sparql(sparql)
    path = tmp_path / "chain.rq"
    path.write_text(sparql)
    result = CliRunner().invoke(cli, ["query", str(path)])
    assert result.exit_code == 2 and "operators" in result.output  # was a segfault (exit 139)


def test_operators_inside_names_numbers_iris_and_strings_do_not_count():
    from imri_kg.limits import operator_count

    assert operator_count('SELECT * { ?s ex:a-b-c <http://x/a-b/c> ; rdfs:label "a+b/c" . '
                          "FILTER(?x > 1.5e-3 && ?y != -2) } # a - b") == 5
