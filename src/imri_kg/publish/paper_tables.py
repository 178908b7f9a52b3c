"""The papers' tables regenerated from SPARQL over the graph, written as CSV, Markdown, HTML or LaTeX."""

import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.publish.latex import to_tex
from imri_kg.publish.spreadsheet import SpreadsheetCSV
from imri_kg.questions import QUERIES_DIR, read_question, rows, run

TABLES_DIR = QUERIES_DIR / "tables"


@dataclass(frozen=True)
class Table:
    """A table ready to write: a title, column headings, rows of strings and notes printed under it.

    `marks` holds footnote marks as printed, by (row, column); row -1 is the heading row. Writers set them as
    superscripts (HTML, Markdown, LaTeX) or in brackets (CSV), never inside the cell's own text.
    """

    name: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    marks: dict[tuple[int, int], str] = field(default_factory=dict)


def _select(store: Store, name: str) -> list[dict[str, str]]:
    return rows(run(store, read_question(TABLES_DIR / f"{name}.rq").sparql))  # type: ignore[arg-type]


def _sorted_numbers(text: str) -> str:
    return ", ".join(str(n) for n in sorted({int(x) for x in text.split(", ") if x}))


def _printed_notes(store: Store, name: str) -> list[str]:
    """A table's notes as printed: the mark, then the text ("abbreviations" is printed without a mark)."""
    return [r["text"] if r["mark"] == "abbreviations" else f"{r['mark']} {r['text']}" for r in _select(store, name)]


def to_table5(store: Store) -> Table:
    data = _select(store, "table5")
    notes = _select(store, "table5-notes")
    return Table("table5", "Table 5. Inner setting: themes and examples from each innovation group (Piat et al. 2021)",
                 ["Innovation group", "Theme", "Example", "Citations"],
                 [[r["group"], r["theme"], r["example"], _sorted_numbers(r["citations"])] for r in data],
                 _printed_notes(store, "table5-notes"), {(-1, 1): " ".join(r["mark"] for r in notes)})


def to_theme_group_matrix(store: Store) -> Table:
    data = _select(store, "theme-group-matrix")
    groups = list(dict.fromkeys(r["group"] for r in data))
    themes = list(dict.fromkeys(r["theme"] for r in data))
    count = {(r["theme"], r["group"]): r["n"] for r in data}
    return Table("theme-group-matrix", "Themes by innovation group: number of evidence items",
                 ["Theme", *groups], [[t, *(count[(t, g)] for g in groups)] for t in themes])


def to_table1(store: Store) -> Table:
    """Table 1 as printed: cells, footnote marks, site totals, the gender and age column and the notes.

    Site totals are derived from the cells (a QC query checks them against the printed ones); the last column is
    the printed "Total n = gender average age (SD)" text. A mark that every cell of a row carries is set on the
    row's heading, as the paper prints it; any other mark on its cell.
    """
    cells = _select(store, "table1")
    totals = {(r["kind"], r["label"]): r["total"] for r in _select(store, "table1-totals")}
    printed = {r["label"]: r["printed"] for r in _select(store, "table1-characteristics")}
    sites = list(dict.fromkeys(r["site"] for r in cells))
    groups = list(dict.fromkeys(r["group"] for r in cells))
    n = {(r["group"], r["site"]): r["n"] for r in cells}
    cell_marks = {(r["group"], r["site"]): r["marks"] for r in cells}
    body = [[g, *(n[(g, s)] for s in sites), printed[g]] for g in groups]
    body.append(["Total", *(totals[("site", s)] for s in sites), printed["Total"]])
    marks: dict[tuple[int, int], str] = {}
    for i, g in enumerate(groups):
        row_marks = {cell_marks[(g, s)] for s in sites}
        if len(row_marks) == 1 and "" not in row_marks:
            marks[(i, 0)] = row_marks.pop()
            continue
        marks.update({(i, j): cell_marks[(g, s)] for j, s in enumerate(sites, 1) if cell_marks[(g, s)]})
    notes = _printed_notes(store, "table1-notes") + [
        ("Site totals are derived from the cells; the trainer hired in Ontario and New Brunswick 2 (footnote c) is "
         "counted once, in Ontario's total.")]
    return Table("table1", "Table 1. Study participants per site and stakeholder group (Piat et al. 2022)",
                 ["Stakeholder group", *sites, "Total n = gender average age (SD)"], body, notes, marks)


def to_impacts(store: Store) -> Table:
    data = _select(store, "impacts-by-category")
    return Table("impacts", "IMRI impacts by category and scope",
                 ["Category", "Impact", "Scope", "Scope confidence"],
                 [[r["category"], r["impact"], r["scope"], r["scopeConfidence"]] for r in data],
                 [("Fig. 1 of the paper is not available as text; scopes with medium confidence are read from the "
                   "text. \"Innovation or Innovation and process\": the text does not place the impact, and the "
                   "Discussion says many impacts were also supported by data about the process.")])


TABLES = {"table5": to_table5, "theme-group-matrix": to_theme_group_matrix, "table1": to_table1, "impacts": to_impacts}


def _marked(table: Table, mark: Callable[[str], str], escape: Callable[[str], str]) -> tuple[list, list]:
    """Headings and rows escaped for a format, with each footnote mark set by `mark`."""
    def one(i: int, j: int, value: str) -> str:
        m = table.marks.get((i, j))
        return escape(value) + (mark(m) if m else "")
    return ([one(-1, j, c) for j, c in enumerate(table.columns)],
            [[one(i, j, v) for j, v in enumerate(r)] for i, r in enumerate(table.rows)])


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = SpreadsheetCSV(out)  # for people, in a spreadsheet: text that reads as a formula gets a quote
    columns, body = _marked(table, lambda m: f" [{m}]", str)
    writer.writerow(columns)
    writer.writerows(body)
    return out.getvalue()


def to_markdown(table: Table) -> str:
    def cell(value: str) -> str:
        return " ".join(value.split()).replace("|", "\\|")
    columns, body = _marked(table, lambda m: f"<sup>{m}</sup>", cell)
    lines = [f"**{table.title}**", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    lines += [""] + [f"_{note}_" for note in table.notes]
    return "\n".join(lines) + "\n"


def to_html(table: Table) -> str:
    columns, rows = _marked(table, lambda m: f"<sup>{html.escape(m)}</sup>", html.escape)
    head = "".join(f"<th scope=\"col\">{c}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>\n" for r in rows)
    notes = "".join(f"<p class=\"note\">{html.escape(n)}</p>" for n in table.notes)
    return (f"<table id=\"{table.name}\">\n<caption>{html.escape(table.title)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n{notes}\n")


def to_latex(table: Table) -> str:
    wide = {i for i, c in enumerate(table.columns) if c in ("Example", "Impact", "Theme")}
    spec = "".join("p{0.45\\linewidth}" if i in wide and "Example" in table.columns else "l"
                   for i in range(len(table.columns)))
    columns, body = _marked(table, lambda m: r"\textsuperscript{" + to_tex(m) + "}", to_tex)
    lines = [r"\begin{longtable}{" + spec + "}", r"\caption{" + to_tex(table.title) + r"}\\", r"\hline",
             " & ".join(columns) + r" \\", r"\hline", r"\endhead"]
    lines += [" & ".join(r) + r" \\" for r in body]
    lines += [r"\hline", r"\end{longtable}"] + [to_tex(n) + "\n" for n in table.notes]
    return "\n".join(lines) + "\n"


WRITERS = {".csv": to_csv, ".md": to_markdown, ".html": to_html, ".tex": to_latex}


def write_table(table: Table, path: Path) -> Path:
    """Write `table` in the format its extension names (.csv, .md, .html, .tex)."""
    path = Path(path)
    writer = WRITERS.get(path.suffix)
    if writer is None:
        raise InputError(f"unknown table format; use one of {', '.join(WRITERS)}.", path=path)
    path.write_text(writer(table), encoding="utf-8")
    return path


def write_tables(store: Store, directory: Path) -> list[Path]:
    """Every regenerated table in every format, into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [write_table(build(store), directory / f"{name}{ext}") for name, build in TABLES.items() for ext in WRITERS]
