"""The home page: what the graph holds (resources per kind, its sources with their DOIs), how to cite it, and
where everything is."""

from functools import cache
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import SettingsDep
from imri_kg.api.ui.layout import iri_link, page_html, table
from imri_kg.publish.sources import source_papers
from imri_kg.questions import library, rows, run
from imri_kg.questions.stats import class_counts

router = APIRouter()

SOURCES = """
SELECT ?source ?label ?title ?doi ?kind WHERE {
  ?source bibo:doi ?doi . OPTIONAL { ?source rdfs:label ?label } OPTIONAL { ?source dcterms:title ?title }
  BIND (IF(EXISTS { ?source a ?k VALUES ?k { imri:Review imri:PrimaryStudy } }, "built from", "reference") AS ?kind)
} ORDER BY ?kind ?label
"""
SECTIONS = [
    ("/ui/questions", "Question library", "Ask the reviewers' questions, with parameters picked from lists."),
    ("/ui/sparql", "SPARQL editor", "Write your own query, starting from the library's examples."),
    ("/ui/matrix", "Theme × innovation-group matrix", "Review Table 5 as a heatmap; every cell opens its evidence."),
    ("/ui/frameworks", "Frameworks & crosswalks", "The IMRI framework figure, IMRI ↔ CHIME and themes ↔ CFIR."),
    ("/ui/validate", "Validate a coding sheet", "Upload a sheet and read its report row by row."),
]
START = [("scheme/themes", "Themes"), ("scheme/innovation-groups", "Innovation groups"),
         ("scheme/imri-framework", "IMRI framework"), ("scheme/stakeholder-groups", "Stakeholder groups"),
         ("scheme/cfir2009", "CFIR 2009"), ("study/piat2021", "Piat et al. 2021 (review)"),
         ("study/piat2022", "Piat et al. 2022 (IMRI)"), ("ontology", "Ontology")]


@router.get("/", include_in_schema=False)
async def root() -> RedirectResponse:
    return RedirectResponse("/ui/", status_code=303)


@router.get("/ui", include_in_schema=False)
async def ui_root() -> RedirectResponse:
    return RedirectResponse("/ui/", status_code=308)


@router.get("/ui/", response_class=HTMLResponse, summary="Web interface: home")
async def home(store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    counts, sources = await run_in_threadpool(lambda: (class_counts(store), rows(run(store, SOURCES))))
    base = settings.base
    sections = "".join(f'<li><a href="{href}">{escape(name)}</a>: {escape(what)}</li>'
                       for href, name, what in SECTIONS)
    kinds = table(["Kind", "Resources"], [[escape(k), str(n)] for k, n in counts.items() if n],
                  caption="Resources per kind (classes of the imri ontology)")
    source_rows = [[iri_link(s["source"], base=base, text=s["label"] or s["source"]), escape(s["title"] or ""),
                    f'<a href="https://doi.org/{escape(s["doi"])}">{escape(s["doi"])}</a>', escape(s["kind"])]
                   for s in sources]
    start = "".join(f'<li><a href="/{p}">{escape(t)}</a> <code>{escape(base + p)}</code></li>' for p, t in START)
    questions = "".join(f'<li><a href="/ui/questions/{q.name}">{escape(q.title)}</a> '
                        f'(<a href="/api/queries/{q.name}">API</a>)</li>' for q in library().values())
    body = f"""<h1>imri-kg</h1>
<p class="lead">Evidence on implementing mental-health recovery into services, as a knowledge graph built from two
open-access papers: the review of factors influencing implementation (Piat et al. 2021) and the IMRI framework of
the impacts of implementing recovery innovations (Piat et al. 2022).</p>
<h2>Start browsing</h2><ul class="browse">{start}</ul>
<h2>What you can do here</h2><ul class="sections">{sections}</ul>
<h2>What the graph holds</h2>{kinds}
<h2>Sources</h2>
{table(["Source", "Title", "DOI", "Role"], source_rows, caption="Works the graph is built from or refers to")}
<h2>How to cite</h2>{_citation()}
<h2>Machine access</h2><p><a href="/sparql">SPARQL endpoint</a> (service description on GET) ·
<a href="/api/queries">question library (JSON)</a> · <a href="/docs">API documentation</a> ·
<a href="/analytics/networks">evidence networks</a></p>
<details><summary>Every question in the library ({len(library())})</summary><ul>{questions}</ul></details>"""
    return HTMLResponse(page_html("Home", body, active="/ui/"))


@cache  # the example projects a process serves do not change while it runs
def _citation() -> str:
    items = "".join(
        f"<li>{escape(', '.join(p.authors))} ({escape(p.year)}). {escape(p.title)}. "
        + (f"<em>{escape(p.journal)}</em> {escape(p.volume)}:{escape(p.article)}. " if p.journal else
           f"{escape(p.citation)}. ")
        + f'<a href="https://doi.org/{escape(p.doi)}">https://doi.org/{escape(p.doi)}</a></li>' for p in source_papers())
    return ("<p>Cite the dataset as <cite>imri-kg: evidence on implementing mental-health recovery into services "
            "(imri-kg contributors, CC BY 4.0)</cite>, with its version, and cite the two papers it is built "
            f"from:</p><ul>{items}</ul><p>A release carries the same in its <code>CITATION.cff</code>.</p>")
