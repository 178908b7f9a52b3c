"""The question library pages: the questions grouped by topic, each with its purpose; one question with its
parameters in words and pick-lists of the values that can give an answer, its answer as a paged table with human
headings, downloads of the whole answer (CSV, XLSX, JSON), and the SPARQL behind it."""

import re
from html import escape
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from imri_kg.api.analytics import StoreDep
from imri_kg.api.dependencies import PoolDep, SettingsDep
from imri_kg.api.engine import QuestionRequest
from imri_kg.api.ui.choices import instances, read_answering, to_choices
from imri_kg.api.ui.downloads import csv_response, json_response, refused, to_csv, to_xlsx, xlsx_response
from imri_kg.api.ui.layout import notice, page_html, query_string
from imri_kg.api.ui.results import Outcome, ask, order_pairs, sort_rows, to_heading, to_table
from imri_kg.questions import TOPICS, Question, library
from imri_kg.questions.params import PLAIN_TYPES

router = APIRouter(prefix="/ui/questions")


def purpose(q: Question) -> str:
    """The question's purpose in one line: the first sentence of its description."""
    return re.split(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)\s+(?=[A-Z])", q.description.strip(), maxsplit=1)[0]


def label(p) -> str:
    """A parameter as a form names it: its `# label:` line, else words made from its name."""
    return p.label or to_heading(p.name)


@router.get("", response_class=HTMLResponse, summary="Web interface: the question library")
async def questions_page() -> HTMLResponse:
    questions = library()
    groups = [(t, [q for q in questions.values() if q.topic == t]) for t in TOPICS]
    groups.append(("other questions", [q for q in questions.values() if q.topic not in TOPICS]))
    contents = "".join(f'<li><a href="#topic-{_slug(t)}">{escape(t.capitalize())}</a> ({len(qs)})</li>'
                       for t, qs in groups if qs)
    sections = "".join(
        f'<section aria-labelledby="topic-{_slug(t)}"><h2 id="topic-{_slug(t)}">{escape(t.capitalize())}</h2>'
        '<ul class="questions">' + "".join(
            f'<li><a href="/ui/questions/{q.name}">{escape(q.title)}</a><p>{escape(purpose(q))}</p></li>'
            for q in sorted(qs, key=lambda q: q.title.lower())) + "</ul></section>"
        for t, qs in groups if qs)
    body = (f"<h1>Question library</h1><p>{len(questions)} questions reviewers ask of the graph, by topic. Pick "
            f'one to fill its parameters and see its answer.</p><nav aria-label="Topics"><ul class="topics">'
            f"{contents}</ul></nav>{sections}")
    return HTMLResponse(page_html("Question library", body, active="/ui/questions"))


def _slug(topic: str) -> str:
    return topic.replace(" ", "-")


def _values(q: Question, request: Request) -> dict[str, str]:
    """The form's values: as given, else the parameter's default, else "" (all)."""
    given = {p.name: request.query_params.get(p.name) for p in q.params}
    return {p.name: (given[p.name] if given[p.name] is not None else (p.default or "")) for p in q.params}


def _missing(name: str) -> HTMLResponse:
    body = notice(f'There is no question "{escape(name)}". <a href="/ui/questions">See the library</a>.',
                  kind="error", role="alert")
    return HTMLResponse(page_html("No such question", "<h1>No such question</h1>" + body,
                                  active="/ui/questions"), status_code=404)


@router.get("/{name}", response_class=HTMLResponse, summary="Web interface: one question")
async def question_page(name: str, request: Request, pool: PoolDep, store: StoreDep,
                        settings: SettingsDep, page: int = 1, sort: str | None = None,
                        order: str | None = None) -> HTMLResponse:
    q = library().get(name)
    if q is None:
        return _missing(name)
    values = _values(q, request)
    pairs = [(k, v) for k, v in values.items() if v != ""]
    answering = await read_answering(pool, q) if any(p.type != "integer" for p in q.params) else {}
    fields = await run_in_threadpool(lambda: [_field(store, p, values[p.name], answering.get(p.name),
                                                     base=settings.base) for p in q.params])
    outcome = await ask(pool, QuestionRequest(q.name, tuple(pairs), None, "json"))
    why = await _why_empty(pool, q, pairs) if outcome.ok and outcome.variables and not outcome.bindings else ""
    qs = query_string(pairs + order_pairs(sort, order))  # the downloads in the order the table is sorted by
    api = f"/api/queries/{q.name}?" + "".join(f"{query_string([pair])}&" for pair in pairs)
    json_href = f"/ui/questions/{q.name}/answer.json?{qs}" if sort else f"{api}format=json"  # sorted: made here
    xlsx = f"/ui/questions/{q.name}/answer.xlsx" + (f"?{qs}" if qs else "")
    csv = f"/ui/questions/{q.name}/answer.csv" + (f"?{qs}" if qs else "")
    form = (f'<form class="params" method="get" action="/ui/questions/{q.name}">{"".join(fields)}'
            '<button type="submit">Run</button></form>') if q.params else ""
    table = to_table(outcome, base=settings.base, caption=q.title, human=True, columns=q.columns, page=page,
                     sort=sort, order=order,
                     href=lambda n, by: f"/ui/questions/{q.name}?" + query_string([*pairs, *by, ("page", str(n))]))
    body = f"""<p class="crumb"><a href="/ui/questions">Question library</a> ›
<a href="/ui/questions#topic-{_slug(q.topic or "other questions")}">{escape((q.topic or "other questions").capitalize())}</a></p>
<h1>{escape(q.title)}</h1><p>{escape(q.description)}</p>{form}
<section aria-labelledby="results-h"><h2 id="results-h">Answer</h2>
<p class="downloads">Download the whole answer: <a href="{escape(csv)}" download="{q.name}.csv">CSV</a> ·
<a href="{escape(xlsx)}" download="{q.name}.xlsx">Excel (XLSX)</a> ·
<a href="{escape(json_href)}" download="{q.name}.json">JSON</a> ·
<a href="/ui/sparql?{escape(query_string([("example", q.name), *pairs]))}">Open the SPARQL in the editor</a></p>
{why}{table}</section>
<details class="sparql-source"><summary>The SPARQL behind this question</summary>
<pre><code class="sparql">{escape(q.sparql)}</code></pre></details>"""
    return HTMLResponse(page_html(q.title, body, active="/ui/questions", scripts=("sparql.js",)),
                        status_code=200 if outcome.ok else outcome.status)


async def _whole_answer(q: Question, request: Request, pool) -> tuple[list[tuple[str, str]], Outcome]:
    """The parameters given (empty ones left out) and the whole answer, for a download, in the order chosen
    (`sort`, `order`) on the page."""
    pairs = [(k, v) for k, v in _values(q, request).items() if v != ""]
    outcome = await ask(pool, QuestionRequest(q.name, tuple(pairs), None, "json"))
    if outcome.ok and request.query_params.get("sort"):
        sort_rows(outcome, request.query_params["sort"], request.query_params.get("order") == "desc")
    return pairs, outcome


@router.get("/{name}/answer.csv", summary="Web interface: one question's whole answer as CSV for a spreadsheet",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def question_csv(name: str, request: Request, pool: PoolDep) -> Response:
    q = library().get(name)
    if q is None:
        return _missing(name)
    _, outcome = await _whole_answer(q, request, pool)
    if not outcome.ok:
        return refused(outcome.message, outcome.status)
    return csv_response(to_csv(outcome), f"{q.name}.csv")


@router.get("/{name}/answer.json", summary="Web interface: one question's whole answer as SPARQL JSON results, in "
            "the order chosen on its page", response_class=Response,
            responses={200: {"content": {"application/sparql-results+json": {}}}})
async def question_json(name: str, request: Request, pool: PoolDep) -> Response:
    q = library().get(name)
    if q is None:
        return _missing(name)
    _, outcome = await _whole_answer(q, request, pool)
    if not outcome.ok:
        return refused(outcome.message, outcome.status)
    return json_response(outcome, f"{q.name}.json")


@router.get("/{name}/answer.xlsx", summary="Web interface: one question's whole answer as an Excel workbook",
            response_class=Response, responses={200: {"content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
async def question_xlsx(name: str, request: Request, pool: PoolDep) -> Response:
    q = library().get(name)
    if q is None:
        return _missing(name)
    pairs, outcome = await _whole_answer(q, request, pool)
    if not outcome.ok:
        return refused(outcome.message, outcome.status)
    titles = {c.name: c.title for c in q.columns}
    headings = [titles.get(v, to_heading(v)) for v in outcome.variables]
    by_name = {p.name: p for p in q.params}
    about = [("Question", q.title), ("Purpose", q.description), ("Asked at", f"/ui/questions/{q.name}"),
             *[(label(by_name[k]) if k in by_name else k, v) for k, v in pairs],
             ("Rows", str(len(outcome.bindings)))]
    if outcome.truncated:
        about.append(("Cut at the server's result cap", outcome.truncated.removeprefix("true; ")))
    return xlsx_response(await run_in_threadpool(to_xlsx, outcome, headings, about), f"{q.name}.xlsx")


async def _why_empty(pool, q, pairs: list[tuple[str, str]]) -> str:
    """Why an answer is empty: the parameters whose value, left out alone, gives rows (so it matched nothing)."""
    if not pairs:
        return notice("No rows: the graph holds nothing this question looks for.")
    culprits = []
    by_name = {p.name: p for p in q.params}
    for name, value in pairs[:6]:
        rest = tuple(pair for pair in pairs if pair[0] != name)
        if any(p.name == name and p.required for p in q.params):
            continue
        other = await ask(pool, QuestionRequest(q.name, rest, None, "json"))
        if other.ok and other.bindings:
            culprits.append(f"<strong>{escape(label(by_name[name]))}</strong> = “{escape(value)}” (without it: "
                            f"{len(other.bindings)} row{'s' if len(other.bindings) != 1 else ''})")
    if culprits:
        return notice("No rows. Nothing matched " + "; nothing matched ".join(culprits) + ". Pick another value "
                      "or leave it empty.")
    given = ", ".join(f"<strong>{escape(label(by_name[n]))}</strong> = “{escape(v)}”" for n, v in pairs)
    return notice(f"No rows for these values together: {given}; no one of them alone is the cause.")


def _field(store, p, value: str, answering: list[dict] | None, *, base: str) -> str:
    """One parameter's field: a number or text box, or a pick-list of the values that can give an answer."""
    ident = f"param-{p.name}"
    hint = p.description[:1].upper() + p.description[1:]
    options, note = None, ""
    if answering:
        options = to_choices(store, answering, base=base, full_iri=p.type == "iri")
    elif p.type not in PLAIN_TYPES:
        options = instances(store, p.type, base=base)
        note = " No value gives an answer in the graph as it is; every one is listed."
    label_html = (f'<label for="{ident}">{escape(label(p))}</label>'
                  f'<span class="hint" id="{ident}-hint">{escape(hint)}.{note}</span>')
    described = f'aria-describedby="{ident}-hint"'
    if options is None or p.type == "integer":
        kind = "number" if p.type == "integer" else "text"
        return (f'<div class="field">{label_html}<input id="{ident}" name="{escape(p.name)}" type="{kind}" '
                f'value="{escape(value)}" {described}></div>')
    wanted = value.strip().lower()
    picked = next((v for v, text in options if wanted in (v.lower(), text.lower(), (base + v).lower(),
                                                         v.lower().removeprefix(base.lower()))), "")
    if wanted and not picked:  # a value given that can give no answer stays, marked, so the form shows it
        options = [(value, f"{value} (gives no answer)"), *options]
        picked = value
    first = "(choose one)" if p.required else "(all)"
    empty = "" if p.default else f'<option value=""{" selected" if not picked else ""}>{first}</option>'
    opts = "".join(f'<option value="{escape(v)}"{" selected" if v == picked else ""}>{escape(text)}</option>'
                   for v, text in options)
    return (f'<div class="field">{label_html}<select id="{ident}" name="{escape(p.name)}" {described}>{empty}{opts}'
            "</select></div>")


def question_href(name: str, **values: str) -> str:
    return f"/ui/questions/{quote(name)}?" + query_string(list(values.items()))
