"""A project's views (`views/*.rq`): SPARQL CONSTRUCT queries that restate its records in a vocabulary of the
reviewer's own, run at import over the project's own graphs (data and mappings) into its graph `view`.

Safe by default: a view that names SERVICE or LOAD (which would make the engine fetch a URL) is refused before it
runs, located by file, line and column; only CONSTRUCT queries are run; each view runs in a child process that is
stopped at the time limit, so a runaway view stops the import with a located problem and writes nothing (in a
daemonic process, the API's upload worker, which may start none, the view runs in that worker, under its own
wall-clock limit).
"""

import multiprocessing
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, QueryTriples, RdfFormat, Store, Triple, parse, serialize

from imri_kg.projects.problems import Problems
from imri_kg.resources import ONTOLOGY_FILE

VIEWS_DIR = "views"
TIME_LIMIT = 20.0  # seconds per view
MAX_BYTES = 1_000_000

# Text that cannot hold a keyword: comments, IRIs and the four string forms (SPARQL 1.1 Query, section 19.8).
_OPAQUE = re.compile(r"""
    \#[^\n\r]*
  | <[^<>"{}|^`\\\x00-\x20]*>
  | '''(?:[^'\\]|\\.|'(?!''))*'''
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'
  | "(?:[^"\\\n\r]|\\.)*"
  | \\.
""", re.VERBOSE | re.DOTALL)
_REMOTE = re.compile(r"(?<![\w?$:.@\-\\%])(SERVICE|LOAD)(?![\w:.\-])", re.IGNORECASE)
_LOCATED = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)


@dataclass(frozen=True)
class View:
    path: Path
    text: str


def read_views(folder: Path, problems: Problems) -> list[View]:
    """The folder's views/*.rq in file-name order; each must say why it exists in its first lines (comments),
    parse as a CONSTRUCT query and reach for nothing outside the store."""
    directory = folder / VIEWS_DIR
    if not directory.is_dir():
        return []
    views = []
    for path in sorted(p for p in directory.iterdir() if p.suffix == ".rq" and p.is_file()):
        if path.stat().st_size > MAX_BYTES:
            problems.input(path, f"is larger than {MAX_BYTES:,} bytes; a view is one query.")
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.input(path, f"is not UTF-8 (byte {exc.start}); save it as UTF-8.")
            continue
        if _check(path, text, problems):
            views.append(View(path, text))
    return views


def _check(path: Path, text: str, problems: Problems) -> bool:
    blanked = _OPAQUE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    remote = _REMOTE.search(blanked)
    if remote:
        line, column = _where(text, remote.start())
        problems.input(path, f"{remote.group(1).upper()} is refused in a view: a view reads only the project's own "
                       "graphs and never fetches a URL. Remove it.", row=line, column=str(column), unit="line")
        return False
    try:
        result = Store().query(text)
    except SyntaxError as exc:
        found = _LOCATED.match(str(exc))
        line, column, message = (int(found[1]), found[2], found[3]) if found else (0, "", str(exc))
        problems.input(path, f"is not a SPARQL query: {message}", row=line, column=column, unit="line")
        return False
    if not isinstance(result, QueryTriples):
        problems.input(path, "is not a CONSTRUCT query; a view states triples (CONSTRUCT { ... } WHERE { ... }).")
        return False
    first = text.lstrip("\ufeff").lstrip().splitlines()[:1]
    if not first or not first[0].startswith("#"):
        problems.add(path, "does not say why it exists: start the file with comment lines (# ...).", row=1,
                     unit="line")
        return False
    return True


def _where(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def run_views(views: list[View], quads: list[Quad], graph: NamedNode, problems: Problems, *,
              time_limit: float = TIME_LIMIT, stated_by: dict[str, Path] | None = None) -> list[Quad]:
    """The triples of every view over `quads` (the project's graphs, their union as the default graph), in `graph`;
    a view that fails or runs out of time is a located problem and the result is then empty. `stated_by`, when
    given, gets each subject IRI the views state -> the first view (in file order) that states it, for locating
    the shapes' results about view triples."""
    if not views:
        return []
    data = serialize(quads, format=RdfFormat.N_QUADS) or b""
    out: list[Quad] = []
    for view in views:
        triples = _run(view, data, time_limit, problems)
        if triples is None:
            return []
        stated = [Quad(t.subject, t.predicate, _typed(t), graph) for t in parse(triples, format=RdfFormat.N_TRIPLES)]
        if stated_by is not None:
            for q in stated:
                if isinstance(q.subject, NamedNode):
                    stated_by.setdefault(q.subject.value, view.path)
        out += stated
    return list(dict.fromkeys(out))


XSD = "http://www.w3.org/2001/XMLSchema#"
# XML Schema 1.1 Part 2, section 3.4.13 on: the types derived from xsd:integer, each with the sign its values take
DERIVED_INTEGERS = {"nonNegativeInteger": (0, None), "positiveInteger": (1, None), "nonPositiveInteger": (None, 0),
                    "negativeInteger": (None, -1)}


@cache
def integer_ranges() -> dict[str, NamedNode]:
    """The properties of the imri ontology whose rdfs:range is a type derived from xsd:integer, with that type."""
    ranges = {}
    for t in parse(path=ONTOLOGY_FILE, format=RdfFormat.TURTLE):
        if t.predicate.value.endswith("#range") and t.object.value.removeprefix(XSD) in DERIVED_INTEGERS:
            ranges[t.subject.value] = NamedNode(t.object.value)
    return ranges


def _typed(t: Triple) -> NamedNode | Literal:
    """The object, typed as the ontology's range where Oxigraph's query engine gave a derived integer type back as
    xsd:integer (it evaluates every integer as xsd:integer, even one it only copies)."""
    o = t.object
    target = integer_ranges().get(t.predicate.value)
    if target is None or not isinstance(o, Literal) or o.datatype.value != XSD + "integer":
        return o
    low, high = DERIVED_INTEGERS[target.value.removeprefix(XSD)]
    n = int(o.value)
    if (low is not None and n < low) or (high is not None and n > high):
        return o  # outside the range: left as it is, for the shapes to report
    return Literal(o.value, datatype=target)


def _run(view: View, data: bytes, time_limit: float, problems: Problems) -> bytes | None:
    if multiprocessing.current_process().daemon:
        # a daemonic process (the API's upload worker) may not start one; it runs under its own wall-clock limit,
        # past which it is killed, so the view runs here
        result = _answer(view.text, data)
    else:
        result = _in_child(view, data, time_limit)
    if result is None:
        problems.add(view.path, f"ran longer than the time limit of {time_limit:g} s and was stopped; make it "
                     "simpler or narrower.")
        return None
    kind, value = result
    if kind == "error":
        problems.add(view.path, f"failed when run: {value}")
        return None
    return value


def _in_child(view: View, data: bytes, time_limit: float) -> tuple[str, bytes | str] | None:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_evaluate, args=(view.text, data, send), daemon=True)
    child.start()
    send.close()
    result = None
    if receive.poll(time_limit):
        try:
            result = receive.recv()
        except EOFError:
            result = ("error", "the view stopped without an answer.")
    child.join(1)
    if child.is_alive():
        child.kill()
        child.join()
    return result


def _evaluate(text: str, data: bytes, send) -> None:
    try:
        send.send(_answer(text, data))
    finally:
        send.close()


def _answer(text: str, data: bytes) -> tuple[str, bytes | str]:
    try:
        store = Store()
        if data:
            store.bulk_extend(parse(data, format=RdfFormat.N_QUADS))
        triples = store.query(text, use_default_graph_as_union=True)
        return "ok", serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    except Exception as exc:  # noqa: BLE001 - any evaluation error is the view's problem, reported located
        return "error", str(exc)
