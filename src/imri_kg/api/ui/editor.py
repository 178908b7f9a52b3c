"""The SPARQL editor page: a highlighted editor with the preset prefixes and completion of prefixes and terms, the
library's questions as examples (with their parameters bound), every query form (a graph shown as Turtle), paged
results, downloads of the whole answer, short errors located at their line and column, a shareable link and (in the
browser) a history of the queries run."""

import re
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pyoxigraph import NamedNode, Variable
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import PoolDep, SettingsDep
from imri_kg.api.engine import QueryRequest
from imri_kg.api.questions import data_version
from imri_kg.api.ui.downloads import csv_response, json_response, refused, to_csv, to_xlsx, xlsx_response
from imri_kg.api.ui.layout import notice, page_html, query_string, table
from imri_kg.api.ui.results import Outcome, ask, order_pairs, sort_rows, to_table
from imri_kg.api.ui.vendor import has_codemirror
from imri_kg.errors import InputError
from imri_kg.namespaces import PREFIXES
from imri_kg.questions import library
from imri_kg.questions.params import to_bindings
from imri_kg.store.remote import with_values

router = APIRouter(prefix="/ui/sparql")
# The prologue (comments, PREFIX and BASE lines) before a query's form keyword.
_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n|(?:PREFIX\s+[\w.-]*:\s*|BASE\s+)<[^>]*>)*", re.IGNORECASE)
_GRAPH_FORM = re.compile(r"(?:CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_PNAME = re.compile(r"(?<![\w<?$])([A-Za-z][\w.-]*)?:(?=[\w.-]*)")
_DECLARED = re.compile(r"PREFIX\s+([\w.-]*):", re.IGNORECASE)
# Downloads: (label, format= of the endpoint, file suffix); CSV and XLSX are made by this page.
SELECT_DOWNLOADS = (("TSV", "tsv", "tsv"), ("JSON", "json", "json"))
GRAPH_DOWNLOADS = (("Turtle", "turtle", "ttl"), ("N-Triples", "nt", "nt"), ("JSON-LD", "jsonld", "jsonld"))
_TERMS = """SELECT DISTINCT ?term WHERE { { [] ?term [] } UNION { [] a ?term } }"""
_kept_terms: dict[str, list[str]] = {}
_CM_SCRIPTS = ("lib/codemirror.js", "mode/sparql/sparql.js", "addon/hint/show-hint.js")
_CM_STYLES = ("lib/codemirror.css", "addon/hint/show-hint.css")

START = """SELECT ?theme ?themeLabel (COUNT(DISTINCT ?group) AS ?groups)
WHERE {
  ?theme a imri:Theme ; skos:prefLabel ?themeLabel ; imri:spansGroup ?group .
}
GROUP BY ?theme ?themeLabel
ORDER BY DESC(?groups) ?themeLabel
"""


def is_graph_query(query: str) -> bool:
    """Whether the query is a CONSTRUCT or DESCRIBE (its answer is a graph)."""
    return bool(_GRAPH_FORM.match(_PROLOGUE.sub("", query)))


def to_example(store, name: str, values: dict[str, str], *, base: str) -> str:
    """A library question's SPARQL with its parameters (given, else defaults) bound in a VALUES block, so the
    editor answers as the question page does."""
    q = library()[name]
    bindings = to_bindings(store, q, {k: v for k, v in values.items() if any(p.name == k for p in q.params)},
                           base=base)
    return with_values(q.sparql, {Variable(k): v for k, v in bindings.items()})


@router.get("", response_class=HTMLResponse, summary="Web interface: the SPARQL editor")
async def editor(request: Request, pool: PoolDep, store: StoreDep, settings: SettingsDep,
                 query: str | None = None, example: str | None = None, page: int = 1,
                 sort: str | None = None, order: str | None = None) -> HTMLResponse:
    questions = library()
    problem = ""
    if query is None and example in questions:
        values = {k: v for k, v in request.query_params.items() if k not in ("example", "page", "sort", "order")}
        try:
            query = await run_in_threadpool(to_example, store, example, values, base=settings.base)
        except InputError as exc:
            query = questions[example].sparql
            problem = notice(f"The example's parameters were not bound: {escape(exc.message)}", kind="warning")
    graph = bool(query and is_graph_query(query))
    outcome = (await ask(pool, QueryRequest(query, None, "turtle" if graph else "json"))
               if query and query.strip() else None)
    text = query if query is not None else START
    options = "".join(f'<option value="{q.name}"{" selected" if q.name == example else ""}>{escape(q.title)}</option>'
                      for q in questions.values())
    prefixes = table(["Prefix", "Namespace"], [[f"<code>{escape(p)}:</code>", f"<code>{escape(ns)}</code>"]
                                               for p, ns in PREFIXES.items()],
                     caption="Prefixes every query may use without declaring them", sortable=False)
    status = 200 if outcome is None or outcome.ok else outcome.status
    if outcome is not None and not outcome.ok:
        outcome.message = short_error(outcome.message, text, outcome.line, outcome.column)
    shown = (to_table(outcome, base=settings.base, page=page, sort=sort, order=order,
                      href=lambda n, by: "/ui/sparql?" + query_string([("query", text), *by, ("page", str(n))]))
             if outcome else "<p>Run a query to see its results here.</p>")
    link = "/ui/sparql?" + query_string([("query", text)])
    body = f"""<h1>SPARQL editor</h1>
<p class="limits" id="limits">Each query may run for at most <strong>{settings.timeout:g} s</strong> and returns at
most <strong>{settings.max_rows:,} rows</strong>; this server is
<strong>{"read-only" if not settings.write_token else "open to updates with its write token"}</strong>.
Queries never fetch data from other servers.</p>
<form class="examples" method="get" action="/ui/sparql">
<div class="field"><label for="example">Start from a library question</label>
<select id="example" name="example"><option value="">(choose an example)</option>{options}</select></div>
<button type="submit">Load example</button></form>{problem}
<form class="editor-form" method="get" action="/ui/sparql">
<div class="field"><label for="query">Query</label>
<span class="hint" id="query-hint">Ctrl+Enter runs the query; Ctrl+Space suggests prefixes and terms (they are also
suggested after a prefix and its colon). Tab indents; Escape then Tab leaves the editor.</span>
<div class="editor" data-error-line="{outcome.line if outcome and outcome.line else ""}"
 data-error-column="{outcome.column if outcome and outcome.column else ""}">
<pre class="highlight" aria-hidden="true"><code></code></pre>
<textarea id="query" name="query" rows="14" spellcheck="false" autocapitalize="off" autocomplete="off"
 aria-describedby="query-hint limits">{escape(text)}</textarea></div>
<ul class="completions" id="completions" role="listbox" aria-label="Suggestions" hidden></ul>
<p class="visually-hidden" id="completion-status" aria-live="polite"></p></div>
<button type="submit">Run query</button></form>
<p class="share">Link to this query (to share or bookmark): <a id="share-link" href="{escape(link)}">{escape(_short(text))}</a>
<button type="button" id="copy-link" hidden>Copy the link</button></p>
{_error_context(text, outcome)}
<section aria-labelledby="results-h"><h2 id="results-h">Results</h2>{_downloads(text, graph, outcome, order_pairs(sort, order))}
{shown}</section>
<section aria-labelledby="history-h" class="history"><h2 id="history-h">Your recent queries</h2>
<p id="history-empty">Queries you run are kept in this browser only (not on the server); the last 20 are listed
here.</p><ol id="history"></ol><button type="button" id="clear-history" hidden>Forget these queries</button></section>
<details class="prefixes"><summary>Prefix help</summary>{prefixes}
<p>Declare any other prefix in the query with <code>PREFIX name: &lt;namespace&gt;</code>.</p></details>"""
    cm = "vendor/codemirror/"  # CodeMirror, when the set-up installed it; else sparql.js keeps the textarea
    scripts = tuple(cm + f for f in _CM_SCRIPTS) if has_codemirror() else ()
    styles = tuple(cm + f for f in _CM_STYLES) if has_codemirror() else ()
    return HTMLResponse(page_html("SPARQL editor", body, active="/ui/sparql", scripts=(*scripts, "sparql.js"),
                                  styles=styles), status_code=status)


@router.get("/answer.csv", summary="Web interface: a SELECT query's whole answer as CSV for a spreadsheet",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def editor_csv(pool: PoolDep, query: str, sort: str | None = None, order: str | None = None) -> Response:
    outcome = await _whole_answer(pool, query, sort, order)
    if isinstance(outcome, Response):
        return outcome
    if outcome.boolean is not None:
        return refused("An ASK answer is yes or no; download it as JSON.", 400)
    return csv_response(to_csv(outcome), "answer.csv")


@router.get("/answer.xlsx", summary="Web interface: a SELECT query's whole answer as an Excel workbook",
            response_class=Response, responses={200: {"content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
async def editor_xlsx(pool: PoolDep, query: str, sort: str | None = None, order: str | None = None) -> Response:
    outcome = await _whole_answer(pool, query, sort, order)
    if isinstance(outcome, Response):
        return outcome
    if outcome.boolean is not None:
        return refused("An ASK answer is yes or no; download it as JSON.", 400)
    about = [("Query", query), ("Rows", str(len(outcome.bindings)))]
    if outcome.truncated:
        about.append(("Cut at the server's result cap", outcome.truncated.removeprefix("true; ")))
    return xlsx_response(await run_in_threadpool(to_xlsx, outcome, outcome.variables, about), "answer.xlsx")


@router.get("/answer.json", summary="Web interface: a SELECT query's whole answer as SPARQL JSON results, in the "
            "order chosen on the page", response_class=Response,
            responses={200: {"content": {"application/sparql-results+json": {}}}})
async def editor_json(pool: PoolDep, query: str, sort: str | None = None, order: str | None = None) -> Response:
    outcome = await _whole_answer(pool, query, sort, order)
    return outcome if isinstance(outcome, Response) else json_response(outcome, "answer.json")


async def _whole_answer(pool, query: str, sort: str | None, order: str | None) -> Outcome | Response:
    """A download's whole answer, in the order chosen on the page; a graph query or a failed one is refused."""
    if is_graph_query(query):
        return _graph_refused(query)
    outcome = await ask(pool, QueryRequest(query, None, "json"))
    if not outcome.ok:
        return refused(outcome.message, outcome.status)
    if sort and outcome.boolean is None:
        sort_rows(outcome, sort, order == "desc")
    return outcome


def _graph_refused(query: str) -> Response:
    """A CONSTRUCT or DESCRIBE answer is a graph, not a table: a clear 400 naming the formats it has, with links."""
    links = "; ".join(f"{name}: /sparql?{query_string([('query', query), ('format', fmt)])}"
                      for name, fmt, _ in GRAPH_DOWNLOADS)
    return refused("A CONSTRUCT or DESCRIBE answer is a graph, not a table, so it has no CSV, Excel or SPARQL JSON "
                   f"results form; download it as Turtle, N-Triples or JSON-LD ({links}).\n", 400)


@router.get("/terms.json", summary="Web interface: the prefixes and the terms in use, for the editor's completion")
async def terms(pool: PoolDep, store: StoreDep) -> JSONResponse:
    """The preset prefixes, and every class and property in use written with them (IRIs outside them left out).

    Read from the store, not through the pool: the server's result cap is for answers, and this list is one fixed
    query, kept per data version."""
    version = data_version(pool)
    if version not in _kept_terms:
        def read() -> list[str]:
            found = store.query(_TERMS, use_default_graph_as_union=True)
            return sorted({t for t in (_prefixed(s["term"].value) for s in found
                                       if isinstance(s["term"], NamedNode)) if t})
        _kept_terms.clear()
        _kept_terms[version] = await run_in_threadpool(read)
    return JSONResponse({"prefixes": PREFIXES, "terms": _kept_terms[version]})


def _prefixed(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        rest = iri[len(ns):]
        if iri.startswith(ns) and rest and re.fullmatch(r"[\w-][\w.-]*", rest) and not rest.endswith("."):
            return f"{prefix}:{rest}"
    return ""


def _downloads(text: str, graph: bool, outcome: Outcome | None, by: list[tuple[str, str]] = ()) -> str:
    if outcome is None or not outcome.ok:
        return ""
    def href(fmt: str) -> str:
        return "/sparql?" + query_string([("query", text), ("format", fmt)])
    if outcome.boolean is not None:
        links = [f'<a href="{escape(href("json"))}" download="answer.json">JSON</a>']
    else:
        links = [f'<a href="{escape(href(fmt))}" download="answer.{suffix}">{name}</a>'
                 for name, fmt, suffix in (GRAPH_DOWNLOADS if graph else SELECT_DOWNLOADS)]
        if not graph:  # CSV and XLSX for a spreadsheet, made by this page (downloads.py); TSV and JSON for programs
            own = query_string([("query", text), *by])  # in the order the table is sorted by
            if by:  # JSON made here too, in that order; TSV is the endpoint's, in the query's own order
                links = [f'<a href="{escape("/ui/sparql/answer.json?" + own)}" download="answer.json">JSON</a>',
                         f'<a href="{escape(href("tsv"))}" download="answer.tsv">TSV (in the query\'s own order)</a>']
            links[:0] = [f'<a href="{escape("/ui/sparql/answer.csv?" + own)}" download="answer.csv">CSV</a>',
                         f'<a href="{escape("/ui/sparql/answer.xlsx?" + own)}" download="answer.xlsx">Excel (XLSX)</a>']
    return '<p class="downloads">Download the whole answer: ' + " · ".join(links) + "</p>"


def short_error(message: str, text: str, line: int | None, column: int | None) -> str:
    """The parser's message made short: an unknown prefix named, and the parser's list of expected characters
    (Unicode ranges) left out."""
    message = re.sub(r"^The query is not valid SPARQL: (?:error at \d+:\d+(?:-\d+:\d+)?:?\s*)?", "", message)
    if "Prefix not found" in message and line is not None:
        lines = text.splitlines()
        declared = set(_DECLARED.findall(text)) | set(PREFIXES)
        before = lines[line - 1][: (column or 1) + 1] if 1 <= line <= len(lines) else ""
        unknown = [m[1] or "" for m in _PNAME.finditer(before) if (m[1] or "") not in declared]
        if unknown:
            return (f'The prefix "{unknown[-1]}:" is not declared. Declare it with PREFIX {unknown[-1]}: '
                    f"<namespace>, or use one of {', '.join(p + ':' for p in PREFIXES)}.")
        return "A prefix is not declared. Declare it with PREFIX name: <namespace>."
    if message.startswith("expected"):
        words = [w.strip() for w in re.sub(r"\[[^\]]*\]", "", message.removeprefix("expected one of")
                                            .removeprefix("expected")).split(",")]
        words = [w for w in words if w]
        found = _found(text, line, column)
        return (f"Unexpected {found}" if found else "The query ends too early") + (
            f"; expected {' or '.join(words[:8])}{' …' if len(words) > 8 else ''}." if words else ".")
    return message if len(message) <= 300 else message[:299] + "…"


def _found(text: str, line: int | None, column: int | None) -> str:
    lines = text.splitlines()
    if line is None or column is None or not 1 <= line <= len(lines):
        return ""
    if column > len(lines[line - 1]):
        return "end of line" if line < len(lines) and any(x.strip() for x in lines[line:]) else ""
    rest = lines[line - 1][column - 1:]
    token = re.match(r"\w+|\S", rest)
    return f"“{token[0]}”" if token else ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(line for line in text.split() if line)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
