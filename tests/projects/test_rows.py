"""Reading curated tables: located errors for bad CSV."""

import pytest

from imri_kg.errors import InputError
from imri_kg.projects.rows import read_table


def test_rows_are_numbered_as_in_a_spreadsheet(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('a,b\n1,"two\nlines"\n3,4\n', encoding="utf-8")
    rows = read_table(p, required=("a",))
    assert [(r.number, r.get("b")) for r in rows] == [(2, "two\nlines"), (3, "4")]
    with pytest.raises(InputError, match=r't.csv, row 3, column "a": "3x" is not a whole number'):
        p.write_text("a\n1\n3x\n", encoding="utf-8")
        read_table(p, required=("a",))[1].integer("a")


@pytest.mark.parametrize(("content", "message"), [
    (b"a,b\n1,2\n", r"t.csv, row 1: missing column\(s\) c; the header has a, b"),
    (b"c\n\xff\xfe\n", "is not UTF-8 text"),
    (b"c,d\n1,2,3\n", "t.csv, row 2: has 3 cells but the header has 2"),
    (b"%PDF-1.4\x00\x01", "not a CSV text file|not UTF-8"),
])
def test_bad_files_give_located_errors(tmp_path, content, message):
    p = tmp_path / "t.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_table(p, required=("c",))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "none.csv", required=())


def test_a_cell_holding_a_vertical_tab_or_line_separator_stays_in_its_row(tmp_path):
    # Only \r and \n end a CSV line; str.splitlines would also cut at \v, \f, NEL and U+2028 inside a cell.
    for n, mark in enumerate(("\v", "\f", "\x85", "\u2028")):
        path = tmp_path / f"t{n}.csv"
        path.write_text(f"code;label\nT1;One{mark}line\nT2;Two\n", encoding="utf-8")
        rows = read_table(path, required=("code", "label"), detect=True)
        assert [(r.number, r.values) for r in rows] == [(2, {"code": "T1", "label": f"One{mark}line"}),
                                                        (3, {"code": "T2", "label": "Two"})]


def test_a_quote_left_open_is_located_at_the_row_it_opens_in(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('code,label\nT1,One\nT2,"Two\nT3,Three\nT4,Four\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_table(path, required=("code", "label"))
    assert str(raised.value) == (f'{path}, line 3: is not valid CSV: unexpected end of data (in the record from line 3 '
                                 'to line 5). A cell that opens a quote (") must close it; a quote inside a cell is '
                                 'written twice ("").')
