"""A SPARQL 1.1 engine as the store: `RemoteStore`, the part of pyoxigraph's `Store` API the project uses, over HTTP.

`--store http://host:port/path` names the engine's SPARQL *query* endpoint (SPARQL 1.1 Protocol, section 2.1).
Its update endpoint (section 2.2) is derived: a path ending in `/query` (oxigraph serve, Fuseki) is sent updates at
the same path ending in `/update`; any other path (Virtuoso's `/sparql`) takes updates itself.

What the store holds is the named graphs under `<base>graph/` on the engine; other graphs there are neither read nor
written. Queries that pyoxigraph would run over "the union of all graphs" name those graphs as the protocol's
dataset (`default-graph-uri` and `named-graph-uri`, section 2.1.4), so the engine's own default graph and its
system graphs (Virtuoso has several) never leak into answers, whatever the engine's configuration.

Substitutions (question parameters) are already-parsed RDF terms. They are written as N-Triples terms (canonical,
escaped by pyoxigraph) into a `VALUES` block at the start of the query's WHERE group, never pasted as user text.

Writes: each `extend` (an import, a build) is ONE update request, `INSERT DATA` (section 3.1.1), preceded in the
same request by the `DROP`s of the graphs it replaces. Both oxigraph serve and Virtuoso apply one request in one
transaction, so readers see all of a write or none of it.
"""

import re
import secrets
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    parse,
    parse_query_results,
)

from imri_kg.errors import InputError

if TYPE_CHECKING:  # httpx is imported when a RemoteStore is made: the modules importing this one (with_values,
    import httpx  # is_remote) include the web server's, which must start quickly (api/deferred.py)

Term = NamedNode | BlankNode | Literal
# Text that cannot hold a keyword or brace: comments, IRIs and strings (SPARQL 1.1 Query, section 19.8).
OPAQUE = re.compile(r"""
    \#[^\n\r]* | <[^<>"{}|^`\\\x00-\x20]*>
  | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*' | "(?:[^"\\\n\r]|\\.)*"
""", re.VERBOSE | re.DOTALL)
_VIRTUOSO_BNODE = re.compile(rb"<bnode>nodeID://(\w+)</bnode>")
_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_WHERE = re.compile(r"(?<![\w?$:])WHERE\s*\{", re.IGNORECASE)


def is_remote(store: object) -> bool:
    """Whether `store` (a path, a URL string or an opened store) names a SPARQL engine over HTTP."""
    if isinstance(store, RemoteStore):
        return True
    return isinstance(store, str) and store.lower().startswith(("http://", "https://"))


def update_url(query_url: str) -> str:
    """The update endpoint that goes with a query endpoint (see the module docstring)."""
    parts = urlsplit(query_url)
    if parts.path.endswith("/query"):
        return parts._replace(path=parts.path[: -len("query")] + "update").geturl()
    return query_url


def graph_store_url(query_url: str) -> str | None:
    """Virtuoso's Graph Store Protocol endpoint, next to its /sparql; None for engines written by one update."""
    parts = urlsplit(query_url)
    if parts.path.endswith("/sparql"):
        return parts._replace(path=parts.path + "-graph-crud").geturl()
    return None


def _blank(code: str) -> str:
    """The query with comments, IRIs and strings blanked (same length), so that offsets stay valid."""
    return OPAQUE.sub(lambda m: " " * len(m.group(0)), code)


def query_form(sparql: str) -> str:
    found = _FORM.search(_blank(sparql))
    if not found:
        raise InputError("is not valid SPARQL: no SELECT, ASK, CONSTRUCT or DESCRIBE.")
    return found.group(1).upper()


def with_values(sparql: str, substitutions: dict[Variable, Term]) -> str:
    """The query with a VALUES block binding `substitutions` first thing in its WHERE group.

    The terms are serialised by pyoxigraph as N-Triples, which the SPARQL grammar accepts as they are.
    """
    if not substitutions:
        return sparql
    code = _blank(sparql)
    form = _FORM.search(code)
    if form is None:
        raise InputError("is not valid SPARQL: no SELECT, ASK, CONSTRUCT or DESCRIBE.")
    where = _WHERE.search(code, form.end())
    # WHERE may be left out before the group of SELECT, ASK and DESCRIBE (not of a CONSTRUCT template).
    brace = where.end() - 1 if where else code.find("{", form.end())
    if brace < 0:
        raise InputError("is not valid SPARQL: no WHERE group to bind the parameters in.")
    names = " ".join(str(v) for v in substitutions)
    terms = " ".join(_term(t) for t in substitutions.values())
    return f"{sparql[: brace + 1]} VALUES ({names}) {{ ({terms}) }} {sparql[brace + 1:]}"


def _term(term: Term) -> str:
    if not isinstance(term, NamedNode | BlankNode | Literal):
        raise InputError(f"cannot send {type(term).__name__} as a query parameter.")
    return str(term)  # N-Triples: IRIs and literals escaped by pyoxigraph


def _prologue(prefixes: dict[str, str] | None) -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())


def _graph_block(graph: NamedNode | BlankNode | DefaultGraph, triples: list[str]) -> str:
    body = " .\n".join(triples)
    return body if isinstance(graph, DefaultGraph) else f"GRAPH {graph} {{\n{body} }}"


class RemoteStore:
    """The subset of pyoxigraph's `Store` used by imri-kg, answered by a SPARQL 1.1 engine over HTTP."""

    def __init__(self, url: str, *, scope: str, client: "httpx.Client | None" = None) -> None:
        import httpx

        self.url = url
        self.update_url = update_url(url)
        self.scope = scope  # the IRI prefix of the named graphs this store consists of
        self.graph_store = graph_store_url(url)
        self.client = client or httpx.Client(timeout=httpx.Timeout(300.0, connect=10.0))

    def __repr__(self) -> str:
        return f"<RemoteStore {self.url} graphs under {self.scope}>"

    # -- the protocol ---------------------------------------------------------------------------------------------
    def _post(self, url: str, data: list[tuple[str, str]], accept: str) -> "httpx.Response":
        import httpx

        try:
            response = self.client.post(url, content=urlencode(data), headers={
                "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        except httpx.HTTPError as exc:
            raise InputError(f"the SPARQL engine at {url} cannot be reached: {exc}") from None
        if response.status_code < 400:
            # Virtuoso names blank nodes "nodeID://b123" in its XML results, which is not a blank node label.
            return httpx.Response(response.status_code, headers=response.headers,
                                  content=_VIRTUOSO_BNODE.sub(rb"<bnode>\1</bnode>", response.content))
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:600]
            if response.status_code == 400:
                raise SyntaxError(f"the engine at {url} refused the request: {detail}")
            raise OSError(f"the engine at {url} answered {response.status_code}: {detail}")
        return response

    def _select(self, sparql: str, *, graphs: list[NamedNode] | None = None) -> QuerySolutions:
        data = [("query", sparql)] + self._dataset(graphs, graphs)
        body = self._post(self.url, data, "application/sparql-results+xml").content
        return parse_query_results(body, format=QueryResultsFormat.XML)  # type: ignore[return-value]

    @staticmethod
    def _dataset(default: list[NamedNode] | None, named: list[NamedNode] | None) -> list[tuple[str, str]]:
        """Protocol parameters for a dataset; an empty list stands for a graph no engine holds (an empty dataset)."""
        pairs: list[tuple[str, str]] = []
        for key, graphs in (("default-graph-uri", default), ("named-graph-uri", named)):
            if graphs is not None:
                values = [g.value for g in graphs] or ["urn:imri-kg:no-graph"]
                pairs += [(key, v) for v in values]
        return pairs

    # -- Store API ------------------------------------------------------------------------------------------------
    def named_graphs(self) -> Iterator[NamedNode]:
        found = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                             f"FILTER(STRSTARTS(STR(?g), {Literal(self.scope)})) }}")
        return iter(sorted((s["g"] for s in found if isinstance(s["g"], NamedNode)), key=lambda g: g.value))

    def contains_named_graph(self, graph: NamedNode) -> bool:
        # SELECT, not ASK: Virtuoso answers ASK in XML as an empty solution sequence.
        return any(True for _ in self._select(f"SELECT ?s WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} LIMIT 1"))

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              default_graph: list[NamedNode] | None = None, named_graphs: list[NamedNode] | None = None,
              substitutions: dict[Variable, Term] | None = None, base_iri: str | None = None
              ) -> QuerySolutions | QueryTriples | QueryBoolean:
        sparql = (f"BASE <{base_iri}>\n" if base_iri else "") + _prologue(prefixes) + query
        sparql = with_values(sparql, substitutions or {})
        form = query_form(query)
        if use_default_graph_as_union and default_graph is None and named_graphs is None:
            graphs = list(self.named_graphs())
            dataset = self._dataset(graphs, graphs)
        elif default_graph is not None or named_graphs is not None:
            dataset = self._dataset(default_graph if default_graph is not None else None, named_graphs)
        else:
            dataset = []
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        # ASK in JSON: Virtuoso answers ASK in XML as an empty solution sequence.
        accept = ("application/n-triples, text/plain;q=0.5" if graph_form else "application/sparql-results+json"
                  if form == "ASK" else "application/sparql-results+xml")
        response = self._post(self.url, [("query", sparql)] + dataset, accept)
        if not graph_form:
            fmt = QueryResultsFormat.JSON if form == "ASK" else QueryResultsFormat.XML
            return parse_query_results(response.content, format=fmt)
        triples = parse(response.content, format=RdfFormat.N_TRIPLES)
        # pyoxigraph builds QueryTriples only from a query: replay the triples through an in-memory store.
        local = Store()
        local.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
        return local.query("CONSTRUCT WHERE { ?s ?p ?o }")  # type: ignore[return-value]

    def update(self, update: str, *, prefixes: dict[str, str] | None = None, base_iri: str | None = None) -> None:
        sparql = (f"BASE <{base_iri}>\n" if base_iri else "") + _prologue(prefixes) + update
        self._post(self.update_url, [("update", sparql)], "text/plain, */*;q=0.1")

    def extend(self, quads: Iterable[Quad]) -> None:
        """Add the quads in one update request (one transaction on the engine)."""
        self.replace_graphs([], quads)

    def load(self, data: IO[bytes], *, format: RdfFormat, to_graph: NamedNode | None = None) -> None:
        """Add what `data` holds (into `to_graph` for a triple format), in one update request, as Store.load does."""
        graph = to_graph if to_graph is not None else DefaultGraph()
        self.extend(q if format.supports_datasets else Quad(q.subject, q.predicate, q.object, graph)
                    for q in parse(data, format=format))

    def replace_graphs(self, graphs: Iterable[NamedNode], quads: Iterable[Quad]) -> None:
        """Drop `graphs` and add `quads` so that readers see the old data or the new, never a part.

        oxigraph serve takes it all in one update request (one transaction). Virtuoso cannot compile a large update
        (nor blank nodes in INSERT DATA), so the quads are first loaded with its Graph Store Protocol into staging
        graphs outside the store's scope (readers never see those), then moved into place in one update request.
        """
        by_graph: dict[NamedNode | BlankNode | DefaultGraph, list[str]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name, []).append(f"{q.subject} {q.predicate} {q.object}")
        drops = [f"DROP SILENT GRAPH {g}" for g in graphs]
        if self.graph_store is None:
            # INSERT { } WHERE { } rather than INSERT DATA keeps the quads' blank nodes shared within the request.
            blocks = "\n".join(_graph_block(g, t) for g, t in by_graph.items())
            parts = drops + ([f"INSERT {{\n{blocks}\n}} WHERE {{}}"] if by_graph else [])
            if parts:
                self.update(" ;\n".join(parts))
            return
        token = secrets.token_hex(8)
        staged: list[tuple[NamedNode, NamedNode]] = []
        try:
            for graph, triples in by_graph.items():
                if not isinstance(graph, NamedNode):
                    raise InputError("a remote store keeps its data in named graphs; got a quad in the default graph.")
                stage = NamedNode(f"urn:imri-kg:staging:{token}:{len(staged)}")
                staged.append((stage, graph))
                self._put_graph(stage, "".join(t + " .\n" for t in triples))
            moves = [f"ADD SILENT GRAPH {stage} TO GRAPH {graph} ; DROP SILENT GRAPH {stage}"
                     for stage, graph in staged]
            if drops or moves:
                self.update(" ;\n".join(drops + moves))
        except BaseException:
            for stage, _ in staged:
                self.update(f"DROP SILENT GRAPH {stage}")
            raise

    def _put_graph(self, graph: NamedNode, ntriples: str) -> None:
        """Graph Store Protocol, section 5.5 (HTTP POST): add N-Triples to one graph."""
        import httpx

        assert self.graph_store is not None
        try:
            response = self.client.post(self.graph_store, params={"graph-uri": graph.value},
                                        content=ntriples.encode(), headers={"Content-Type": "text/turtle"})
        except httpx.HTTPError as exc:
            raise InputError(f"the SPARQL engine at {self.graph_store} cannot be reached: {exc}") from None
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:600]
            raise OSError(f"the engine at {self.graph_store} answered {response.status_code}: {detail}")

    def remove_graph(self, graph: NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def quads_for_pattern(self, subject: Term | None, predicate: NamedNode | None, obj: Term | None,
                          graph_name: NamedNode | DefaultGraph | None = None) -> Iterator[Quad]:
        if isinstance(graph_name, DefaultGraph):
            return iter([])  # imri-kg keeps everything in named graphs
        pattern = " ".join(str(t) if t is not None else f"?{n}" for n, t in
                           (("s", subject), ("p", predicate), ("o", obj)))
        graph = str(graph_name) if graph_name is not None else "?g"
        sparql = f"SELECT * WHERE {{ GRAPH {graph} {{ {pattern} }} }}"
        scoped = None if graph_name is not None else list(self.named_graphs())
        data = [("query", sparql)] + (self._dataset([], scoped) if scoped is not None else [])
        body = self._post(self.url, data, "application/sparql-results+xml").content
        found = parse_query_results(body, format=QueryResultsFormat.XML)
        fixed = {"s": subject, "p": predicate, "o": obj, "g": graph_name}

        def term(solution: object, name: str) -> object:
            return fixed[name] if fixed[name] is not None else solution[name]  # type: ignore[index]

        return iter([Quad(*(term(s, n) for n in "spog")) for s in found])  # type: ignore[misc]

    def __iter__(self) -> Iterator[Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        graphs = list(self.named_graphs())
        if not graphs:
            return 0
        data = [("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")] + self._dataset([], graphs)
        body = self._post(self.url, data, "application/sparql-results+xml").content
        return int(next(iter(parse_query_results(body, format=QueryResultsFormat.XML)))["n"].value)  # type: ignore

    def close(self) -> None:
        self.client.close()


__all__ = ["RemoteStore", "Triple", "is_remote", "update_url", "with_values"]
