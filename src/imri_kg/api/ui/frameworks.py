"""The frameworks page: the IMRI framework figure and the crosswalks IMRI ↔ CHIME and review themes ↔ CFIR, with
links to every framework and mapping set of the graph."""

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import PoolDep, SettingsDep
from imri_kg.api.engine import QuestionRequest
from imri_kg.api.ui.layout import iri_link, page_html
from imri_kg.api.ui.results import ask, to_table
from imri_kg.questions import library, rows, run

router = APIRouter(prefix="/ui/frameworks")

_SCHEMES = """SELECT ?scheme (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?c) AS ?concepts) WHERE {
  ?scheme a skos:ConceptScheme ; rdfs:label|skos:prefLabel ?l . OPTIONAL { ?c skos:inScheme ?scheme }
} GROUP BY ?scheme ORDER BY ?label"""
_SETS = """SELECT ?set (COUNT(DISTINCT ?m) AS ?mappings) WHERE { ?set <https://w3id.org/sssom/mappings> ?m }
GROUP BY ?set ORDER BY ?set"""
CROSSWALKS = [("crosswalk-impacts-by-chime-process", "IMRI ↔ CHIME"),
              ("crosswalk-themes-by-cfir-construct", "Review themes ↔ CFIR 2009")]


@router.get("", response_class=HTMLResponse, summary="Web interface: frameworks and crosswalks")
async def frameworks(store: StoreDep, pool: PoolDep, settings: SettingsDep) -> HTMLResponse:
    base = settings.base
    schemes, sets = await run_in_threadpool(lambda: (rows(run(store, _SCHEMES)), rows(run(store, _SETS))))
    scheme_items = "".join(f"<li>{iri_link(s['scheme'], base=base, text=s['label'])} ({s['concepts']} concepts)</li>"
                           for s in schemes)
    set_items = "".join(f"<li>{iri_link(s['set'], base=base)} ({s['mappings']} mappings)</li>" for s in sets)
    sections = []
    for name, heading in CROSSWALKS:
        q = library()[name]
        outcome = await ask(pool, QuestionRequest(name, (), None, "json"))
        ident = name.replace("-", "")
        sections.append(
            f'<section aria-labelledby="{ident}"><h2 id="{ident}">{escape(heading)}</h2>'
            f"<p>{escape(q.description)} <a href=\"/ui/questions/{name}\">As a question</a> (with downloads).</p>"
            f"{to_table(outcome, base=base, caption=q.title, human=True, columns=q.columns)}</section>")
    body = f"""<h1>Frameworks and crosswalks</h1>
<figure class="framework"><img src="/analytics/figures/framework?format=png" width="2077" height="1444"
 alt="The IMRI framework: its impact categories, each with its impacts, drawn from the graph; the text version is
 the question Impacts by category, with scope.">
<figcaption>The IMRI framework (Piat et al. 2022), redrawn from the graph.
<a href="/ui/questions/impacts-by-category">The same as a table</a> ·
<a href="/analytics/figures/framework?format=svg">SVG</a></figcaption></figure>
{"".join(sections)}
<h2>Frameworks in the graph</h2><ul>{scheme_items}</ul>
<h2>Mapping sets (SSSOM)</h2><ul>{set_items}</ul>"""
    return HTMLResponse(page_html("Frameworks & crosswalks", body, active="/ui/frameworks"))
