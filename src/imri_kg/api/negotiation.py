"""Content negotiation: which media type to answer with, from the Accept header (RFC 9110, section 12.5.1)."""

from functools import lru_cache

from pyoxigraph import QueryResultsFormat, RdfFormat

# Media types for SELECT and ASK results (SPARQL 1.1 Protocol, section 2.1), first = default.
RESULTS_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "application/json": QueryResultsFormat.JSON,
    "application/xml": QueryResultsFormat.XML,
}
# Media types for CONSTRUCT and DESCRIBE results and for linked data, first = default.
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "text/plain": RdfFormat.N_TRIPLES,
}
# Short names accepted in a `format=` parameter.
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "html": "text/html",
}
CANONICAL = {"application/json": "application/sparql-results+json",
             "application/xml": "application/sparql-results+xml", "text/plain": "application/n-triples"}


class NotAcceptable(Exception):
    """No offered media type matches the Accept header (406)."""

    def __init__(self, accept: str, offered: list[str]) -> None:
        self.accept, self.offered = accept, offered
        super().__init__(f'cannot answer in any type of Accept: "{accept}"; this resource is available as '
                         + ", ".join(o for o in offered if o not in CANONICAL) + ".")


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    ranges = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


def _matches(media_range: str, offered: str) -> int:
    """0 = no match; otherwise how specific the range is (3 exact, 2 type/*, 1 */*)."""
    if media_range == offered:
        return 3
    if media_range == "*/*" or media_range == "*":
        return 1
    if media_range.endswith("/*") and offered.split("/")[0] == media_range[:-2]:
        return 2
    return 0


def choose(accept: str | None, offered: list[str]) -> str:
    """The offered media type the client prefers; the first offered when Accept is absent or empty."""
    if not accept or not accept.strip():
        return offered[0]
    if len(accept) <= 256:  # clients send the same few headers: each worked out once (20 us of every request)
        return _chosen(accept, tuple(offered))
    return _choose(accept, offered)


@lru_cache(maxsize=512)
def _chosen(accept: str, offered: tuple[str, ...]) -> str:
    return _choose(accept, list(offered))


def _choose(accept: str, offered: list[str]) -> str:
    ranges = _ranges(accept)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for index, media in enumerate(offered):
        # The most specific matching range decides the q of this type (RFC 9110, 12.5.1).
        hits = [(_matches(r, media), q, pos) for r, q, pos in ranges if _matches(r, media)]
        if not hits:
            continue
        specificity, q, pos = max(hits)
        if q <= 0:
            continue
        key = (q, specificity, -pos, -index)
        if best is None or key > best:
            best, chosen = key, media
    if chosen is None:
        raise NotAcceptable(accept, offered)
    return CANONICAL.get(chosen, chosen)


def from_format(name: str, offered: list[str]) -> str:
    """The media type a `format=` value names, if this resource offers it."""
    media = FORMAT_NAMES.get(name.lower(), name.lower())
    if media not in offered:
        raise NotAcceptable(f"format={name}", offered)
    return CANONICAL.get(media, media)
