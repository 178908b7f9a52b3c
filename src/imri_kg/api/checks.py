"""Checks of a request's SPARQL text and protocol parts that need no web framework (fast.py runs before FastAPI is
imported: see early.py): the size and nesting limits, a body's charset, the endpoint's own URL."""

from functools import lru_cache

from pyoxigraph import NamedNode
from starlette.datastructures import URL

from imri_kg.api.memo import by_text

TRIED = "imri_kg.inline_tried"  # in the scope: fast.py asked the pool for this answer, which a worker must give


def refusal(sparql: str, what: str) -> str | None:
    """Why limits.py refuses `sparql` (a query or an update), or None."""
    from imri_kg.errors import InputError
    from imri_kg.limits import check_sparql

    try:
        check_sparql(sparql, what=what)
    except InputError as exc:
        return exc.message
    return None


@by_text  # every query passes here: checked once per text (memo.py)
def query_refusal(sparql: str) -> str | None:
    return refusal(sparql, "query")


def charset(parameters: str) -> str | None:
    """The charset parameter of a Content-Type's parameters (after the first `;`), lower case, or None."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


@lru_cache(maxsize=64)
def endpoint_of(scheme: str, server: tuple | None, path: str, host: str | None) -> str | None:
    """The endpoint's own URL (the base IRI of a request's SPARQL text, SPARQL 1.1 Protocol section 2) for a
    scheme, server, path and Host header, as Starlette makes `request.url` of them, less the query string."""
    headers = [] if host is None else [(b"host", host.encode("latin-1"))]
    scope = {"scheme": scheme, "server": server, "path": path, "headers": headers, "query_string": b""}
    url = str(URL(scope=scope).replace(query="", fragment=""))
    try:
        return NamedNode(url).value
    except ValueError:  # a Host header that makes no IRI: relative IRIs stay an error
        return None
