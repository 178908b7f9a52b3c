"""The SHACL engines behind one report type: shacl-rust (the product's) and pySHACL (the reference, for tests).

Both validate one whole data graph; nothing is split or batched, so the results cannot depend on the size of the
data. Every source (the store, new quads, or a file a reader wrote) becomes an N-Quads or N-Triples file written by
Oxigraph or the reader, never Python objects per triple; shacl-rust (a Rust SHACL Core + SHACL-SPARQL engine) reads
them as one stream, so the blank-node labels of its results are those of the data and of the shapes graph.
"""

import io
import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Self

import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize
from rdflib.namespace import SH

from imri_kg.errors import InputError
from imri_kg.scratch import Folder
from imri_kg.validation import gaps, sparql
from imri_kg.validation.rdflib_graph import to_rdflib
from imri_kg.validation.results import Result, sort_key
from imri_kg.validation.shapes import Index, Shapes, bare, path_text, shape_name, unescape

ENGINES = ("rust", "pyshacl")
SH_NS = str(SH)


Source = Iterable[Quad] | Store | Path  # a Path is an N-Triples (.nt) or N-Quads file
Sources = Sequence[Source]


def quads_of(source: Source) -> Iterable:
    """The quads of a store, a list or a file (parsed: for the reference engine and small checks)."""
    if isinstance(source, Store):
        return source.quads_for_pattern(None, None, None, None)
    if isinstance(source, Path):
        return parse(path=str(source), format=_format(source))
    return source


def to_files(sources: Sources, folder: Path) -> list[Path]:
    """Each source as an N-Quads or N-Triples file (a store is dumped and a list serialised by Oxigraph; a file is
    kept)."""
    files = []
    for i, source in enumerate(sources):
        if isinstance(source, Path):
            files.append(source)
            continue
        path = folder / f"part-{i}.nq"
        if isinstance(source, Store):
            source.dump(output=str(path), format=RdfFormat.N_QUADS)
        else:
            serialize((q if isinstance(q, Quad) else Quad(q.subject, q.predicate, q.object) for q in source),
                      output=str(path), format=RdfFormat.N_QUADS)
        files.append(path)
    return files


class Joined(io.RawIOBase):
    """Several files read as one stream (the engine's data graph is their union; nothing is copied)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths, self.current = list(paths), None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self.current is None:
                if not self.paths:
                    return 0
                self.current = open(self.paths.pop(0), "rb")  # noqa: SIM115 - closed when read to its end
            n = self.current.readinto(buffer)
            if n:
                return n
            self.current.close()
            self.current = None

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
        super().close()


# A SPARQL constraint whose query reads any predicate needs the whole data graph in Oxigraph; with this many focus
# nodes or fewer, shacl-rust runs it once per focus node instead, which is faster than loading everything twice.
PER_NODE = 2_000


def run_rust(sources: Sources, shapes: Shapes) -> list[Result]:
    """shacl-rust over the union of the sources' triples (graph names are dropped: the data graph is their union).

    The SPARQL constraints of node shapes are run by Oxigraph over the same triples (validation/sparql.py), but
    for a constraint that reads any predicate and has few focus nodes, which shacl-rust runs.
    """

    if shapes._split is None:
        shapes._split = sparql.split(shapes)
    constraints, core = shapes._split
    with Folder("imri-shacl-") as folder:
        files = to_files(sources, Path(folder))
        wrong = gaps.wrong_roots(core, gaps.in_files(files))  # checked by pySHACL (validation/gaps.py)
        store, live = _focus(files, constraints, shapes.index)
        given = [c for c in _given(live, shapes.index) if c.shape not in wrong]
        if wrong:
            core = gaps.without_targets(core, wrong)
        if given:  # back into the engine's shapes graph: the shape's sh:sparql link (the rest was never removed)
            core = Shapes.of([*core.triples, *(Triple(c.shape, NamedNode(SH_NS + "sparql"), c.node) for c in given)])
            live = [(c, focus) for c, focus in live if c not in given]
        shapes_file = Path(folder) / "shapes.nt"
        shapes_file.write_text(core.ntriples, encoding="utf-8")
        # shacl-rust holds the GIL while it runs: it runs in a worker process, the SPARQL rules here meanwhile.
        workers = Workers()
        with ThreadPoolExecutor(max_workers=1) as pool:
            core_run = pool.submit(check_files, files, shapes_file, workers)
            try:
                results = _rules(store, files, live, shapes.index) if live else []
                if wrong:
                    results += _pyshacl_over(files, gaps.only(shapes._split[1], wrong))
            except BaseException:
                workers.stop()
                raise
            try:
                found = core_run.result()
            except ValueError as exc:  # a shapes graph the engine cannot use (SHACL 3.4 ill-formed shapes)
                raise InputError(f"the shapes cannot be used: {exc}") from None
    handed = {c.shape.value for c in given}
    results += [_valued(res) if res.source_shape in handed else res
                for res in (_from_rust(r, shapes.index) for r in found)]
    return sorted(results, key=sort_key)


def _pyshacl_over(files: Sequence[Path], shapes: Shapes) -> list[Result]:
    """pySHACL's results over the union of the files."""
    return run_pyshacl(to_rdflib(q for path in files for q in quads_of(path)), shapes)


def _given(live: list, index: Index) -> list:
    """The SPARQL constraints that shacl-rust runs (see PER_NODE) with the results Oxigraph would give: those whose
    message shacl-rust fills as validation/sparql.py does (one sh:message of the constraint's own, or none on the
    constraint nor on its shape, and no ?message), each shape's all with a message or all without, and that bind
    no ?value (shacl-rust leaves out a value it cannot write back, such as "2.50"^^xsd:decimal)."""
    given = [c for c, focus in live if c.predicates is None and len(focus) <= PER_NODE
             and not re.search(r"[?$](message|value)\b", c.query)
             and (len(c.messages) == 1 and c.messages == index.out.get((c.node, SH_NS + "message"), [])
                  or not c.messages and not index.out.get((c.shape, SH_NS + "message")))]
    said = {c.shape for c in given if c.messages}
    return [c for c in given if c.messages or c.shape not in said]


WORKER = Path(__file__).with_name("rust_worker.py")


class Workers:
    """The worker processes of one check, so that an error on this side (a rule that fails, Ctrl-C) stops them
    at once instead of waiting for them: once stopped, none is started and the running ones are killed."""

    def __init__(self) -> None:
        self.lock, self.running, self.stopped = threading.Lock(), [], False

    def start(self, args: list[str]) -> subprocess.Popen:
        with self.lock:
            if self.stopped:
                raise ChildProcessError("the SHACL check was stopped")
            worker = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.running.append(worker)
            return worker

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for worker in self.running:
                worker.kill()


def check_files(files: Sequence[Path], shapes_file: Path, workers: Workers | None = None) -> list[dict]:
    """shacl-rust's results over the union of the files' triples, from a worker process (rust_worker.py): the
    engine holds the GIL while it runs, so in a thread it would stop this process's own work meanwhile."""
    worker = (workers or Workers()).start([sys.executable, str(WORKER), str(shapes_file), *map(str, files)])
    with worker:
        out, err = worker.communicate()
    if worker.returncode == 3:
        raise ValueError(err.decode(errors="replace").strip().removeprefix("error: "))
    if worker.returncode < 0:  # killed (by a user, or by the kernel when memory ran out): one line, not a traceback
        raise ChildProcessError(f"the SHACL check stopped: its worker process was killed by "
                                f"{signal.Signals(-worker.returncode).name}; nothing was written. Run it again.")
    if worker.returncode != 0:
        raise ChildProcessError(f"the SHACL check failed in its worker process: "
                                f"{err.decode(errors='replace').strip()[-500:]}")
    return json.loads(out)


def _valued(r: Result) -> Result:
    """A SPARQL constraint's result with the focus node as its value when the query binds no ?value (SHACL 5.3.2),
    as validation/sparql.py and pySHACL give it (shacl-rust leaves sh:value out)."""
    if r.constraint != "SPARQLConstraintComponent":
        return r
    if r.value_nt is not None:
        return r
    return replace(r, value=r.focus, value_nt=r.focus_nt, value_is_literal=r.focus_nt.startswith('"'))


def run_constraints(sources: Sources, constraints: list, index: Index) -> list[Result]:
    """The SPARQL constraints over an Oxigraph store of the triples they can read: first those that decide the
    focus nodes, then, for the constraints that have focus nodes, the predicates their queries use."""
    with Folder("imri-rules-") as folder:
        files = to_files(sources, Path(folder))
        store, live = _focus(files, constraints, index)
        return _rules(store, files, live, index) if live else []


def run_constraints_in(store: Store, files: Sequence[Path], constraints: list, index: Index) -> list[Result]:
    """The SPARQL constraints over the files' triples, loaded into `store` (empty; in memory or on disk) as
    `run_constraints` loads them."""
    store, live = _focus(files, constraints, index, store)
    return _rules(store, files, live, index) if live else []


def _focus(files: Sequence[Path], constraints: list, index: Index,
           store: Store | None = None) -> tuple[Store, list]:
    """An Oxigraph store of the triples that decide the constraints' focus nodes, and each live constraint with
    its focus nodes."""
    store = Store() if store is None else store
    if not constraints:
        return store, []
    _load(store, files, _targets(constraints, index))
    return store, [(c, focus) for c in constraints if (focus := sparql.focus_nodes(store, index, c.shape))]


def _targets(constraints: list, index: Index) -> set[str]:
    RDF, RDFS = sparql.RDF, sparql.RDFS
    return {RDF + "type", RDFS + "subClassOf"} | {p.value for c in constraints for kind in ("targetSubjectsOf",
                                                 "targetObjectsOf") for p in index.out.get((c.shape, SH_NS + kind), [])}


def _rules(store: Store, files: Sequence[Path], live: list, index: Index) -> list[Result]:
    """The live constraints' results, once the store also holds the predicates their queries read."""
    loaded = _targets([c for c, _ in live], index)  # at least these are in the store (loading twice is harmless)
    if any(c.predicates is None for c, _ in live):
        _load(store, files, None)
    elif more := {p for c, _ in live for p in c.predicates} - loaded:
        _load(store, files, more)
    return sparql.run(store, live, index)


def _load(store: Store, files: Sequence[Path], predicates: set[str] | None) -> None:
    """Add the triples of the files whose predicate is one of `predicates` (None: every triple) to the
    store's default graph, each once. Lines are N-Quads as Oxigraph writes them: one space between terms, so the
    predicate is the second field (a subject or predicate never holds a space)."""
    wanted = {f"<{p}>".encode() for p in predicates} if predicates is not None else None
    for path in files:
        if wanted is None:  # every triple: the loader reads the file itself (those loaded before, again: harmless)
            _bulk_load(store, path, _format(path), _has_blank(path))
            continue
        blank = False
        with tempfile.NamedTemporaryFile(suffix=path.suffix) as chosen, open(path, "rb") as f:
            while lines := f.readlines(1 << 22):  # 4 MB at a time: a million rows are never held at once
                block = b"".join(line for line in lines if line.split(b" ", 2)[1] in wanted)
                blank = blank or b"_:" in block
                chosen.write(block)
            chosen.flush()
            if chosen.tell():
                _bulk_load(store, Path(chosen.name), _format(path), blank)
    # The data graph is the union of the graphs (SHACL 3.1), each triple once: copy the named graphs' triples
    # into the default graph that the rules' queries read (N-Triples went there directly).
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.update("DROP NAMED")


class Parts:
    """The triples of `files` whose predicate is one of `predicates`, split by predicate into temporary files in one
    pass (as `_load` reads them), to be added to a store some predicates at a time (`load`): the SPARQL rules of a
    sliced check take first what decides their focus nodes, then only what the rules that have some read
    (validation/slices.py, `_rules`; at a million rows 2M rdfs:label triples that no live rule reads)."""

    def __init__(self, files: Sequence[Path], predicates: Iterable[str]) -> None:
        self.folder = Folder("imri-parts-")
        names = {f"<{p}>".encode(): p for p in predicates}
        self.parts: dict[str, list[tuple[Path, RdfFormat, bool]]] = {}
        self.loaded: set[str] = set()
        for i, path in enumerate(files):
            outs: dict[str, tuple[Path, object]] = {}
            blank: dict[str, bool] = {}
            try:
                with open(path, "rb") as f:
                    while lines := f.readlines(1 << 22):  # 4 MB at a time
                        groups: dict[str, list[bytes]] = {}
                        get = names.get
                        for line in lines:
                            name = get(line.split(b" ", 2)[1])
                            if name is not None:
                                groups.setdefault(name, []).append(line)
                        for name, chosen in groups.items():
                            if name not in outs:
                                part = Path(self.folder.name) / f"{i}-{len(outs)}{path.suffix}"
                                outs[name] = (part, part.open("wb"))
                            block = b"".join(chosen)
                            blank[name] = blank.get(name, False) or b"_:" in block
                            outs[name][1].write(block)
            finally:
                for _, out in outs.values():
                    out.close()
            for name, (part, _) in outs.items():
                self.parts.setdefault(name, []).append((part, _format(path), blank[name]))

    def load(self, store: Store, predicates: Iterable[str]) -> None:
        """Add the triples of `predicates` not added before to the store's default graph, each once (as `_load`)."""
        for name in sorted(set(predicates) - self.loaded):
            self.loaded.add(name)
            for part, fmt, blank in self.parts.get(name, []):
                _bulk_load(store, part, fmt, blank)
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        store.update("DROP NAMED")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.folder.cleanup()


def _bulk_load(store: Store, path: Path, fmt: RdfFormat, blank: bool) -> None:
    """Oxigraph's loader gives blank nodes new labels on every load, so that a node loaded twice (its type, then the
    predicates a rule reads) would be two nodes, and none would be the one shacl-rust reports: a file that may hold
    a blank node (`blank`) is parsed (labels kept) and added instead."""
    if blank:
        store.bulk_extend(parse(path=str(path), format=fmt))
    else:
        store.bulk_load(path=str(path), format=fmt)


def _has_blank(path: Path) -> bool:
    """Whether the N-Triples or N-Quads file may hold a blank node (b"_:" anywhere, also inside a literal; whole
    lines are read, so the two bytes are never cut apart)."""
    with open(path, "rb") as f:
        return any(b"_:" in b"".join(lines) for lines in iter(lambda: f.readlines(1 << 22), []))


def _format(path: Path) -> RdfFormat:
    return RdfFormat.N_TRIPLES if path.suffix == ".nt" else RdfFormat.N_QUADS


def _from_rust(r: dict, shapes: Index) -> Result:
    focus_nt = r["focusNode"]
    value_nt = r.get("value")
    source = r.get("sourceShape", "")
    shape_node = _to_term(source) if source else None
    path_iri, text = _path(r.get("resultPath"), shape_node, shapes)
    severity = r.get("severity", f"<{SH_NS}Violation>")[1:-1]
    messages = r.get("messages") or []
    return Result(
        focus=bare(focus_nt), path=path_iri, value=bare(value_nt) if value_nt else None,
        value_is_literal=bool(value_nt and value_nt.startswith('"')),
        shape=shape_name(shapes, shape_node), severity=severity.removeprefix(SH_NS),
        message=_rule_message(shapes, shape_node, r)
        if r.get("sourceConstraintComponent", "").endswith("SPARQLConstraintComponent>")
        else _message(shapes, shape_node, r.get("sourceConstraintComponent", ""), messages),
        constraint=r.get("sourceConstraintComponent", "")[1:-1].removeprefix(SH_NS),
        focus_nt=focus_nt, value_nt=value_nt, source_shape=bare(source) if source else "", path_text=text)


def _message(shapes: Index, shape: object, component: str, messages: list[str]) -> str:
    """The shape's sh:message (SHACL 2.1.5), English first; else the engine's own message (SPARQL constraints:
    `_rule_message`)."""
    declared = shapes.out.get((shape, SH_NS + "message"), []) if shape is not None else []
    if declared and not component.endswith("SPARQLConstraintComponent>"):
        best = min(declared, key=lambda m: (getattr(m, "language", None) not in (None, "en"), m.value))
        return best.value
    return _readable(messages[0]) if messages else ""


# What shacl-rust says for a SPARQL constraint that has no sh:message of its own.
RUST_OWN = "SPARQL SELECT constraint violation"


def _rule_message(shapes: Index, shape: object, r: dict) -> str:
    """A SPARQL constraint's message as validation/sparql.py and pySHACL give it, whichever shape holds it: the
    constraint's own sh:message (shacl-rust fills its template), else its shape's (SHACL 2.1.5; filled here
    with the result's value, focus node and path), else none. shacl-rust's own text marks a constraint without
    a message of its own; when every constraint of the shape lacks one and none projects ?message, any text is."""
    messages = r.get("messages") or []
    text = _readable(messages[0]) if messages else ""
    rules = [n for n in shapes.out.get((shape, SH_NS + "sparql"), []) if not sparql._true(
        shapes.value(n, SH_NS + "deactivated"))] if shape is not None else []
    own = [bool(shapes.out.get((n, SH_NS + "message"))) for n in rules]
    if all(own) and own:
        return text
    said = any(re.search(r"[?$]message\b", str(getattr(shapes.value(n, SH_NS + "select"), "value", "")))
               for n in rules)
    if text != RUST_OWN and (any(own) or said):
        return text
    path = r.get("resultPath") or ""
    row = {"this": _term(r["focusNode"]), "value": _term(r.get("value") or r["focusNode"])}
    if path.startswith("<") and " " not in path:
        row["path"] = _term(path)
    return sparql._template(list(shapes.out.get((shape, SH_NS + "message"), [])), row)


def _term(nt: str) -> object:
    """An N-Triples term as an Oxigraph term."""
    return next(iter(parse(f"<urn:s> <urn:p> {nt} .".encode(), format=RdfFormat.N_TRIPLES))).object


def _path(engine_path: str | None, shape: object, shapes: Index) -> tuple[str | None, str | None]:
    """(IRI, SPARQL text) of the result path. A complex path is read from the shape's sh:path (SHACL 2.3.1)."""
    if engine_path is None:
        return None, None
    if engine_path.startswith("<") and engine_path.endswith(">") and " " not in engine_path:
        return engine_path[1:-1], engine_path
    declared = shapes.value(shape, SH_NS + "path") if shape is not None else None
    if declared is not None:
        return None, path_text(shapes, declared)
    return None, engine_path


# A literal as shacl-rust writes it into a message: "text"@en or "text"^^<datatype>.
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)')


def _readable(message: str) -> str:
    """The message with literals substituted as their text, as pySHACL substitutes {?var} (SHACL 5.3.2)."""
    return _LITERAL.sub(lambda m: unescape(m.group(1)), message)


def _to_term(term: str) -> BlankNode | NamedNode:
    if term.startswith("_:"):
        return BlankNode(term[2:])
    return NamedNode(term[1:-1])


def run_pyshacl(data: rdflib.Graph, shapes: Shapes) -> list[Result]:
    """pySHACL over one whole rdflib graph: the reference the tests and the bench compare with."""
    import pyshacl
    from pyshacl.errors import ShapeRecursionWarning

    with warnings.catch_warnings():  # pySHACL stops at a recursive shape; its warning names internal paths
        warnings.simplefilter("ignore", ShapeRecursionWarning)
        _, graph, _ = pyshacl.validate(data, shacl_graph=shapes.graph, advanced=True, allow_warnings=True)
    return to_results(graph, shapes=shapes.graph)


def to_results(graph: rdflib.Graph, *, shapes: rdflib.Graph) -> list[Result]:
    """The top-level results of a sh:ValidationReport graph (nested sh:detail results are not counted)."""
    index, own = Index(shapes), Index(graph)
    results = []
    for report in graph.subjects(rdflib.RDF.type, SH.ValidationReport):
        for r in graph.objects(report, SH.result):
            focus = graph.value(r, SH.focusNode)
            value = graph.value(r, SH.value)
            path = graph.value(r, SH.resultPath)
            severity = str(graph.value(r, SH.resultSeverity) or SH.Violation)
            source = graph.value(r, SH.sourceShape)
            results.append(Result(
                focus=_term_text(focus), path=str(path) if isinstance(path, rdflib.URIRef) else None,
                value=_term_text(value) if value is not None else None,
                value_is_literal=isinstance(value, rdflib.Literal),
                shape=shape_name(index, source), severity=severity.removeprefix(SH_NS),
                message=str(graph.value(r, SH.resultMessage) or ""),
                constraint=str(graph.value(r, SH.sourceConstraintComponent)).removeprefix(SH_NS),
                focus_nt=focus.n3() if focus is not None else "", value_nt=value.n3() if value is not None else None,
                source_shape=_term_text(source) if source is not None else "",
                path_text=path_text(own if isinstance(path, rdflib.BNode) else index, path)
                if path is not None else None))
    return sorted(results, key=sort_key)


def _term_text(term: rdflib.term.Node | None) -> str:
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term) if term is not None else ""
