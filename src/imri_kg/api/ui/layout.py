"""The shared page shell of the web interface (and of the linked-data pages): head, navigation, footer, tables.

Plain string templates: every value put into a page goes through `escape` here or at its caller. Pages load only
the package's own CSS and JS from /ui/static, nothing from another host.
"""

from html import escape
from urllib.parse import quote

from imri_kg.namespaces import PREFIXES

STATIC = "/ui/static"
NAV = [("/ui/", "Home"), ("/ui/questions", "Question library"), ("/ui/sparql", "SPARQL editor"),
       ("/ui/matrix", "Theme × group matrix"), ("/ui/frameworks", "Frameworks & crosswalks"),
       ("/ui/validate", "Validate a sheet"), ("/ui/findings", "Review findings")]


def page_html(title: str, body: str, *, active: str = "", scripts: tuple[str, ...] = (),
              styles: tuple[str, ...] = ()) -> str:
    """A whole HTML page: `body` is trusted markup; `active` is the nav link of the current section."""
    links = "".join(
        f'<li><a href="{href}"{" aria-current=page" if href == active else ""}>{escape(text)}</a></li>'
        for href, text in NAV)
    js = "".join(f'<script src="{STATIC}/{name}" defer></script>' for name in ("ui.js", *scripts))
    css = "".join(f'<link rel="stylesheet" href="{STATIC}/{name}">' for name in styles)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · imri-kg</title>"
        f'{css}<link rel="stylesheet" href="{STATIC}/ui.css">{js}</head><body>'
        '<a class="skip" href="#main">Skip to content</a>'
        '<header class="site"><a class="brand" href="/ui/">imri-kg</a>'
        f'<nav aria-label="Main"><ul>{links}</ul></nav>'
        '<form class="site-search" role="search" action="/ui/search"><label class="visually-hidden" '
        'for="site-search-q">Search the graph</label><input type="search" id="site-search-q" name="q" '
        'placeholder="Search…"><button type="submit">Search</button></form></header>'
        f'<main id="main" tabindex="-1">\n{body}\n</main>'
        '<footer class="site"><p>Evidence on implementing mental-health recovery into services, as a knowledge '
        'graph. Machine access: <a href="/sparql">SPARQL endpoint</a> · <a href="/api/queries">question library '
        '(JSON)</a> · <a href="/docs">API documentation</a>.</p></footer></body></html>\n')


def table(headers: list[str], rows: list[list[str]], *, caption: str = "", sortable: bool = True,
          cls: str = "", label: str = "", links: list[str] | None = None,
          sorted_by: tuple[int, bool] | None = None) -> str:
    """A table in a scrolling wrapper; cells are trusted markup, headers are text. Sortable by its headers in the
    browser; or, with `links` (one address per header), each header links to the answer sorted by it on the
    server, and `sorted_by` (column index, ascending) marks the column it is sorted by."""
    attrs = f' class="{cls}"' if cls else ""
    data = ' data-sortable=""' if sortable and not links else ""

    def th(i: int, h: str) -> str:
        if not links:
            return f'<th scope="col">{escape(h)}</th>'
        state = ""
        if sorted_by and sorted_by[0] == i:
            state = f' aria-sort="{"ascending" if sorted_by[1] else "descending"}"'
        return (f'<th scope="col"{state}><a class="sort" href="{escape(links[i])}" '
                f'aria-label="Sort by {escape(h)}">{escape(h)}</a></th>')
    head = "".join(th(i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (f'<div class="scroll" role="region" aria-label="{escape(caption or label or "table")}" tabindex="0">'
            f"<table{attrs}{data}>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def local_href(iri: str, *, base: str) -> str:
    """Where an IRI is shown: its linked-data page on this server when it is under the base, else itself."""
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def is_web_iri(iri: str) -> bool:
    """Whether `iri` may become a link: http or https only (a `javascript:` or `data:` IRI would run or show
    content at a click)."""
    return iri.lower().startswith(("http://", "https://"))


def iri_link(iri: str, *, base: str, text: str | None = None) -> str:
    """A link to `iri` (its page here when under the base); an IRI of another scheme is shown as text, unlinked."""
    shown = text or (iri.removeprefix(base))
    if not is_web_iri(iri):
        return f'<span class="iri" title="{escape(iri)}">{escape(shown)}</span>'
    href = local_href(iri, base=base)
    return f'<a href="{escape(href)}" title="{escape(iri)}">{escape(shown)}</a>'


def query_string(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def notice(text: str, *, kind: str = "info", role: str = "status") -> str:
    """A message box; `text` is trusted markup. Errors use role=alert so screen readers announce them."""
    return f'<div class="notice {kind}" role="{role}">{text}</div>'


def _prefixed(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
