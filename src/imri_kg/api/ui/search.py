"""The search page: `/ui/search?q=`, results grouped by kind, each with its label and the matched text."""

from html import escape
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from imri_kg.api.analytics import StoreDep
from imri_kg.api.search import find, to_groups
from imri_kg.api.ui.layout import iri_link, notice, page_html
from imri_kg.questions.search import CLOSE, OPEN

router = APIRouter()
MAX_QUERY = 500  # characters of search words, as /api/search takes


def _marked(snippet: str) -> str:
    return escape(snippet).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


@router.get("/ui/search", response_class=HTMLResponse, summary="Web interface: search")
async def search_page(request: Request, store: StoreDep, q: str = "",
                      limit: Annotated[int, Query(ge=1, le=500)] = 100) -> HTMLResponse:
    if len(q) > MAX_QUERY:  # a page with the search box and a word of why, not a JSON error echoing it all
        words = f"The search words are {len(q):,} characters long; at most {MAX_QUERY} are taken. Search for fewer words."
        body = _form("") + notice(escape(words), kind="error", role="alert")
        return HTMLResponse(page_html("Search", body, active="/ui/search"), status_code=422)
    hits = await find(request, store, q, limit) if q.strip() else []
    base = request.app.state.settings.base
    parts = [_form(q)]
    if q.strip() and not hits:
        parts.append(notice(f"Nothing matches <strong>{escape(q)}</strong>. Try fewer or shorter words, or join "
                            "words by OR."))
    elif hits:
        more = f" (the first {limit})" if len(hits) == limit else ""
        parts.append(f'<p role="status">{len(hits)} results{more} for <strong>{escape(q)}</strong>, best first.</p>')
        for kind, group in to_groups(hits):
            parts.append(f'<h2>{escape(kind[:1].upper() + kind[1:])} ({len(group)})</h2><ol class="hits">')
            parts += [f'<li>{iri_link(h.iri, base=base, text=h.label)}'
                      + (f'<p class="snippet">{_marked(h.snippet)}</p>' if OPEN in h.snippet else "") + "</li>"
                      for h in group]
            parts.append("</ol>")
    title = f"Search: {q}" if q.strip() else "Search"
    return HTMLResponse(page_html(title, "\n".join(parts), active="/ui/search"))


def _form(q: str) -> str:
    return (f'<h1>Search</h1><form class="search-page" role="search" action="/ui/search">'
            f'<label for="search-page-q">Words to find (every word must occur; word starts match)</label> '
            f'<input type="search" id="search-page-q" name="q" value="{escape(q)}"> '
            f'<button type="submit">Search</button></form>'
            '<p class="hint" id="search-help">Every word must occur, unless two words are joined by <code>OR</code> '
            '(in capitals): then either will do. <code>peer OR worker</code> finds records with either word; '
            '<code>staff peer OR worker</code> finds those with <em>staff</em> and with <em>peer</em> or '
            '<em>worker</em>. Accents and case do not matter.</p>')
