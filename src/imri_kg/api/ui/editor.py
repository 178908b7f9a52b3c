"""The SPARQL editor page: a highlighted editor with the preset prefixes, the library's questions as examples, and
the results table or the parser's error at its line and column; the time limit and result cap are on the page."""

import re
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from imri_kg.api.dependencies import PoolDep, SettingsDep
from imri_kg.api.engine import QueryRequest
from imri_kg.api.ui.layout import page_html, query_string, table
from imri_kg.api.ui.results import Outcome, ask, to_table
from imri_kg.namespaces import PREFIXES
from imri_kg.questions import library

router = APIRouter(prefix="/ui/sparql")
# The prologue (comments, PREFIX and BASE lines) before a query's form keyword.
_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n|(?:PREFIX\s+[\w.-]*:\s*|BASE\s+)<[^>]*>)*", re.IGNORECASE)
_GRAPH_FORM = re.compile(r"(?:CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)

START = """SELECT ?theme ?themeLabel (COUNT(DISTINCT ?group) AS ?groups)
WHERE {
  ?theme a imri:Theme ; skos:prefLabel ?themeLabel ; imri:spansGroup ?group .
}
GROUP BY ?theme ?themeLabel
ORDER BY DESC(?groups) ?themeLabel
"""


@router.get("", response_class=HTMLResponse, summary="Web interface: the SPARQL editor")
async def editor(pool: PoolDep, settings: SettingsDep, query: str | None = None,
                 example: str | None = None) -> HTMLResponse:
    questions = library()
    if query is None and example in questions:
        query = questions[example].sparql
    graph = bool(query and _GRAPH_FORM.match(_PROLOGUE.sub("", query)))  # CONSTRUCT, DESCRIBE: Turtle
    outcome = (await ask(pool, QueryRequest(query, None, "turtle" if graph else "json"))
               if query and query.strip() else None)
    download = (f'<p class="downloads">Download the whole answer: <a href="/sparql?{query_string([("query", query)])}'
                f'&amp;format={"turtle" if graph else "csv"}" download="answer.{"ttl" if graph else "csv"}">'
                f'{"Turtle" if graph else "CSV"}</a></p>' if outcome is not None and outcome.ok else "")
    text = query if query is not None else START
    options = "".join(f'<option value="{q.name}"{" selected" if q.name == example else ""}>{escape(q.title)}</option>'
                      for q in questions.values())
    prefixes = table(["Prefix", "Namespace"], [[f"<code>{escape(p)}:</code>", f"<code>{escape(ns)}</code>"]
                                               for p, ns in PREFIXES.items()],
                     caption="Prefixes every query may use without declaring them", sortable=False)
    status = 200 if outcome is None or outcome.ok else outcome.status
    body = f"""<h1>SPARQL editor</h1>
<p class="limits" id="limits">Each query may run for at most <strong>{settings.timeout:g} s</strong> and returns at
most <strong>{settings.max_rows:,} rows</strong>; this server is
<strong>{"read-only" if not settings.write_token else "open to updates with its write token"}</strong>.
Queries never fetch data from other servers.</p>
<form class="examples" method="get" action="/ui/sparql">
<div class="field"><label for="example">Start from a library question</label>
<select id="example" name="example"><option value="">(choose an example)</option>{options}</select></div>
<button type="submit">Load example</button></form>
<form class="editor-form" method="get" action="/ui/sparql">
<div class="field"><label for="query">Query</label>
<span class="hint" id="query-hint">Ctrl+Enter runs the query. Tab indents; Escape then Tab leaves the editor.</span>
<div class="editor" data-error-line="{outcome.line if outcome and outcome.line else ""}"
 data-error-column="{outcome.column if outcome and outcome.column else ""}">
<pre class="highlight" aria-hidden="true"><code></code></pre>
<textarea id="query" name="query" rows="14" spellcheck="false" autocapitalize="off" autocomplete="off"
 aria-describedby="query-hint limits">{escape(text)}</textarea></div></div>
<button type="submit">Run query</button></form>
{_error_context(text, outcome)}
<section aria-labelledby="results-h"><h2 id="results-h">Results</h2>{download}
{to_table(outcome, base=settings.base) if outcome else '<p>Run a query to see its results here.</p>'}</section>
<details class="prefixes"><summary>Prefix help</summary>{prefixes}
<p>Declare any other prefix in the query with <code>PREFIX name: &lt;namespace&gt;</code>.</p></details>"""
    return HTMLResponse(page_html("SPARQL editor", body, active="/ui/sparql", scripts=("sparql.js",)),
                        status_code=status)


def _error_context(text: str, outcome: Outcome | None) -> str:
    """The query's line the parser stopped at, with a caret under the column (shown without JavaScript too)."""
    if outcome is None or outcome.line is None or outcome.column is None:
        return ""
    lines = text.splitlines() or [""]
    if not 1 <= outcome.line <= len(lines):
        return ""
    line = lines[outcome.line - 1]
    caret = " " * (outcome.column - 1) + "^"
    return (f'<figure class="error-context"><figcaption>Where the parser stopped (line {outcome.line}, column '
            f'{outcome.column})</figcaption><pre>{escape(line)}\n{caret}</pre></figure>')
