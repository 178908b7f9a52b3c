"""Regenerated tables: Table 5 equals the seed cell by cell; Table 1 and the matrix equal hand-read values."""

import csv
import io
import re

import pytest

from imri_kg.errors import InputError
from imri_kg.publish.paper_tables import (
    TABLES,
    to_csv,
    to_html,
    to_impacts,
    to_latex,
    to_markdown,
    to_table1,
    to_table5,
    to_theme_group_matrix,
    write_table,
    write_tables,
)

GROUPS = ["E-innovations", "Family-focused innovations", "Peer workers", "Personal recovery planning",
          "Recovery colleges", "Service navigation and coordination", "Staff training"]


def seed_table5(text: str) -> list[tuple[str, str, str, str]]:
    """Table 5 read straight from the seed: group lines, then (theme, example) pairs, until the footnote."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = lines[lines.index("Example") + 1:]
    cells, group, i = [], None, 0
    while not lines[i].startswith("1. *"):
        if lines[i] in GROUPS:
            group, i = lines[i], i + 1
            continue
        theme, example = lines[i], lines[i + 1]
        numbers = sorted({int(n) for b in re.findall(r"\[([\d,\s]+)\]", example) for n in b.split(",")})
        cells.append((group, theme, example, ", ".join(map(str, numbers))))
        i += 2
    return cells


def test_table5_matches_the_seed_cell_by_cell(kb, review_text):
    expected = seed_table5(review_text)
    assert len(expected) == 25
    assert [tuple(r) for r in to_table5(kb).rows] == expected


def test_table1_with_totals(kb):
    t = to_table1(kb)
    assert t.columns == ["Stakeholder group", "Québec", "Ontario", "Manitoba 1", "Manitoba 2", "New Brunswick 2",
                         "New Brunswick 1", "British Columbia", "Total n = gender average age (SD)"]
    nb = "\u00a0"  # the paper sets a no-break space between a count and its letter
    assert t.rows == [
        ["Tenants / service users", "6", "1", "0", "2", "1", "2", "4", f"16 (7F, 6{nb}M,1{nb}N-B, 2mis) 52.28 (16.06)"],
        ["Family members", "1", "0", "0", "0", "0", "1", "0", "2 (2F) 61 (1.41)"],
        ["Service providers", "4", "8", "2", "5", "4", "10", "5", f"38 (23F, 9{nb}M, 1{nb}N-B, 5mis 41.9 (12.42)"],
        ["Managers", "5", "3", "3", "5", "1", "1", "3", f"21 (12F, 7{nb}M, 1 PNTA, 1mis 45 (9.03)"],
        ["Housing proprietors", "2", "N/A", "N/A", "N/A", "N/A", "N/A", "N/A", f"2 (1F, 1{nb}M) 53.5 (10.60)"],
        ["Knowledge users", "1", "1", "0", "1", "0", "1", "0", f"4 (2F, 1{nb}M, 1mis) 52.66 (11.71)"],
        ["Other actors", "2", "1", "0", "1", "1", "2", "1", f"7 (6F, 1{nb}M) 47.71 (8.47)"],
        ["Total", "21", "14", "5", "14", "6", "17", "13", "90"],
    ]
    # Footnote marks where the paper prints them: a and b on the row headings, c on two cells.
    assert t.marks == {(0, 0): "a", (1, 0): "b", (6, 2): "c", (6, 5): "c"}
    assert [n.split(" ", 1)[0] for n in t.notes[1:4]] == ["a", "b", "c"]
    assert t.notes[0].startswith("WRAP Wellness Recovery Action Planning, N/A not applicable")
    assert "| Tenants / service users<sup>a</sup> | 6 |" in to_markdown(t)
    assert "Other actors,2,1 [c],0,1,1 [c],2,1," in to_csv(t)


def test_table1_printed_column_matches_the_seed(kb, imri_text):
    for row in to_table1(kb).rows[:-1]:
        assert row[-1] in imri_text


def test_table5_keeps_its_footnote_verbatim(kb, review_text):
    t = to_table5(kb)
    assert t.marks == {(-1, 1): "*"}
    assert t.notes == [("* If the studies in the innovation group did not contribute data to a theme, that theme is "
                        "not listed under the innovation group and no example is provided")]
    assert "*" + t.notes[0][2:] in review_text
    assert r"Theme\textsuperscript{*}" in to_latex(t)


def test_matrix_counts_one_example_per_table5_cell(kb, review_text):
    m = to_theme_group_matrix(kb)
    assert m.columns[1:] == GROUPS
    cells = {(g, t) for g, t, _, _ in seed_table5(review_text)}
    printed = {"The importance of organizational and policy commitment to recovery transformation":
               "The importance of organizational and policy commitment to recovery-transformation"}
    cells = {(g, printed.get(t, t)) for g, t in cells}
    for row in m.rows:
        for group, n in zip(m.columns[1:], row[1:]):
            assert n == ("1" if (group, row[0]) in cells else "0"), (row[0], group)
    assert len(m.rows) == 6


def test_impacts_table(kb):
    t = to_impacts(kb)
    assert len(t.rows) == 19
    assert t.rows[0][:3] == ["Ways of being", "Being hesitant about or resistant to change",
                             "Innovation or Innovation and process"]
    assert sum(r[2] == "Implementation process" for r in t.rows) == 3
    assert sum(r[2] == "Innovation or Innovation and process" for r in t.rows) == 15


def test_writers(kb):
    t5 = to_table5(kb)
    parsed = list(csv.reader(io.StringIO(to_csv(t5))))
    assert parsed[0] == ["Innovation group", "Theme [*]", "Example", "Citations"] and parsed[1:] == t5.rows
    assert to_markdown(t5).count("\n| ") == 26
    assert to_html(t5).count("<tr><td>") == 25
    tex = to_latex(t5)
    assert r"turnover was 21\% during" in tex and "21% during" not in tex
    assert tex.count(r" \\") == 26


def test_write_tables_every_format(kb, tmp_path):
    written = write_tables(kb, tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{n}{e}" for n in TABLES for e in (".csv", ".md", ".html", ".tex"))
    with pytest.raises(InputError, match="unknown table format"):
        write_table(to_impacts(kb), tmp_path / "x.docx")
