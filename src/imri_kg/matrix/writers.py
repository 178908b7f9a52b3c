"""Matrix exports: CSV (one line per cell, or per cell, excerpt and study), XLSX (openpyxl), Markdown, LaTeX, JSON;
and the matrix as a network (GraphML, node-link JSON) or a heatmap (PNG, SVG), in views.py.

In the wide layouts (XLSX, Markdown, LaTeX) a cell reads "E (S)": E coded excerpts citing S distinct studies.
"""

import io
import json
import re
from collections.abc import Callable

from imri_kg.errors import InputError
from imri_kg.matrix.model import Item, Matrix
from imri_kg.publish.latex import to_tex
from imri_kg.publish.spreadsheet import SpreadsheetCSV, text_not_formula

NOTE = "A cell reads E (S): E coded excerpts, citing S distinct studies."


def _name(item: Item, m: Matrix) -> str:
    """The item's label, with its project when the matrix spans several."""
    several = len({i.project for i in m.rows + m.cols}) > 1
    return f"{item.label} [{project_name(item, m)}]" if several else item.label


def project_name(item: Item, m: Matrix) -> str:
    """The item's project by its title, or by its slug when it has none or shares it with another project of the
    matrix (a copy of a folder imported under a new slug keeps the title)."""
    titles = {i.project: i.project_label for i in m.rows + m.cols}
    slug = item.project.rsplit("/", 1)[-1]
    title = item.project_label
    if not title or sum(1 for t in titles.values() if t == title) > 1:
        return slug
    return title


def _cell_text(m: Matrix, r: Item, c: Item) -> str:
    cell = m.cell(r, c)
    return f"{cell.excerpts} ({cell.studies})" if cell.excerpts else ""


def to_csv(m: Matrix) -> bytes:
    out = io.StringIO()
    w = SpreadsheetCSV(out)  # for people, in a spreadsheet: text that reads as a formula gets a quote
    head = ["row", "row_label", "col", "col_label", "project", "excerpts", "studies"]
    if m.with_excerpts:
        head += ["excerpt", "text", "location", "study", "reference", "citation", "doi_link"]
    w.writerow(head)
    for r in m.rows:
        for c in m.cols:
            cell = m.cell(r, c)
            base = [r.iri, _name(r, m), c.iri, _name(c, m), r.project if r.project == c.project else "",
                    cell.excerpts, cell.studies]
            if not m.with_excerpts:
                w.writerow(base)
                continue
            if not cell.items:
                w.writerow(base + [""] * 7)
            for e in cell.items:
                for s in e.studies or [None]:
                    w.writerow(base + [e.iri, e.text, e.location] + (
                        [s.iri, s.reference, s.full_reference, s.doi_link] if s else ["", "", "", ""]))
    return out.getvalue().encode("utf-8")


_MARKDOWN = re.compile(r"([\\`*_<>&|#])")


def to_markdown(m: Matrix) -> bytes:
    def esc(text: str) -> str:  # on one line; Markdown's own characters (and HTML's < > &) stay text
        return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
    lines = [f"Matrix: {m.row_spec} × {m.col_spec}. {NOTE}", "",
             "| | " + " | ".join(esc(_name(c, m)) for c in m.cols) + " |",
             "|---|" + "---|" * len(m.cols)]
    lines += ["| " + esc(_name(r, m)) + " | " + " | ".join(_cell_text(m, r, c) for c in m.cols) + " |"
              for r in m.rows]
    if m.with_excerpts:
        for r in m.rows:
            for c in m.cols:
                cell = m.cell(r, c)
                if not cell.items:
                    continue
                lines += ["", f"### {esc(_name(r, m))} × {esc(_name(c, m))}", ""]
                for e in cell.items:
                    where = f" ({esc(e.location)})" if e.location else ""
                    lines.append(f"- {esc(e.text)}{where}")
                    for s in e.studies:
                        ref = f"[{s.reference}] " if s.reference else ""
                        link = f" <{s.doi_link}>" if s.doi_link else ""
                        lines.append(f"  - {ref}{esc(s.full_reference)}{link}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tex_url(link: str) -> str:
    return link.replace("%", r"\%")  # a percent-encoded link: % would start a TeX comment


def to_latex(m: Matrix) -> bytes:
    lines = [r"\begin{table}", r"\centering", rf"\caption{{{to_tex(f'{m.row_spec} × {m.col_spec}. {NOTE}')}}}",
             r"\begin{tabular}{l" + "r" * len(m.cols) + "}", r"\hline",
             " & " + " & ".join(to_tex(_name(c, m)) for c in m.cols) + r" \\", r"\hline"]
    lines += [to_tex(_name(r, m)) + " & " + " & ".join(_cell_text(m, r, c) for c in m.cols) + r" \\" for r in m.rows]
    lines += [r"\hline", r"\end{tabular}", r"\end{table}"]
    if m.with_excerpts:
        for r in m.rows:
            for c in m.cols:
                cell = m.cell(r, c)
                if not cell.items:
                    continue
                lines += ["", rf"\paragraph{{{to_tex(_name(r, m))} × {to_tex(_name(c, m))}}}", r"\begin{itemize}"]
                for e in cell.items:
                    lines.append(r"\item {}" + to_tex(e.text))  # {}: a leading [ is not an \item label
                    if e.studies:
                        lines.append(r"\begin{itemize}")
                        lines += [r"\item {}" + to_tex((f"[{s.reference}] " if s.reference else "") + s.full_reference) + (rf" \url{{{_tex_url(s.doi_link)}}}" if s.doi_link else "")
                                  for s in e.studies]
                        lines.append(r"\end{itemize}")
                lines.append(r"\end{itemize}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_xlsx(m: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def row(cells: list) -> list:  # a control character cannot be stored in a workbook: shown as U+FFFD
        return [ILLEGAL_CHARACTERS_RE.sub("\ufffd", c) if isinstance(c, str) else c for c in cells]

    book = Workbook()
    for sheet, attr, title in ((book.active, "excerpts", "excerpts"), (book.create_sheet(), "studies", "studies")):
        sheet.title = title
        sheet.append(row([f"{m.row_spec} × {m.col_spec}: number of {title}"] + [_name(c, m) for c in m.cols]))
        for r in m.rows:
            sheet.append(row([_name(r, m)] + [getattr(m.cell(r, c), attr) for c in m.cols]))
    if m.with_excerpts:
        sheet = book.create_sheet("cell excerpts")
        sheet.append(["row", "col", "excerpt", "text", "location", "reference", "citation", "doi_link"])
        for r in m.rows:
            for c in m.cols:
                for e in m.cell(r, c).items:
                    for s in e.studies or [None]:
                        sheet.append(row([_name(r, m), _name(c, m), e.iri, e.text, e.location] + (
                            [s.reference, s.full_reference, s.doi_link] if s else ["", "", ""])))
    for sheet in book.worksheets:
        text_not_formula(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(m: Matrix) -> bytes:
    return json.dumps(m.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")


FORMATS: dict[str, tuple[Callable[[Matrix], bytes], str, str]] = {
    "csv": (to_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "markdown": (to_markdown, "text/markdown; charset=utf-8", "md"),
    "latex": (to_latex, "application/x-latex; charset=utf-8", "tex"),
    "json": (to_json, "application/json", "json"),
    "graphml": (lambda m: _views().to_graphml(m), "application/graphml+xml", "graphml"),
    "node-link": (lambda m: _views().to_node_link(m), "application/json", "json"),
    "png": (lambda m: _views().to_png(m), "image/png", "png"),
    "svg": (lambda m: _views().to_svg(m), "image/svg+xml", "svg"),
}


def _views():  # networkx and matplotlib are loaded only for these formats
    from imri_kg.matrix import views

    return views


def to_bytes(m: Matrix, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise InputError(f'"{fmt}" is not a matrix format; use one of {", ".join(FORMATS)}.')
    return FORMATS[fmt][0](m)
