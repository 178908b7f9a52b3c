"""What a worker process does with a request: run a query, an update or a question, or describe a resource.

Everything here is synchronous and touches the store; the pool (pool.py) runs it in worker processes, so a slow
query can be stopped by stopping its process. Each request becomes an `Answer`: status, media type and body.
"""

import json
from dataclasses import dataclass, field

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
    parse_query_results,
    serialize,
)

from imri_kg.api.guard import has_keyword, outbound_reason
from imri_kg.api.negotiation import GRAPH_TYPES, RESULTS_TYPES, NotAcceptable, choose, from_format
from imri_kg.api.resources import describe, to_not_found_html
from imri_kg.errors import InputError
from imri_kg.namespaces import PREFIXES
from imri_kg.params import to_bindings
from imri_kg.queries import Question, run

RESULTS = list(RESULTS_TYPES)
GRAPHS = list(GRAPH_TYPES)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QueryRequest:
    """A SPARQL query with the protocol's dataset (SPARQL 1.1 Protocol, section 2.1.4)."""

    sparql: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None  # relative IRIs resolve against it (the endpoint's URL, Protocol section 2)


@dataclass(frozen=True)
class UpdateRequest:
    sparql: str
    base_iri: str | None = None


@dataclass(frozen=True)
class QuestionRequest:
    name: str
    values: tuple[tuple[str, str], ...] = ()
    accept: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class ResourceRequest:
    iri: str
    accept: str | None = None
    format: str | None = None


Request = QueryRequest | UpdateRequest | QuestionRequest | ResourceRequest


def error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


@dataclass
class Engine:
    """The store of one worker, with the question library it answers from."""

    store: Store
    questions: dict[str, Question]
    base: str
    max_rows: int
    updates: list[str] = field(default_factory=list)

    def handle(self, request: Request) -> Answer:
        try:
            if isinstance(request, QueryRequest):
                return self._query(request)
            if isinstance(request, UpdateRequest):
                return self._update(request)
            if isinstance(request, QuestionRequest):
                return self._question(request)
            return self._resource(request)
        except NotAcceptable as exc:
            return error(406, str(exc))
        except InputError as exc:
            return error(400, exc.message)

    def _query(self, request: QueryRequest) -> Answer:
        reason = outbound_reason(request.sparql)
        if reason:
            return error(400, reason)
        _negotiate(request.accept, request.format, RESULTS + GRAPHS)  # 406 before running, not after
        options: dict = {"prefixes": PREFIXES, "base_iri": request.base_iri}
        if request.default_graphs or request.named_graphs:
            options["default_graph"] = [_iri(g, "default-graph-uri") for g in request.default_graphs]
            options["named_graphs"] = [_iri(g, "named-graph-uri") for g in request.named_graphs]
        elif not has_keyword(request.sparql, "FROM"):
            # Without a dataset the default graph is the union of all graphs; FROM names graphs of the store.
            options["use_default_graph_as_union"] = True
        try:
            result = self.store.query(request.sparql, **options)
        except SyntaxError as exc:
            return error(400, f"The query is not valid SPARQL: {exc}")
        except (OSError, RuntimeError, ValueError) as exc:
            return error(400, f"The query could not be evaluated: {exc}")
        return self._answer(result, request.accept, request.format)

    def _update(self, request: UpdateRequest) -> Answer:
        reason = outbound_reason(request.sparql)
        if reason:
            return error(400, reason)
        try:
            self.store.update(request.sparql, prefixes=PREFIXES, base_iri=request.base_iri)
        except SyntaxError as exc:
            return error(400, f"The update is not valid SPARQL: {exc}")
        except (OSError, RuntimeError, ValueError) as exc:
            return error(400, f"The update failed: {exc}")
        self.updates.append(request.sparql)
        return Answer(200, "text/plain; charset=utf-8", b"Update applied.\n")

    def _question(self, request: QuestionRequest) -> Answer:
        question = self.questions.get(request.name)
        if question is None:
            return error(404, f'There is no question "{request.name}"; see /api/queries.')
        _negotiate(request.accept, request.format, RESULTS + GRAPHS)
        bindings = to_bindings(self.store, question, dict(request.values), base=self.base)
        return self._answer(run(self.store, question.sparql, bindings=bindings), request.accept, request.format)

    def _resource(self, request: ResourceRequest) -> Answer:
        offered = ["text/html", *GRAPHS]
        media = _negotiate(request.accept, request.format, offered, default_first=GRAPHS[0])
        try:
            NamedNode(request.iri)
        except ValueError:
            if media == "text/html":
                return Answer(404, "text/html; charset=utf-8", to_not_found_html(request.iri, base=self.base).encode())
            return error(404, f"<{request.iri}> is not an IRI, so nothing is known about it.")
        page = describe(self.store, request.iri, base=self.base, html=media == "text/html")
        if page is None:
            if media == "text/html":  # a person followed a link: the page in the layout, with a way on
                return Answer(404, "text/html; charset=utf-8", to_not_found_html(request.iri, base=self.base).encode())
            return error(404, f"Nothing is known about <{request.iri}>.")
        if media == "text/html":
            return Answer(200, "text/html; charset=utf-8", page.html.encode())
        return Answer(200, media, _graph_bytes(page.triples, media))

    def _answer(self, result: QuerySolutions | QueryTriples | QueryBoolean, accept: str | None,
                fmt: str | None) -> Answer:
        cap = (("X-SPARQL-MaxRows", str(self.max_rows)),)
        if isinstance(result, QueryTriples):
            media = _negotiate(accept, fmt, GRAPHS)
            triples = []
            for triple in result:
                if len(triples) == self.max_rows:
                    return Answer(200, media, _graph_bytes(triples, media), cap + _truncated(self.max_rows, "triples"))
                triples.append(triple)
            return Answer(200, media, _graph_bytes(triples, media), cap)
        media = _negotiate(accept, fmt, RESULTS)
        fmt_out = RESULTS_TYPES[media]
        if isinstance(result, QueryBoolean):
            return Answer(200, media, result.serialize(format=fmt_out) or b"", cap)
        names = [v.value for v in result.variables]
        bindings, truncated = [], False
        for solution in result:
            if len(bindings) == self.max_rows:
                truncated = True
                break
            bindings.append({n: _term_json(solution[n]) for n in names if solution[n] is not None})
        data = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode()
        if fmt_out != QueryResultsFormat.JSON:
            data = parse_query_results(data, format=QueryResultsFormat.JSON).serialize(format=fmt_out) or b""
        return Answer(200, media, data, cap + (_truncated(self.max_rows, "rows") if truncated else ()))


def _negotiate(accept: str | None, fmt: str | None, offered: list[str], *, default_first: str | None = None) -> str:
    if fmt:
        return from_format(fmt, offered)
    if default_first and (not accept or accept.strip() in ("*/*", "*")):
        return default_first
    return choose(accept, offered)


def _truncated(cap: int, what: str) -> tuple[tuple[str, str], ...]:
    return (("X-IMRI-Truncated", (f"true; the result was cut at the server's cap of {cap} {what}; "
             "page through it with LIMIT and OFFSET")),
            ("Warning", f'199 imri-kg "result truncated at {cap} {what}; use LIMIT and OFFSET"'))


def _iri(value: str, name: str) -> NamedNode:
    try:
        return NamedNode(value)
    except ValueError:
        raise InputError(f'{name} "{value}" is not an IRI.') from None


def _graph_bytes(triples: list[Triple], media: str) -> bytes:
    return serialize(triples, format=GRAPH_TYPES[media], prefixes=PREFIXES) or b""


def _term_json(term: NamedNode | BlankNode | Literal | Triple) -> dict:
    """A term in the SPARQL 1.1 Query Results JSON Format (section 3.2.2)."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    out: dict = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD_STRING, LANG_STRING):
        out["datatype"] = term.datatype.value
    return out
