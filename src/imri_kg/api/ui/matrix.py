"""The theme × innovation-group matrix of review Table 5 as an HTML heatmap: counts printed in every cell, a legend
that names the counts of each shade, headings that stay in view when the table scrolls, CSV and XLSX downloads of
the same counts, and every cell opening onto its excerpts with their full references."""

from dataclasses import replace
from html import escape
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import SettingsDep
from imri_kg.api.ui.layout import local_href, page_html
from imri_kg.matrix import FORMATS, Matrix, to_bytes, to_matrix
from imri_kg.namespaces import PROV

router = APIRouter(prefix="/ui/matrix")
PROJECT = "piat2021"  # the review project whose Table 5 this page shows
ROWS, COLS = "level:theme", "dimension:group"

# A sequential blue scale; text on the three darkest shades is white. Every pair passes WCAG AA (4.5:1) for text.
# The shades and their ink, as the classes .shade-0 ... .shade-4 of static/ui.css (a test keeps the two equal).
SHADES = ["#dbe9f6", "#9ecae1", "#2f6fad", "#1c5a99", "#0b3d73"]
INK = ["#111111", "#111111", "#ffffff", "#ffffff", "#ffffff"]


def shade_of(n: int, top: int) -> int:
    """The shade (0 to 4) of a cell counting `n`, when the busiest cell counts `top`."""
    return min(len(SHADES) - 1, round((n - 1) * (len(SHADES) - 1) / max(top - 1, 1)))


def legend_html(top: int, what: str) -> str:
    """The legend: each shade with the exact counts it stands for ("2–3"), so that no two shades look alike
    without saying so; the counts themselves are printed in the cells."""
    spans: dict[int, list[int]] = {}
    for n in range(1, top + 1):
        spans.setdefault(shade_of(n, top), []).append(n)
    items = "".join(f'<li><span class="swatch shade-{s}" aria-hidden="true"></span>'
                    f'{ns[0] if len(ns) == 1 else f"{ns[0]}–{ns[-1]}"}</li>' for s, ns in sorted(spans.items()))
    return (f'<div class="legend"><span id="legend-h">Shade = {escape(what)} (the number in each cell):</span> '
            f'<ul aria-labelledby="legend-h">{items}</ul></div>')


def cell_href(row: str, col: str, projects: list[str]) -> str:
    """The page listing the excerpts of one cell with their full references (matrix_general.py)."""
    return "/ui/matrix/general/cell?" + urlencode([("row", row), ("col", col)] + [("project", p) for p in projects])


def _table5(store, base: str) -> tuple[Matrix, dict[str, int], dict[tuple[str, str], list]]:
    """Table 5 as the general matrix of the review project, with only the themes and groups that hold evidence:
    themes by the number of groups they reach, groups by their number in the review."""
    from imri_kg.analytics.views import (  # networkx: only when the page is asked
        nodes_of,
        to_theme_group_network,
    )

    m = to_matrix(store, rows=ROWS, cols=COLS, projects=[PROJECT], base=base)
    g = to_theme_group_network(store)
    themes = sorted(nodes_of(g, "theme"), key=lambda t: (-g.degree(t), g.nodes[t]["label"]))
    groups = sorted(nodes_of(g, "group"), key=lambda n: (g.nodes[n].get("number") or 99, g.nodes[n]["label"]))
    # The project's codes and cases restate the knowledge base's themes and groups (graph/restated).
    kb_of = {q.subject.value: q.object.value for q in store.quads_for_pattern(None, PROV.alternateOf, None, None)}
    rows = {kb_of.get(r.iri, r.iri): r for r in m.rows}
    cols = {kb_of.get(c.iri, c.iri): c for c in m.cols}
    project_of = {kb: item.iri for kb, item in (rows | cols).items()}
    degree = {project_of.get(n, n): g.degree(n) for n in themes + groups}
    cites = {(project_of.get(a, a), project_of.get(b, b)) if a in themes else (project_of.get(b, b), project_of.get(a, a)):
             g.edges[a, b]["citations"] for a, b in g.edges}
    return (replace(m, rows=[rows[t] for t in themes if t in rows], cols=[cols[c] for c in groups if c in cols]),
            degree, cites)


@router.get("", response_class=HTMLResponse, summary="Web interface: the theme × innovation-group matrix")
async def matrix(store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    m, degree, cites = await run_in_threadpool(_table5, store, settings.base)
    top = max((c.studies for c in m.cells.values()), default=1) or 1
    head = "".join(f'<th scope="col"><a href="{escape(local_href(c.iri, base=settings.base))}">'
                   f'{escape(c.label)}</a> <span class="n">({degree[c.iri]} themes)</span></th>' for c in m.cols)
    body_rows = []
    for r in m.rows:
        cells = []
        for c in m.cols:
            label = f"{r.label} in {c.label}"
            cell = m.cell(r, c)
            if not cell.excerpts:
                cells.append(f'<td class="cell empty"><span class="visually-hidden">{escape(label)}: </span>'
                             "not reported</td>")
                continue
            studies = cell.studies
            # The link's name is its text (no aria-label): what a screen reader says is what is printed, plus
            # the hidden words that make the number mean something (WCAG 2.5.3, label in name).
            cells.append(
                f'<td class="cell filled shade-{shade_of(studies, top)}">'  # colours in ui.css (no inline style: CSP)
                f'<a href="{escape(cell_href(r.iri, c.iri, [PROJECT]))}"><span class="visually-hidden">'
                f'{escape(label)}: </span><span class="items">{studies}</span><span class="visually-hidden"> '
                f'stud{"ies" if studies != 1 else "y"} cited</span> <span class="cites">'
                f'[{escape(", ".join(map(str, cites.get((r.iri, c.iri), []))))}]</span></a></td>')
        body_rows.append(f'<tr><th scope="row"><a href="{escape(local_href(r.iri, base=settings.base))}">'
                         f'{escape(r.label)}</a> <span class="n">({degree[r.iri]} groups)</span></th>'
                         + "".join(cells) + "</tr>")
    filled = sum(1 for r in m.rows for c in m.cols if m.cell(r, c).excerpts)
    body = f"""<h1>Themes × innovation groups</h1>
<p>Review Table 5 as a heatmap: {len(m.rows)} inner-setting themes (rows) × {len(m.cols)} synthesised innovation
groups (columns). {filled} of the {len(m.rows) * len(m.cols)} cells hold evidence. Each cell prints how many studies
its evidence cites (the shade says the same) and, in brackets, their reference numbers in the review; open a cell for
its excerpts with their full references. Row and column headings link to the theme's or group's page and stay in view when the table
scrolls.</p>
{legend_html(top, "studies cited")}
<div class="scroll matrix" role="region" aria-labelledby="matrix-caption" tabindex="0">
<table class="heatmap"><caption id="matrix-caption">Studies cited per theme and innovation group (review Table 5)
</caption><thead><tr><td class="corner"></td>{head}</tr></thead><tbody>{"".join(body_rows)}</tbody></table></div>
<p>Download these counts: <a href="/ui/matrix/table5.csv" download>CSV</a> ·
<a href="/ui/matrix/table5.xlsx" download>XLSX</a> (one line per cell, with its excerpts and full references, in the
CSV). <a href="/ui/matrix/general">The general matrix coding query</a>: any code level, case dimension or picked codes
and cases against any other, for one project or several.</p>
<p><a href="/analytics/figures/heatmap?format=png">The same matrix as a figure (PNG)</a> ·
<a href="/analytics/figures/heatmap?format=svg">SVG</a></p>"""
    return HTMLResponse(page_html("Theme × group matrix", body, active="/ui/matrix"))


@router.get("/table5.{fmt}", summary="The theme × innovation-group matrix of the page, as CSV or XLSX",
            responses={200: {"content": {FORMATS["csv"][1]: {}, FORMATS["xlsx"][1]: {}}}})
async def table5(store: StoreDep, settings: SettingsDep, fmt: Literal["csv", "xlsx"]) -> Response:
    def build() -> bytes:
        m, _, _ = _table5(store, settings.base)
        with_excerpts = to_matrix(store, rows=ROWS, cols=COLS, projects=[PROJECT], excerpts=True, base=settings.base)
        return to_bytes(replace(with_excerpts, rows=m.rows, cols=m.cols), fmt)

    data = await run_in_threadpool(build)
    _, media_type, suffix = FORMATS[fmt]
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="table5-matrix.{suffix}"'})
