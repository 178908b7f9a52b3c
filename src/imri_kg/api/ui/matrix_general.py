"""The general matrix coding query as a web page: pick rows, columns and projects; every cell opens its excerpts
with their full references; the same matrix downloads as CSV, XLSX, Markdown or LaTeX from /api/matrix."""

from html import escape
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import SettingsDep
from imri_kg.api.ui.layout import local_href, page_html
from imri_kg.api.ui.matrix import cell_href, legend_html, shade_of
from imri_kg.errors import InputError
from imri_kg.matrix import AXIS_KINDS, FORMATS, Matrix, to_matrix
from imri_kg.matrix.model import Item
from imri_kg.matrix.writers import project_name

router = APIRouter(prefix="/ui/matrix/general")
Projects = Annotated[list[str] | None, Query(description="Project slugs; empty: every project")]


def _form(rows: str, cols: str, projects: list[str]) -> str:
    kinds = "".join(f"<li><code>{escape(k)}:</code> {escape(v)}</li>" for k, v in AXIS_KINDS.items())
    return f"""<form method="get" action="/ui/matrix/general" class="stack">
<p><label>Rows <input name="rows" value="{escape(rows)}" required></label>
<label>Columns <input name="cols" value="{escape(cols)}" required></label>
<label>Projects (slugs, separated by spaces; empty: all) <input name="project" value="{escape(' '.join(projects))}">
</label> <button type="submit">Show the matrix</button></p>
<details><summary>How to name an axis</summary><ul>{kinds}</ul></details></form>"""


def _label(item: Item, m: Matrix, base: str) -> str:
    several = len({i.project for i in m.rows + m.cols}) > 1
    extra = f' <span class="n">({escape(project_name(item, m))})</span>' if several else ""
    return f'<a href="{escape(local_href(item.iri, base=base))}">{escape(item.label)}</a>{extra}'


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else (noun[:-1] + 'ies' if noun.endswith('y') else noun + 's')}"


def _split(projects: list[str] | None) -> list[str]:
    return [p for value in projects or [] for p in value.split()]


@router.get("", response_class=HTMLResponse, summary="Web interface: the general matrix coding query")
async def general(store: StoreDep, settings: SettingsDep, rows: str = "level:theme",
                  cols: str = "dimension:group", project: Projects = None) -> HTMLResponse:
    projects = _split(project)
    try:
        m = await run_in_threadpool(to_matrix, store, rows=rows, cols=cols, projects=projects, base=settings.base)
    except InputError as exc:
        body = f'<h1>Matrix coding query</h1>{_form(rows, cols, projects)}<p class="error" role="alert">' \
               f"{escape(str(exc))}</p>"
        return HTMLResponse(page_html("Matrix coding query", body, active="/ui/matrix"), status_code=400)
    top = max((c.studies for c in m.cells.values()), default=1) or 1
    query = [("rows", rows), ("cols", cols)] + [("project", p) for p in projects]
    head = "".join(f'<th scope="col">{_label(c, m, settings.base)}</th>' for c in m.cols)
    body_rows = []
    for r in m.rows:
        cells = []
        for c in m.cols:
            cell = m.cell(r, c)
            name = f"{r.label} × {c.label}"
            if not cell.excerpts:
                cells.append(f'<td class="cell empty"><span class="visually-hidden">{escape(name)}: </span>0</td>')
                continue
            href = cell_href(r.iri, c.iri, projects)
            # The link's name is its printed text plus hidden words (no aria-label: WCAG 2.5.3, label in name).
            cells.append(
                f'<td class="cell filled shade-{shade_of(cell.studies, top)}">'  # colours in ui.css (CSP)
                f'<a href="{escape(href)}"><span class="visually-hidden">{escape(name)}: </span>'
                f'<span class="items">{cell.excerpts}</span><span class="visually-hidden"> '
                f'excerpt{"s" if cell.excerpts != 1 else ""}</span> '
                f'<span class="cites">({_count(cell.studies, "study")})</span></a></td>')
        body_rows.append(f'<tr><th scope="row">{_label(r, m, settings.base)}</th>{"".join(cells)}</tr>')
    downloads = " · ".join(f'<a href="/api/matrix?{escape(urlencode(query + [("format", f), ("excerpts", "true")]))}">'
                           f"{escape(f.upper() if f != 'markdown' else 'Markdown')}</a>" for f in FORMATS)
    body = f"""<h1>Matrix coding query</h1>{_form(rows, cols, projects)}
<p>{len(m.rows)} rows × {len(m.cols)} columns; {len(m.cells)} cells hold evidence. A cell prints its coded excerpts
(large) and the distinct studies they cite (the shade); a code or case counts its narrower codes or cases too. Open a cell for its
excerpts and their full references.</p>
{legend_html(top, "distinct studies cited")}
<div class="scroll matrix" role="region" aria-labelledby="matrix-caption" tabindex="0">
<table class="heatmap"><caption id="matrix-caption">{escape(m.row_spec)} × {escape(m.col_spec)}</caption>
<thead><tr><td class="corner"></td>{head}</tr></thead><tbody>{"".join(body_rows)}</tbody></table></div>
<p>Download with every cell's excerpts: {downloads}</p>"""
    return HTMLResponse(page_html("Matrix coding query", body, active="/ui/matrix"))


@router.get("/cell", response_class=HTMLResponse, summary="Web interface: the excerpts of one matrix cell")
async def cell(store: StoreDep, settings: SettingsDep, row: str, col: str, project: Projects = None) -> HTMLResponse:
    try:
        m = await run_in_threadpool(to_matrix, store, rows=f"items:{row}", cols=f"items:{col}",
                                    projects=_split(project), excerpts=True, base=settings.base)
    except InputError as exc:
        return HTMLResponse(page_html("Matrix cell", f'<p class="error" role="alert">{escape(str(exc))}</p>'),
                            status_code=400)
    r, c = m.rows[0], m.cols[0]
    found = m.cell(r, c)
    items = []
    for e in found.items:
        refs = "".join(
            "<li>" + (f"[{escape(s.reference)}] " if s.reference else "") + escape(s.full_reference)
            + (f' <a href="{escape(s.doi_link)}">{escape(s.doi_link)}</a>' if s.doi_link else "") + "</li>"
            for s in e.studies)
        where = f' <span class="n">({escape(e.location)})</span>' if e.location else ""
        items.append(f'<li><blockquote>{escape(e.text)}</blockquote>{where} '
                     f'<a href="{escape(local_href(e.iri, base=settings.base))}">excerpt</a>'
                     f'<ul>{refs or "<li>cites no study</li>"}</ul></li>')
    body = (f"<h1>{_label(r, m, settings.base)} × {_label(c, m, settings.base)}</h1>"
            f"<p>{_count(found.excerpts, 'coded excerpt')} citing {_count(found.studies, 'distinct study')}.</p>"
            f'<ol class="excerpts">{"".join(items)}</ol><p><a href="/ui/matrix/general">Back to the matrix</a></p>')
    return HTMLResponse(page_html(f"{r.label} × {c.label}", body, active="/ui/matrix"))
