"""Asking the worker pool from a page, and SPARQL JSON results (SPARQL 1.1 Query Results JSON) as an HTML table."""

import json
import math
import re
from dataclasses import dataclass, field
from html import escape

from imri_kg.api.dependencies import answer
from imri_kg.api.engine import Request
from imri_kg.api.pool import Pool
from imri_kg.api.ui.layout import iri_link, notice, table

PER_PAGE = 100  # rows a page shows; the downloads hold the whole answer
# pyoxigraph's parse errors say where: "error at 3:14: expected ..." (line:column, both from 1).
_WHERE = re.compile(r"\berror at (\d+):(\d+)(?:-\d+:\d+)?:?\s*")


@dataclass
class Outcome:
    """What a page shows for one request: a table of results, or an error located in the query when it can be."""

    status: int
    variables: list[str] = field(default_factory=list)
    bindings: list[dict] = field(default_factory=list)
    boolean: bool | None = None
    message: str = ""
    line: int | None = None
    column: int | None = None
    truncated: str = ""
    graph: str = ""  # a CONSTRUCT or DESCRIBE answer, as Turtle

    @property
    def ok(self) -> bool:
        return self.status == 200


async def ask(pool: Pool, request: Request) -> Outcome:
    """Run `request` (asked for as SPARQL JSON) through the pool, with its time limit and result cap."""
    response = await answer(pool, request)
    body = bytes(response.body).decode("utf-8", "replace")
    if response.status_code != 200:
        found = _WHERE.search(body)
        if found:
            return Outcome(response.status_code, message=body.strip(), line=int(found[1]), column=int(found[2]))
        return Outcome(response.status_code, message=body.strip())
    truncated = response.headers.get("x-imri-truncated", "")
    if response.media_type and response.media_type.startswith("text/turtle"):
        return Outcome(200, graph=body, truncated=truncated)
    if not response.media_type or "json" not in response.media_type:
        return Outcome(415, message=f"The answer is {response.media_type}, not a table; ask the endpoint for it.")
    data = json.loads(body)
    if "boolean" in data:
        return Outcome(200, boolean=bool(data["boolean"]))
    return Outcome(200, data["head"]["vars"], data["results"]["bindings"], truncated=truncated)


def sort_rows(outcome: Outcome, variable: str, descending: bool = False) -> None:
    """Order the whole answer (before paging and downloads) by `variable`'s shown value (its label when the row has
    one): as numbers when both values are numbers, else as text; rows without a value last, ties kept in order.
    An unknown variable leaves the answer as it is."""
    if variable not in outcome.variables:
        return
    def shown(b: dict) -> str | None:
        term = b.get(variable + "Label") or b.get(variable)
        return None if term is None else term["value"]
    present = [b for b in outcome.bindings if shown(b) is not None]
    missing = [b for b in outcome.bindings if shown(b) is None]
    present.sort(key=lambda b: _order_key(shown(b)), reverse=descending)
    outcome.bindings = present + missing


def _order_key(value: str) -> tuple:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isnan(number):
        return (0, number, "")
    return (1, 0.0, value.casefold(), value)


def order_pairs(sort: str | None, order: str | None) -> list[tuple[str, str]]:
    """The sort column and direction as query-string pairs (none when no sort is chosen)."""
    if not sort:
        return []
    return [("sort", sort), ("order", "desc" if order == "desc" else "asc")]


def cell(term: dict | None, *, base: str, label: dict | None = None) -> str:
    """One value: an IRI as a link (its text the row's label for it, when the query selects one), a literal as
    text in its language."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return iri_link(term["value"], base=base, text=label["value"] if label else None)
    text = escape(term["value"]).replace("\n", "<br>")
    lang = term.get("xml:lang")
    return f'<span lang="{escape(lang)}">{text}</span>' if lang else text


def to_heading(variable: str) -> str:
    """A heading from a variable name when the question gives none: "studyGroupLabel" -> "Study group"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ",
                   variable.removesuffix("Label") or variable).split()
    text = " ".join(w if w.isupper() else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def to_table(outcome: Outcome, *, base: str, caption: str = "Results", human: bool = False,
             columns: tuple = (), page: int = 1, href=None, sort: str | None = None, order: str | None = None) -> str:
    """The results as a sortable table with a count line, or the error with its line and column.

    With `human` the table is for people: a variable `xLabel` is not
    shown when `x` is (x's cell shows the label as a link to x's page), and headings are the columns' titles or
    words made from the variable names. Without, the variables are shown as they are (the SPARQL editor).
    A long answer shows PER_PAGE rows, page `page` (from 1), with links made by `href(page, pairs)` (`pairs` the
    sort chosen, see order_pairs). With `href` each heading is a link that sorts the whole answer by its column
    (`sort`, `order`: the variable and "asc"/"desc"), first ascending then descending."""
    if not outcome.ok:
        where = (f"<strong>Line {outcome.line}, column {outcome.column}:</strong> "
                 if outcome.line is not None else "")
        return notice(f'{where}<span class="message">{escape(outcome.message)}</span>', kind="error", role="alert")
    if outcome.boolean is not None:
        return notice(f"The answer is <strong>{'yes' if outcome.boolean else 'no'}</strong>.")
    if outcome.graph:
        cut = notice(escape("Cut at the server's result cap: " + outcome.truncated.removeprefix("true; ")),
                     kind="warning") if outcome.truncated else ""
        return (f'<p class="count" role="status">The answer is a graph, shown as Turtle.</p>{cut}'
                f'<pre class="graph"><code>{escape(outcome.graph)}</code></pre>')
    order = "desc" if order == "desc" else "asc"
    if href and sort:
        sort_rows(outcome, sort, order == "desc")
    count = len(outcome.bindings)
    pages = max(1, -(-count // PER_PAGE))
    page = min(max(page, 1), pages) if href else 1
    first, last = ((page - 1) * PER_PAGE, min(page * PER_PAGE, count)) if href else (0, count)
    if last - first < count:
        parts = [f'<p class="count" role="status">Rows {first + 1:,}–{last:,} of {count:,}.</p>']
    else:
        parts = [f'<p class="count" role="status">{count} row{"s" if count != 1 else ""}.</p>']
    if outcome.truncated:
        parts.append(notice(escape("Cut at the server's result cap: " + outcome.truncated.removeprefix("true; ")),
                            kind="warning"))
    shown, headings, notes = outcome.variables, outcome.variables, ""
    if human:
        by_name = {c.name: c for c in columns}
        shown = [v for v in outcome.variables if not (v.endswith("Label") and v.removesuffix("Label")
                                                      in outcome.variables)]
        headings = [by_name[v].title if v in by_name else to_heading(v) for v in shown]
        described = [(by_name[v].title, by_name[v].description) for v in shown if v in by_name
                     and by_name[v].description]
        if described:
            notes = ('<details class="columns"><summary>What the columns hold</summary><dl>'
                     + "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in described) + "</dl></details>")
    rows = [[cell(b.get(v), base=base, label=b.get(v + "Label")) for v in shown]
            for b in outcome.bindings[first:last]]
    chosen = order_pairs(sort, order) if sort in outcome.variables else []
    if href:
        links = [href(1, order_pairs(v, "desc" if (sort, order) == (v, "asc") else "asc")) for v in shown]
        sorted_by = (shown.index(sort), order != "desc") if sort in shown else None
        grid = table(headings, rows, caption=caption, cls="results", sortable=False, links=links,
                     sorted_by=sorted_by)
        pager_href = lambda n: href(n, chosen)
    else:
        grid, pager_href = table(headings, rows, caption=caption, cls="results"), None
    top, bottom = (to_pager(page, pages, pager_href), to_pager(page, pages, pager_href, landmark=False)) \
        if pages > 1 and href else ("", "")
    parts.append(top + grid + bottom)
    return "".join(parts) + notes


def to_pager(page: int, pages: int, href, *, landmark: bool = True) -> str:
    """Links to the first, previous, next and last page of an answer; `href(n)` is page n's address. The copy
    under the table is no landmark (two navigation landmarks may not share a name)."""
    def link(n: int, text: str, rel: str = "") -> str:
        if n == page or not 1 <= n <= pages:
            return f'<span class="off">{text}</span>'
        return f'<a href="{escape(href(n))}"{f" rel={rel}" if rel else ""}>{text}</a>'
    links = (f'{link(1, "First")} {link(page - 1, "Previous", "prev")} <span>Page {page} of {pages}</span> '
             f'{link(page + 1, "Next", "next")} {link(pages, "Last")}')
    if landmark:
        return f'<nav class="pager" aria-label="Pages of the answer">{links}</nav>'
    return f'<p class="pager">{links}</p>'
