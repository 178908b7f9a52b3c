"""The question library pages: every question listed; one question with its parameters as pick-lists (labels shown,
not IRIs), its results as a sortable table, downloads, and the SPARQL behind it."""

from html import escape
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pyoxigraph import Store, Variable
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import PoolDep, SettingsDep
from imri_kg.api.engine import QuestionRequest
from imri_kg.api.ui.layout import notice, page_html, query_string
from imri_kg.api.ui.results import ask, to_table
from imri_kg.namespaces import IMRI, PREFIXES
from imri_kg.questions import library
from imri_kg.questions.params import PLAIN_TYPES

router = APIRouter(prefix="/ui/questions")

# ?class is a substitution, and pyoxigraph substitutes only variables of the projection.
_CHOICES = """SELECT ?x ?class (SAMPLE(?l) AS ?label) WHERE { ?x a ?class ; skos:prefLabel|rdfs:label ?l }
GROUP BY ?x ?class ORDER BY LCASE(STR(?label))"""


def choices(store: Store, type_name: str, *, base: str) -> list[tuple[str, str]]:
    """(value, label) for every instance of an imri class; the value is the path under the base, which the
    question library resolves to the IRI."""
    found = store.query(_CHOICES, prefixes=PREFIXES, use_default_graph_as_union=True,
                        substitutions={Variable("class"): getattr(IMRI, type_name)})
    out = []
    for s in found:
        iri = s["x"].value
        out.append((iri.removeprefix(base), s["label"].value))
    return out


@router.get("", response_class=HTMLResponse, summary="Web interface: the question library")
async def questions_page() -> HTMLResponse:
    items = "".join(f'<li><a href="/ui/questions/{q.name}">{escape(q.title)}</a><p>{escape(q.description)}</p></li>'
                    for q in library().values())
    body = (f"<h1>Question library</h1><p>{len(library())} questions reviewers ask of the graph. Pick one to fill "
            f'its parameters and see its answer.</p><ul class="questions">{items}</ul>')
    return HTMLResponse(page_html("Question library", body, active="/ui/questions"))


@router.get("/{name}", response_class=HTMLResponse, summary="Web interface: one question")
async def question_page(name: str, request: Request, pool: PoolDep, store: StoreDep,
                        settings: SettingsDep) -> HTMLResponse:
    q = library().get(name)
    if q is None:
        body = notice(f'There is no question "{escape(name)}". <a href="/ui/questions">See the library</a>.',
                      kind="error", role="alert")
        return HTMLResponse(page_html("No such question", "<h1>No such question</h1>" + body,
                                      active="/ui/questions"), status_code=404)
    given = {p.name: request.query_params.get(p.name) for p in q.params}
    values = {p.name: (given[p.name] if given[p.name] is not None else (p.default or "")) for p in q.params}
    pairs = [(k, v) for k, v in values.items() if v != ""]
    fields = await run_in_threadpool(lambda: [_field(store, p, values[p.name], base=settings.base) for p in q.params])
    outcome = await ask(pool, QuestionRequest(q.name, tuple(pairs), None, "json"))
    why = await _why_empty(pool, q, pairs) if outcome.ok and outcome.variables and not outcome.bindings else ""
    qs = query_string(pairs)
    api = f"/api/queries/{q.name}" + (f"?{qs}&" if qs else "?")
    form = (f'<form class="params" method="get" action="/ui/questions/{q.name}">{"".join(fields)}'
            '<button type="submit">Run</button></form>') if q.params else ""
    body = f"""<p class="crumb"><a href="/ui/questions">Question library</a></p>
<h1>{escape(q.title)}</h1><p>{escape(q.description)}</p>{form}
<section aria-labelledby="results-h"><h2 id="results-h">Results</h2>
<p class="downloads">Download: <a href="{escape(api)}format=csv" download="{q.name}.csv">CSV</a> ·
<a href="{escape(api)}format=json" download="{q.name}.json">JSON</a> ·
<a href="/ui/sparql?example={q.name}">Open the SPARQL in the editor</a></p>
{why}{to_table(outcome, base=settings.base, caption=q.title, human=True, columns=q.columns)}</section>
<details class="sparql-source"><summary>The SPARQL behind this question</summary>
<pre><code class="sparql">{escape(q.sparql)}</code></pre></details>"""
    return HTMLResponse(page_html(q.title, body, active="/ui/questions", scripts=("sparql.js",)),
                        status_code=200 if outcome.ok else outcome.status)


async def _why_empty(pool, q, pairs: list[tuple[str, str]]) -> str:
    """Why an answer is empty: the parameters whose value, left out alone, gives rows (so it matched nothing)."""
    if not pairs:
        return notice("No rows: the graph holds nothing this question looks for.")
    culprits = []
    for name, value in pairs[:6]:
        rest = tuple(pair for pair in pairs if pair[0] != name)
        if any(p.name == name and p.required for p in q.params):
            continue
        other = await ask(pool, QuestionRequest(q.name, rest, None, "json"))
        if other.ok and other.bindings:
            culprits.append(f"<strong>{escape(name)}</strong> = “{escape(value)}” (without it: "
                            f"{len(other.bindings)} row{'s' if len(other.bindings) != 1 else ''})")
    if culprits:
        return notice("No rows. Nothing matched " + "; nothing matched ".join(culprits) + ". Pick another value "
                      "or leave it empty.")
    given = ", ".join(f"<strong>{escape(n)}</strong> = “{escape(v)}”" for n, v in pairs)
    return notice(f"No rows for these values together: {given}; no one of them alone is the cause.")


def _field(store: Store, p, value: str, *, base: str) -> str:
    ident = f"param-{p.name}"
    label = (f'<label for="{ident}">{escape(p.name)}</label>'
             f'<span class="hint" id="{ident}-hint">{escape(p.description)}</span>')
    described = f'aria-describedby="{ident}-hint"'
    if p.type in PLAIN_TYPES:
        kind = "number" if p.type == "integer" else "text"
        return (f'<div class="field">{label}<input id="{ident}" name="{escape(p.name)}" type="{kind}" '
                f'value="{escape(value)}" {described}></div>')
    options = choices(store, p.type, base=base)
    wanted = value.strip().lower()
    picked = next((v for v, text in options if wanted in (v.lower(), text.lower(), (base + v).lower())), "")
    empty = "" if p.default else f'<option value=""{" selected" if not picked else ""}>(all)</option>'
    opts = "".join(f'<option value="{escape(v)}"{" selected" if v == picked else ""}>{escape(text)}</option>'
                   for v, text in options)
    return (f'<div class="field">{label}<select id="{ident}" name="{escape(p.name)}" {described}>{empty}{opts}'
            "</select></div>")


def question_href(name: str, **values: str) -> str:
    return f"/ui/questions/{quote(name)}?" + query_string(list(values.items()))
