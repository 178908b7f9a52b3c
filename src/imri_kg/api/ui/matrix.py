"""The theme × innovation-group matrix of review Table 5 as an HTML heatmap; every cell links to its evidence."""

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import SettingsDep
from imri_kg.api.ui.layout import local_href, page_html
from imri_kg.api.ui.library import question_href

router = APIRouter(prefix="/ui/matrix")

# A sequential blue scale; text on the two darkest shades is white. Every pair passes WCAG AA (4.5:1) for text.
# The shades and their ink, as the classes .shade-0 ... .shade-4 of static/ui.css (a test keeps the two equal).
SHADES = ["#dbe9f6", "#9ecae1", "#2f6fad", "#1c5a99", "#0b3d73"]
INK = ["#111111", "#111111", "#ffffff", "#ffffff", "#ffffff"]


@router.get("", response_class=HTMLResponse, summary="Web interface: the theme × innovation-group matrix")
async def matrix(store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    from imri_kg.analytics.views import (  # networkx: only when the page is asked
        nodes_of,
        to_theme_group_network,
    )

    g = await run_in_threadpool(to_theme_group_network, store)
    themes = sorted(nodes_of(g, "theme"), key=lambda t: (-g.degree(t), g.nodes[t]["label"]))
    groups = sorted(nodes_of(g, "group"), key=lambda n: (g.nodes[n].get("number") or 99, g.nodes[n]["label"]))
    top = max((g.edges[e]["n_citations"] for e in g.edges), default=1)
    head = "".join(f'<th scope="col"><a href="{escape(local_href(grp, base=settings.base))}">'
                   f'{escape(g.nodes[grp]["label"])}</a> <span class="n">({g.degree(grp)} themes)</span></th>'
                   for grp in groups)
    body_rows = []
    for t in themes:
        cells = []
        for grp in groups:
            label = f'{g.nodes[t]["label"]} in {g.nodes[grp]["label"]}'
            if not g.has_edge(t, grp):
                cells.append(f'<td class="cell empty"><span class="visually-hidden">{escape(label)}: </span>'
                             "not reported</td>")
                continue
            edge = g.edges[t, grp]
            studies = edge["n_citations"]
            shade = _shade(studies, top)
            href = question_href("evidence-for-theme-in-group", theme=t[len(settings.base):],
                                 group=grp[len(settings.base):])
            cites = ", ".join(map(str, edge["citations"]))
            items = edge["weight"]
            cells.append(
                f'<td class="cell filled shade-{shade}">'  # colours in ui.css: the CSP allows no inline style
                f'<a href="{escape(href)}" aria-label="{escape(label)}: {items} evidence '
                f'item{"s" if items != 1 else ""} citing {studies} stud{"ies" if studies != 1 else "y"}: '
                f'{escape(cites)}"><span class="items">{studies}</span> <span class="cites">[{escape(cites)}]</span>'
                "</a></td>")
        body_rows.append(f'<tr><th scope="row"><a href="{escape(local_href(t, base=settings.base))}">'
                         f'{escape(g.nodes[t]["label"])}</a> <span class="n">({g.degree(t)} groups)</span></th>'
                         + "".join(cells) + "</tr>")
    legend = "".join(f'<li><span class="swatch shade-{_shade(n, top)}"></span>{n}</li>'
                     for n in range(1, top + 1))
    filled = g.number_of_edges()
    body = f"""<h1>Themes × innovation groups</h1>
<p>Review Table 5 as a heatmap: {len(themes)} inner-setting themes (rows) × {len(groups)} synthesised innovation
groups (columns). {filled} of the {len(themes) * len(groups)} cells hold evidence. A cell shows how many studies
its evidence cites (the shade) and, in brackets, their reference numbers in the review; open a cell for its
examples and citations. Row and column headings link to the theme's or group's page.</p>
<div class="scroll" role="region" aria-label="Heatmap" tabindex="0">
<table class="heatmap"><caption>Studies cited per theme and innovation group (review Table 5)</caption>
<thead><tr><td></td>{head}</tr></thead><tbody>{"".join(body_rows)}</tbody></table></div>
<div class="legend"><span>Studies cited in a cell:</span> <ul>{legend}</ul></div>
<p><a href="/ui/matrix/general">The general matrix coding query</a>: any code level, case dimension or
picked codes and cases against any other, for one project or several, with downloads.</p>
<p><a href="/analytics/figures/heatmap?format=png">The same matrix as a figure (PNG)</a> ·
<a href="/analytics/figures/heatmap?format=svg">SVG</a></p>"""
    return HTMLResponse(page_html("Theme × group matrix", body, active="/ui/matrix"))


def _shade(studies: int, top: int) -> int:
    """The shade of a cell citing `studies` studies, when the busiest cell cites `top`."""
    return min(len(SHADES) - 1, round((studies - 1) * (len(SHADES) - 1) / max(top - 1, 1)))
