"""Project tables: XLSX and CSV read alike, `;` and tab separated files detected, comment lines and rows skipped."""

import openpyxl

from imri_kg.projects.folder import read_project
from imri_kg.projects.problems import Problems
from imri_kg.projects.tables import read_rows, split_studies
from tests.projects.helpers import copy_project


def _excerpts(kb, folder):
    project = read_project(folder, store=kb)
    assert project.problems.items == []
    return {e.id: (e.codes, e.cases, e.studies, e.text, e.origin.row) for e in project.excerpts}


def test_the_same_evidence_as_xlsx_reads_the_same(kb, tmp_path):
    folder = copy_project(tmp_path)
    as_csv = _excerpts(kb, folder)
    path = folder / "evidence" / "coded.csv"
    import csv

    book = openpyxl.Workbook()
    for line in csv.reader(path.read_text(encoding="utf-8").splitlines()):
        book.active.append(line)
    path.unlink()
    book.save(folder / "evidence" / "coded.xlsx")
    assert _excerpts(kb, folder) == as_csv


def test_semicolon_and_tab_separated_files(tmp_path):
    for name, sep in (("semi.csv", ";"), ("tab.csv", "\t")):
        path = tmp_path / name
        path.write_text(f"# a comment line, with, commas\ncode{sep}label\n#T0{sep}skipped\nT1{sep}One, two\n\n",
                        encoding="utf-8-sig")
        problems = Problems(tmp_path)
        rows = read_rows(path, problems, required=("code", "label"))
        assert problems.items == []
        assert [(r.number, r.values) for r in rows] == [(4, {"code": "T1", "label": "One, two"})]


def test_study_lists_in_every_written_form():
    assert split_studies("85;88;89") == ["85", "88", "89"]
    assert split_studies("85, 88") == ["85", "88"]
    assert split_studies("[85, 88]") == ["85", "88"]
    assert split_studies("[85], [88] ; smith2019") == ["85", "88", "smith2019"]


def test_a_missing_required_column_is_an_input_error(tmp_path):
    path = tmp_path / "codebook.csv"
    path.write_text("# codebook\nid,label\nT1,One\n", encoding="utf-8")
    problems = Problems(tmp_path)
    assert read_rows(path, problems, required=("code", "label")) is None
    assert [str(p) for p in problems.items] == ["codebook.csv, row 2: missing column(s) code; the header has id, label."]
    assert problems.exit_code == 2


def test_a_cell_holding_a_vertical_tab_or_line_separator_stays_in_its_row(tmp_path):
    # Text pasted from a word processor can hold \v, \f, NEL or U+2028; only \r and \n end a CSV line.
    for n, mark in enumerate(("\v", "\f", "\x1c", "\x85", "\u2028")):
        path = tmp_path / f"t{n}.csv"
        path.write_text(f'code,label\r\nT1,One{mark}line\r\nT2,"Two{mark}lines"\r\nT3,Three\r\n', encoding="utf-8")
        problems = Problems(tmp_path)
        rows = read_rows(path, problems, required=("code", "label"))
        assert problems.items == []
        assert [(r.number, r.values) for r in rows] == [(2, {"code": "T1", "label": f"One{mark}line"}),
                                                        (3, {"code": "T2", "label": f"Two{mark}lines"}),
                                                        (4, {"code": "T3", "label": "Three"})]


def test_a_quote_left_open_is_located_at_the_row_it_opens_in(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('code,label\nT1,One\nT2,"Two\nT3,Three\n', encoding="utf-8")
    problems = Problems(tmp_path)
    assert read_rows(path, problems, required=("code", "label")) is None
    assert [(p.row, p.message) for p in problems.items] == [
        (3, ('is not valid CSV: unexpected end of data (in the record from line 3 to line 4). A cell that opens a quote '
             '(") must close it; a quote inside a cell is written twice ("").'))]


def _book(path, rows, *, merge=None, more=None):
    book = openpyxl.Workbook()
    for line in rows:
        book.active.append(line)
    if merge:
        book.active.merge_cells(merge)
    for title, lines in (more or {}).items():
        sheet = book.create_sheet(title)
        for line in lines:
            sheet.append(line)
    book.save(path)
    return path


def test_cells_merged_over_rows_are_a_located_problem(tmp_path):
    """A value merged over two rows is stored in the first row only: the second row's case was silently lost."""
    path = _book(tmp_path / "coded.xlsx", [["id", "codes", "ward", "studies", "text"],
                                           ["e1", "T1", "icu", "1", "One."], ["e2", "T1", None, "2", "Two."]],
                 merge="C2:C3")
    problems = Problems(tmp_path)
    rows = read_rows(path, problems, required=("codes",))
    assert [r.values["ward"] for r in rows] == ["icu", ""]
    assert [str(p) for p in problems.items] == [
        ('coded.xlsx, row 2, column "ward": cells C2:C3 are merged, and a merged cell holds its value in its first '
        "row only (row 3 reads it as empty); unmerge them and write the value in every row.")]


def test_a_merged_title_above_the_header_is_no_problem(tmp_path):
    path = _book(tmp_path / "coded.xlsx", [["# My coding", None], ["codes", "text"], ["T1", "One."]], merge="A1:B1")
    problems = Problems(tmp_path)
    assert [r.values for r in read_rows(path, problems, required=("codes",))] == [{"codes": "T1", "text": "One."}]
    assert problems.items == []


def test_rows_on_a_second_sheet_are_reported_not_dropped_in_silence(tmp_path):
    path = _book(tmp_path / "coded.xlsx", [["codes", "text"], ["T1", "One."]],
                 more={"Site B": [["codes", "text"], ["T2", "Two."]], "empty": []})
    problems = Problems(tmp_path)
    assert [r.values for r in read_rows(path, problems, required=("codes",))] == [{"codes": "T1", "text": "One."}]
    assert [(str(p), p.severity) for p in problems.items] == [
        (('coded.xlsx: Warning: sheet "Site B" was not read; only the first sheet of a workbook is. Move its rows to '
         "the first sheet, or save it as a file of its own."), "Warning")]


def test_a_hash_opening_free_text_in_the_first_column_is_data_not_a_comment(tmp_path):
    """An evidence file whose first column is `text`: "#1 priority was staffing." was skipped as a comment line,
    so the excerpt was lost in silence (exit 0)."""
    path = tmp_path / "more.csv"
    path.write_text('# evidence of the second coder\ntext,codes,studies\n#1 priority was staffing.,T2,1\n'
                    '"#hashtag campaigns worked",T3,2\n', encoding="utf-8")
    problems = Problems(tmp_path)
    rows = read_rows(path, problems, required=("codes", "studies", "text"))
    assert problems.items == []
    assert [(r.number, r.values["text"]) for r in rows] == [(3, "#1 priority was staffing."),
                                                           (4, "#hashtag campaigns worked")]
