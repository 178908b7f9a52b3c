"""A project's findings tables from the graph: the Summary of Qualitative Findings, the GRADE-CERQual Evidence
Profile and the appraisal table (studies x criteria), in CSV, XLSX, Markdown, LaTeX and HTML.

Only the agreed assessment of each finding is shown (imri:agreed true). The rows come from the SPARQL of
queries/tables/findings-*.rq; findings are in the natural order of their ids (F2 before F10).
"""

import html
import io
import re
from pathlib import Path

from pyoxigraph import NamedNode, Store

from imri_kg.errors import InputError
from imri_kg.publish.latex import to_tex
from imri_kg.publish.paper_tables import TABLES_DIR, Table, to_csv, to_html, to_markdown
from imri_kg.publish.spreadsheet import text_not_formula
from imri_kg.questions import read_question, rows, run

KINDS = ("soqf", "profile", "appraisals")
FORMATS = ("csv", "xlsx", "md", "tex", "html")
CERQUAL_NOTE = ("Confidence assessed with GRADE-CERQual (Lewin S, Booth A, Glenton C, et al. Implementation Science "
                "2018;13(Suppl 1):2. doi:10.1186/s13012-017-0688-3).")


def _select(store: Store, name: str, project: NamedNode) -> list[dict[str, str]]:
    sparql = read_question(TABLES_DIR / f"{name}.rq").sparql
    return rows(run(store, sparql, bindings={"project": project}))  # type: ignore[arg-type]


def natural(text: str) -> list[tuple[int, str]]:
    """A sort key that puts F2 before F10."""
    return [(int(p), "") if p.isdigit() else (0, p.casefold()) for p in re.split(r"(\d+)", text)]


def _findings(store: Store, project: NamedNode) -> tuple[list[dict[str, str]], dict[str, dict[str, tuple[str, str]]],
                                                         list[str], dict[str, str]]:
    """The findings (one dict each), their components' (concern, explanation), the component names in order, and
    each finding's studies as one cell."""
    data = _select(store, "findings-assessments", project)
    if not data:
        raise InputError(f"the store holds no findings of the project <{project.value}>; import the project (with "
                         "its findings.csv) first, or check the project's slug.")
    findings: dict[str, dict[str, str]] = {}
    parts: dict[str, dict[str, tuple[str, str]]] = {}
    order: dict[str, int] = {}
    for r in data:
        findings.setdefault(r["finding"], r)
        if r["component"]:
            parts.setdefault(r["finding"], {})[r["component"]] = (r["concern"], r["componentExplanation"])
            order[r["component"]] = int(r["componentOrder"])
    studies: dict[str, set[str]] = {}
    for r in _select(store, "findings-studies", project):
        studies.setdefault(r["finding"], set()).add(r["key"])
    cells = {f: "; ".join(sorted(s, key=natural)) for f, s in studies.items()}
    ordered = sorted(findings.values(), key=lambda r: natural(r["id"]))
    return ordered, parts, sorted(order, key=order.__getitem__), cells


def to_soqf(store: Store, project: NamedNode) -> Table:
    """The Summary of Qualitative Findings table: finding, confidence, its explanation, contributing studies."""
    findings, _, _, studies = _findings(store, project)
    body = [[r["id"], r["statement"], r["confidence"], r["confidenceExplanation"], studies.get(r["finding"], "")]
            for r in findings]
    return Table("soqf", "Summary of Qualitative Findings",
                 ["#", "Summarised review finding", "GRADE-CERQual assessment of confidence",
                  "Explanation of GRADE-CERQual assessment", "Studies contributing to the review finding"],
                 body, [CERQUAL_NOTE])


def component_cell(concern: str, explanation: str) -> str:
    """"Minor concerns: explanation", or the level alone when it has no explanation."""
    return f"{concern}: {explanation}" if concern and explanation else concern or explanation


def to_profile(store: Store, project: NamedNode) -> Table:
    """The GRADE-CERQual Evidence Profile: each finding's studies, its four components, and its confidence."""
    findings, parts, components, studies = _findings(store, project)
    body = []
    for r in findings:
        own = parts.get(r["finding"], {})
        body.append([r["id"], r["statement"], studies.get(r["finding"], ""),
                     *(component_cell(*own.get(c, ("", ""))) for c in components),
                     r["confidence"], r["confidenceExplanation"]])
    return Table("profile", "GRADE-CERQual Evidence Profile",
                 ["#", "Summarised review finding", "Studies contributing to the review finding", *components,
                  "GRADE-CERQual assessment of confidence", "Explanation of GRADE-CERQual assessment"],
                 body, [CERQUAL_NOTE])


def to_appraisals(store: Store, project: NamedNode) -> Table:
    """Studies x criteria: one row per appraisal (study, tool, appraiser); screening questions by their id, each
    category's criteria by their number within it. The notes give the criteria and cite each tool."""
    data = _select(store, "findings-appraisals", project)
    if not data:
        raise InputError(f"the store holds no appraisals of the project <{project.value}>; add appraisals.csv to "
                         "the project and import it.")
    shared = sorted({r["notation"] for r in data if r["notation"] and not r["categoryOfCriterion"]}, key=natural)
    width = max([int(r["order"]) for r in data if r["order"] and r["categoryOfCriterion"]] or [0])
    columns = ["Study", "Tool", "Design category", *shared, *(f"Criterion {n}" for n in range(1, width + 1)),
               "Appraiser"]
    records: dict[str, dict[str, str]] = {}
    comments, criteria, tools = [], {}, {}
    for r in data:
        record = records.setdefault(r["appraisal"], {"Study": r["key"], "Tool": r["toolLabel"],
                                                     "Design category": r["category"], "Appraiser": r["appraiser"]})
        tools[r["toolLabel"]] = r["citation"]
        if not r["notation"]:
            continue
        column = f"Criterion {r['order']}" if r["categoryOfCriterion"] else r["notation"]
        record[column] = r["answer"]
        criteria[(r["toolLabel"], r["categoryOfCriterion"], r["notation"])] = r["question"]
        if r["comment"]:
            comments.append((natural(r["key"]), natural(r["notation"]), f"{r['key']}, {r['notation']}: {r['comment']}"))
    body = [[rec.get(c, "") for c in columns] for rec in sorted(
        records.values(), key=lambda x: (natural(x["Study"]), x["Tool"], x["Appraiser"]))]
    notes = [f"{tool}: {citation}" if citation else tool for tool, citation in sorted(tools.items())]
    notes += [f"{k[2]} ({k[1] or 'all studies'}): {q}" for k, q in sorted(
        criteria.items(), key=lambda i: (i[0][0], bool(i[0][1]), natural(i[0][2])))]
    notes += ["Comments: " + " ".join(c[2] if c[2].endswith(".") else c[2] + "." for c in sorted(comments))] \
        if comments else []
    return Table("appraisals", "Appraisal of the included studies", columns, body, notes)


BUILDERS = {"soqf": to_soqf, "profile": to_profile, "appraisals": to_appraisals}


def to_table(store: Store, project: NamedNode, kind: str) -> Table:
    if kind not in BUILDERS:
        raise InputError(f'unknown table "{kind}"; use one of {", ".join(KINDS)}.')
    return BUILDERS[kind](store, project)


def to_latex(table: Table) -> str:
    """A longtable; columns of running text wrap (p{}), short ones stay on one line."""
    long = {i for i, c in enumerate(table.columns) if any(len(r[i]) > 24 for r in table.rows)}
    share = 0.9 / max(len(long), 1)
    spec = "".join(f"p{{{share:.2f}\\linewidth}}" if i in long else "l" for i in range(len(table.columns)))
    lines = [r"\begin{longtable}{" + spec + "}", r"\caption{" + to_tex(table.title) + r"}\\", r"\hline",
             " & ".join(to_tex(c) for c in table.columns) + r" \\", r"\hline", r"\endhead"]
    lines += [" & ".join(to_tex(v) for v in r) + r" \\" for r in table.rows]
    lines += [r"\hline", r"\end{longtable}"] + [to_tex(n) + "\n" for n in table.notes]
    return "\n".join(lines) + "\n"


def to_xlsx(table: Table) -> bytes:
    """One worksheet: the title, the header row, the rows, then the notes; fixed document dates, so that equal tables
    give equal bytes."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.name
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(table.columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in table.rows:
        sheet.append(r)
    for note in table.notes:
        sheet.append([note])
    for row in sheet.iter_rows(min_row=3, max_row=2 + len(table.rows)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    text_not_formula(sheet)
    fixed = dt.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with every zip entry dated 1980-01-01 and a fixed modification date: openpyxl stamps both
    with the time of writing."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            target.writestr(fixed, data)
    return out.getvalue()


WRITERS = {"csv": to_csv, "md": to_markdown, "tex": to_latex, "html": to_html}
MEDIA_TYPES = {"csv": "text/csv", "md": "text/markdown", "tex": "application/x-tex", "html": "text/html",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def to_bytes(table: Table, fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt not in WRITERS:
        raise InputError(f'unknown format "{fmt}"; use one of {", ".join(FORMATS)}.')
    return WRITERS[fmt](table).encode("utf-8")


def write_findings_table(table: Table, path: Path, fmt: str | None = None) -> Path:
    """Write `table` to `path` in `fmt` (default: the extension's)."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".")
    path.write_bytes(to_bytes(table, fmt))
    return path


def to_html_page_table(table: Table) -> str:
    """The table as HTML for the web page (the same writer as the download)."""
    return to_html(table) if table.rows else f"<p>{html.escape(table.title)}: nothing yet.</p>"
