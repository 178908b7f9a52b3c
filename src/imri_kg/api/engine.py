"""What a worker process does with a request: run a query, an update or a question, or describe a resource.

Everything here is synchronous and touches the store; the pool (pool.py) runs it in worker processes (worker.py),
so a slow query can be stopped by stopping its process. Each request becomes an `Answer`: status, media type and
body, the body written once by pyoxigraph in the negotiated format (rowcap.py holds the row cap while it writes).
This module imports only pyoxigraph and small modules at start-up; the question library and the linked-data
pages are imported when first asked for, so that a worker is ready in a fraction of a second.
"""

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from imri_kg.api.guard import has_keyword, outbound_reason
from imri_kg.api.memo import by_text
from imri_kg.api.negotiation import GRAPH_TYPES, RESULTS_TYPES, NotAcceptable, choose, from_format
from imri_kg.api.rowcap import CappedSink, Enough, top_level_limit
from imri_kg.errors import InputError
from imri_kg.namespaces import PREFIXES

if TYPE_CHECKING:
    from imri_kg.questions import Question

RESULTS = list(RESULTS_TYPES)
STREAM_AT = 256 * 1024  # a counted result larger than this goes to the web process in pieces, not in one message
GRAPHS = list(GRAPH_TYPES)


@dataclass(frozen=True)
class Answer:
    """`write`: in a worker, a result still to be written into a file-like sink (streamed, see worker.py), the
    body then empty; `pieces`: in the web process, that body as it arrives from the worker."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    write: "Callable[[IO[bytes]], object] | None" = field(default=None, compare=False, repr=False)
    pieces: "AsyncIterator[bytes] | None" = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class QueryRequest:
    """A SPARQL query with the protocol's dataset (SPARQL 1.1 Protocol, section 2.1.4)."""

    sparql: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None  # relative IRIs resolve against it (the endpoint's URL, Protocol section 2)
    stream: bool = False  # a result that needs no row counting may go to the client as it is written
    inline: bool = True  # the web process may answer it (pool.py); False once it tried (fast.py)


@dataclass(frozen=True)
class UpdateRequest:
    sparql: str
    base_iri: str | None = None


@dataclass(frozen=True)
class Changes:
    """What an update changed, as N-Quads (blank node labels kept): applied as is by the other workers."""

    removed: bytes = b""
    added: bytes = b""


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


Request = QueryRequest | UpdateRequest | QuestionRequest | ResourceRequest | Changes


def error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


@dataclass
class Engine:
    """The store of one worker; the question library is read when the first question comes."""

    store: Store
    base: str
    max_rows: int
    questions: "dict[str, Question] | None" = None
    changes: Changes | None = field(default=None, repr=False)

    def handle(self, request: Request) -> Answer:
        try:
            if isinstance(request, QueryRequest):
                return self._query(request)
            if isinstance(request, UpdateRequest):
                return self._update(request)
            if isinstance(request, Changes):
                return self._apply(request)
            if isinstance(request, QuestionRequest):
                return self._question(request)
            return self._resource(request)
        except NotAcceptable as exc:
            return error(406, str(exc))
        except InputError as exc:
            return error(400, exc.message)

    def _query(self, request: QueryRequest) -> Answer:
        ran = self._evaluate(request)
        if isinstance(ran, Answer):
            return ran
        result, uncut = ran
        return self._answer(result, request.accept, request.format, uncut=uncut, stream=request.stream)

    def _evaluate(self, request: QueryRequest) -> "Answer | tuple[QuerySolutions | QueryTriples | QueryBoolean, bool]":
        """The query's (lazy) result and whether its own LIMIT is within the cap; or the answer refusing it."""
        reason, names_from, limit = _text_facts(request.sparql)
        if reason:
            return error(400, reason)
        _negotiate(request.accept, request.format, RESULTS + GRAPHS)  # 406 before running, not after
        options: dict = {"prefixes": PREFIXES, "base_iri": request.base_iri}
        if request.default_graphs or request.named_graphs:
            options["default_graph"] = [_iri(g, "default-graph-uri") for g in request.default_graphs]
            options["named_graphs"] = [_iri(g, "named-graph-uri") for g in request.named_graphs]
        elif not names_from:
            # Without a dataset the default graph is the union of all graphs; FROM names graphs of the store.
            options["use_default_graph_as_union"] = True
        try:
            result = self.store.query(request.sparql, **options)
        except SyntaxError as exc:
            return error(400, f"The query is not valid SPARQL: {exc}")
        except (OSError, RuntimeError, ValueError) as exc:
            return error(400, f"The query could not be evaluated: {exc}")
        return result, limit is not None and limit <= self.max_rows

    def small_answer(self, request: QueryRequest, *, rows: int, size: int) -> Answer | None:
        """What a worker answers to `request` (worker.py: `respond`, then the pool), when its result has at most
        `rows` rows (and the cap's) in fewer than `size` bytes; else None, having written at most that much.

        For the web process (pool.py): one pyoxigraph write into a sink that stops past the budget, so a small
        answer costs no hop. `size` must stay below the worker's piece size (worker.PIECE_BYTES, also the cut
        between a whole and a streamed body): then a streamed answer is one piece, as from a worker.
        """
        try:
            ran = self._evaluate(request)
            if isinstance(ran, Answer):
                return ran
            result, uncut = ran
            if isinstance(result, QueryBoolean):
                return self._answer(result, request.accept, request.format)
            if not isinstance(result, QuerySolutions):
                return None
            media = _negotiate(request.accept, request.format, RESULTS)
            fmt_out = RESULTS_TYPES[media]
            sink = _Budget(fmt_out, min(rows, self.max_rows), size)
            try:
                result.serialize(sink, format=fmt_out)
            except Enough:
                return None
            if sink.truncated:
                return None
            cap = (("X-SPARQL-MaxRows", str(self.max_rows)),)
            body = bytes(sink.out)
            if uncut and request.stream:  # a worker streams it: one piece, since it is smaller than a piece
                return Answer(200, media, body, cap, pieces=_once(body))  # body: that piece (fast.py)
            return Answer(200, media, body, cap)
        except NotAcceptable as exc:
            return error(406, str(exc))
        except InputError as exc:
            return error(400, exc.message)
        except (OSError, RuntimeError, ValueError) as exc:  # as `respond`
            return error(400, f"The query could not be evaluated: {exc}")
        except Exception as exc:  # noqa: BLE001 - as `respond`
            return error(500, f"Internal error while answering: {type(exc).__name__}: {exc}")

    def _update(self, request: UpdateRequest) -> Answer:
        """Evaluate the update once, here, and keep what it changed in `self.changes` for the other workers.

        The changes are the difference of the store's N-Quads before and after: exact whatever the update does,
        including STRUUID(), UUID(), NOW(), RAND() and BNODE(), whose values the other workers must not draw again.
        """
        reason = outbound_reason(request.sparql)
        if reason:
            return error(400, reason)
        before = _lines(self.store)
        try:
            self.store.update(request.sparql, prefixes=PREFIXES, base_iri=request.base_iri)
        except SyntaxError as exc:
            return error(400, f"The update is not valid SPARQL: {exc}")
        except (OSError, RuntimeError, ValueError) as exc:
            return error(400, f"The update failed: {exc}")
        after = _lines(self.store)
        self.changes = Changes(b"".join(sorted(before - after)), b"".join(sorted(after - before)))
        return Answer(200, "text/plain; charset=utf-8", b"Update applied.\n")

    def _apply(self, changes: Changes) -> Answer:
        apply_changes(self.store, changes)
        return Answer(200, "text/plain; charset=utf-8", b"Changes applied.\n")

    def _question(self, request: QuestionRequest) -> Answer:
        from imri_kg.questions import library, run
        from imri_kg.questions.params import to_bindings

        if self.questions is None:
            self.questions = library()
        question = self.questions.get(request.name)
        if question is None:
            return error(404, f'There is no question "{request.name}"; see /api/queries.')
        _negotiate(request.accept, request.format, RESULTS + GRAPHS)
        bindings = to_bindings(self.store, question, dict(request.values), base=self.base)
        return self._answer(run(self.store, question.sparql, bindings=bindings), request.accept, request.format)

    def _resource(self, request: ResourceRequest) -> Answer:
        from imri_kg.api.resources import describe, to_not_found_html

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
                fmt: str | None, *, uncut: bool = False, stream: bool = False) -> Answer:
        """The result written once by pyoxigraph in the negotiated format, cut at the row (or triple) cap.

        `uncut`: the query's own LIMIT is within the cap, so its solutions need no counting; with `stream` they are
        then written as the worker sends them (worker.py), not first into one bytes object. A counted result is
        held whole until its count is known (the headers say whether it was cut), then, with `stream`, sent in
        pieces from that one buffer, so the web process never holds it whole.
        """
        cap = (("X-SPARQL-MaxRows", str(self.max_rows)),)
        if isinstance(result, QueryTriples):
            media = _negotiate(accept, fmt, GRAPHS)
            capped = _Capped(result, self.max_rows)
            body = _graph_bytes(capped, media)
            return Answer(200, media, body, cap + (_truncated(self.max_rows, "triples") if capped.cut else ()))
        media = _negotiate(accept, fmt, RESULTS)
        fmt_out = RESULTS_TYPES[media]
        if isinstance(result, QueryBoolean):
            return Answer(200, media, result.serialize(format=fmt_out) or b"", cap)
        if uncut and stream:
            return Answer(200, media, b"", cap, write=lambda sink: result.serialize(sink, format=fmt_out))
        if uncut:
            return Answer(200, media, result.serialize(format=fmt_out) or b"", cap)
        sink = CappedSink(fmt_out, self.max_rows)
        try:
            result.serialize(sink, format=fmt_out)
        except Enough:
            pass
        headers = cap + (_truncated(self.max_rows, "rows") if sink.truncated else ())
        if stream and len(sink.out) > STREAM_AT:  # counted, so the headers are known: sent a piece at a time
            return Answer(200, media, b"", headers, write=sink.write_to)
        data, _ = sink.finish()
        return Answer(200, media, data, headers)


@by_text
def _text_facts(sparql: str) -> tuple[str | None, bool, int | None]:
    """What `_evaluate` reads in a query's text, worked out once per text (memo.py): why it is refused (SERVICE,
    LOAD) or None, whether it names FROM, its top-level LIMIT."""
    return outbound_reason(sparql), has_keyword(sparql, "FROM"), top_level_limit(sparql)


class _Budget(CappedSink):
    """A `CappedSink` that also stops (as cut) before its output reaches `size` bytes."""

    def __init__(self, fmt: QueryResultsFormat, rows: int, size: int) -> None:
        super().__init__(fmt, rows)
        self.size = size

    def write(self, data: bytes) -> int:
        if len(self.out) + len(data) >= self.size:
            self.truncated = True
            raise Enough
        return super().write(data)


async def _once(body: bytes) -> AsyncIterator[bytes]:
    yield body


def respond(engine: Engine, request: Request) -> Answer:
    """The engine's answer to `request`, an evaluation error or a bug answered too (a worker must not stop)."""
    try:
        return engine.handle(request)
    except (OSError, RuntimeError, ValueError) as exc:  # an evaluation error (a failed SERVICE, ...) is
        return error(400, f"The query could not be evaluated: {exc}")  # the query's, not a bug
    except Exception as exc:  # noqa: BLE001 - a bug must not take the worker down; say what happened
        return error(500, f"Internal error while answering: {type(exc).__name__}: {exc}")


class _Capped:
    """The triples of a CONSTRUCT or DESCRIBE, at most `cap` of them; `cut` says whether there were more."""

    def __init__(self, triples: Iterable[Triple], cap: int) -> None:
        self.triples, self.cap, self.cut = triples, cap, False

    def __iter__(self) -> Iterator[Triple]:
        for n, triple in enumerate(self.triples):
            if n == self.cap:
                self.cut = True
                return
            yield triple


def _lines(store: Store) -> set[bytes]:
    """The store's quads as N-Quads lines (each with its newline)."""
    return set(store.dump(format=RdfFormat.N_QUADS).splitlines(keepends=True))


def apply_changes(store: Store, changes: Changes) -> None:
    """Remove and add the quads of `changes`, keeping blank node labels (so every store holds the same nodes)."""
    for quad in parse(changes.removed, format=RdfFormat.N_QUADS):
        store.remove(quad)
    store.extend(parse(changes.added, format=RdfFormat.N_QUADS))


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


def _graph_bytes(triples: Iterable[Triple], media: str) -> bytes:
    return serialize(triples, format=GRAPH_TYPES[media], prefixes=PREFIXES) or b""
