"""Validating new records against a store in slices: the results of one run over the store and the records.

A sheet's records are cut into disjoint slices of rows (the reader writes one N-Triples file per slice, and one
file of what every row shares: the import activity, the coders). shacl-rust checks the SHACL Core shapes on each
slice together with the shared file and the part of the store the records reach (`reached`: every triple reachable
from the store nodes they name by following, forwards, the predicates the shapes read), two slices at a time in
worker processes (engines.check_files). The SPARQL rules run in this process meanwhile, over the records and what
of the store they read (`_rules`). Nothing costs in proportion to the store, but what the records reach and the
triples a rule that reads backwards (a total and its cells) can read.

Why the results are those of one whole run: with no inverse path, no SPARQL left to shacl-rust, no SPARQL target
and no sh:targetNode (`sliceable`), what SHACL Core says about a focus node depends only on the triples reachable from
it along the predicates that the shapes' paths, sh:equals and its kin, and class checks (rdf:type,
rdfs:subClassOf) read; a slice holds all of those from its records and from every store node in it, and the store
triples that make a store node the records name a focus node of a sh:targetObjectsOf (`pointing`). A node found in
several slices (a coder, a theme) gets the same results in each; they are kept once. A store node that the records
do not name keeps the results the store alone gives it, unless the records add a triple about a store node
(`changes`): then the store nodes whose results that triple may change (`affected`: those that reach it along the
predicates through which the shapes look at a value's own triples) are checked in the slices too, and by themselves
without the records for what the store alone gives them, and a forward SPARQL rule that may read such a triple
runs again for the store nodes near enough to read it (`_near`); more than `LIMIT` of them, a stored blank node
among them, or shapes that do not qualify: everything is checked whole (`engines.run_rust`).
"""

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from imri_kg.errors import InputError
from imri_kg.scratch import Folder
from imri_kg.validation import engines, gaps, sparql
from imri_kg.validation.results import Result, sort_key
from imri_kg.validation.shapes import RDF, SH, Shapes

WORKERS = 2  # slices checked at once, each in a worker process (the machine's cores)
LIMIT = 10_000  # store nodes re-checked in slices for a triple the records add about a store node; more: whole
# sh:targetNode: a node named there is a focus node in every slice, but its triples are in one.
FORBIDDEN = ("inversePath", "sparql", "target", "validator", "nodeValidator", "propertyValidator", "targetNode")
CLASSES = frozenset({RDF + "type", sparql.RDFS + "subClassOf"})
# Properties whose value is a predicate the engine reads (SHACL 2.1.3, 4.4).
PREDICATES = ("equals", "disjoint", "lessThan", "lessThanOrEquals", "targetSubjectsOf", "targetObjectsOf")
PATHS = ("alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath", "inversePath")
# What SHACL Core checks of a property shape's value nodes by looking at their own triples: other shapes, their
# predicates (sh:closed) and their classes (sh:class). Every other parameter reads the value node alone.
DEEP = frozenset(SH + name for name in ("node", "property", "qualifiedValueShape", "and", "or", "not", "xone",
                                        "closed"))


@dataclass
class Sliced:
    """New records as N-Triples files: `shared` (what several records use) and disjoint `slices` of records; each
    slice's records reach nothing in the other slices. `reached`: the IRIs of store nodes that the records name.
    A triple about a node the store already describes is in `shared` (a slice's subjects are new records).
    `own`: prefixes of the IRIs of the records' own nodes (a sheet's rows); the store holds them when the same
    records were imported before, and they are then the records' nodes, not the store's. `graph`: the named graph an
    import writes them to; a store that holds it is validated against without it (records.py)."""

    shared: Path
    slices: list[Path]
    reached: set[str] = field(default_factory=set)
    own: tuple[str, ...] = ()
    # What a reasoner derives from the records, written with them on import (a theme's imri:hasEvidence): the file
    # and the predicates it holds. Validated with the records when the shapes read one of those predicates.
    inferred: tuple[Path, frozenset[str]] | None = None
    graph: str | None = None

    @property
    def files(self) -> list[Path]:
        return [self.shared, *self.slices]


def sliceable(core: Shapes) -> bool:
    """Whether the SHACL Core shapes only look forwards from a focus node (see the module's docstring), and report
    no result about a node that only another node reaches: a property shape's sh:property does (its value nodes
    are the focus nodes of its results, SHACL 4.7.2), so that a stored node the records name could get a result
    from a store node they do not reach."""
    index = core.index
    return not any(t.predicate.value in {SH + name for name in FORBIDDEN} for t in core.triples) and \
        not any((shape, SH + "property") in index.out for shape, p in index.out if p == SH + "path")


def reads_any(shapes: Shapes, names: frozenset[str]) -> bool:
    """Whether validating with these shapes may read a triple whose predicate is one of `names`: a shape's path,
    sh:equals and its kin or target names one, a shape is sh:closed, a SPARQL rule's query names one or reads
    backwards with a variable predicate, or the shapes are not sliceable. When not, such triples change no result.

    A rule that reads forwards from $this with a variable predicate (the project's crosswalk MappingShape, `?s ?p
    ?o` with ?p an axiom's annotatedProperty) is not counted here: `_rules` runs it again for the store nodes from
    which it may read them (`_readers`), with and without them, instead of checking every sheet in one run over
    the whole store."""
    if shapes._split is None:
        shapes._split = sparql.split(shapes)
    constraints, core = shapes._split
    read = read_predicates(core)
    if not sliceable(core) or read is None or read & names:
        return True
    return any(c.predicates & names if c.predicates is not None else not c.forward for c in constraints) or \
        bool(engines._targets(constraints, shapes.index) & names)


def read_predicates(core: Shapes) -> frozenset[str] | None:
    """The predicates SHACL Core reads with these shapes: those of every sh:path, those that sh:equals and its kin
    and the subject/object targets name, rdf:type and rdfs:subClassOf; None (any) when a shape is sh:closed."""
    index = core.index
    if any(isinstance(o, Literal) and o.value == "true" for (_, p), objects in index.out.items()
           if p == SH + "closed" for o in objects):
        return None
    found = set(CLASSES)

    def path(node: object) -> None:
        if isinstance(node, NamedNode):
            found.add(node.value)
            return
        for kind in PATHS:
            for value in index.out.get((node, SH + kind), []):
                for item in (index.items(value) if kind == "alternativePath" else [value]):
                    path(item)
        if index.value(node, RDF + "first") is not None:  # a sequence path
            for item in index.items(node):
                path(item)

    for (_, p), objects in index.out.items():
        for o in objects:
            if p == SH + "path":
                path(o)
            elif p in {SH + name for name in PREDICATES} and isinstance(o, NamedNode):
                found.add(o.value)
    return frozenset(found)


def run_sliced(store: Store, records: Sliced, shapes: Shapes, *,
               workers: int = WORKERS) -> tuple[list[Result], list[Result] | None]:
    """(results, alone): shacl-rust per slice and the SPARQL rules over what they read; `alone` is what the store
    without the records gives for the results about store nodes the records do not name that may differ from it
    (those of rules that read backwards); every other such result is the store's own. One whole run (and `alone`
    None: unknown) when the shapes or the records do not qualify."""
    if shapes._split is None:
        shapes._split = sparql.split(shapes)
    constraints, core = shapes._split
    predicates = read_predicates(core)
    found_affected = (affected(store, records, shapes) if sliceable(core) and predicates is not None
                      and not gaps.wrong_roots(core, gaps.in_store(store, records.files)) else None)
    if found_affected is None:
        return engines.run_rust([store, *records.files], shapes), None
    fresh, moved, changed = found_affected
    records = replace(records, reached=records.reached | {n.value for n in fresh})
    with Folder("imri-slices-") as folder:
        around = (reached(store, records.reached, predicates=predicates)
                  + pointing(store, records.reached, core, records.files))
        reach = Path(folder) / "reach.nt"
        serialize(around, output=str(reach), format=RdfFormat.N_TRIPLES)
        shapes_file = Path(folder) / "shapes.nt"
        shapes_file.write_text(core.ntriples, encoding="utf-8")

        # Each slice in its own worker process; the threads here only wait for them. The store alone over what
        # the records reach (`before`) gives the results that those of the store nodes they change (`affected`)
        # are compared with.
        others = _unnamed(around, records)
        running = engines.Workers()  # an error on either side stops every worker at once
        with ThreadPoolExecutor(max_workers=workers) as pool:
            runs = [pool.submit(engines.check_files, [reach, records.shared, part], shapes_file, running)
                    for part in records.slices]
            if fresh:
                runs.append(pool.submit(engines.check_files, [reach], shapes_file, running))
            try:
                results, alone = _rules(store, records, constraints, shapes, (around, predicates),
                                        fresh=fresh, moved=moved, changed=changed)
                found = [run.result() for run in runs]
                before = found.pop() if fresh else []
            except ValueError as exc:  # a shapes graph the engine cannot use (SHACL 3.4 ill-formed shapes)
                running.stop()
                raise InputError(f"the shapes cannot be used: {exc}") from None
            except BaseException:
                running.stop()
                raise
    stored = {str(n) for n in fresh}
    alone += [r for r in merged([before], shapes) if r.focus_nt in stored]
    kept = [r for r in merged(found, shapes) if _term(r.focus_nt) not in others]  # not the store's own results
    # A literal focus node (of a sh:targetObjectsOf) has no triple of its own: when the store holds it and the
    # records do not, its results are the store's own (validation/records.py keeps those of a literal they hold).
    alone += [r for r in kept if r.focus_nt.startswith('"')]
    return sorted(results + kept, key=sort_key), alone


check_slice = engines.check_files  # the worker of one slice (tests)


def changes(store: Store, shared: Path) -> tuple[set, frozenset[str]]:
    """(nodes, predicates) of the triples the records add about nodes the store holds, as subject or object (a
    coder's new label): store nodes the records do not name may then get other results than the store alone gives
    them (`affected`)."""
    nodes, predicates = set(), set()
    for t in parse(path=str(shared), format=RdfFormat.N_TRIPLES):
        held = next(store.quads_for_pattern(t.subject, None, None, None), None) is not None or \
            next(store.quads_for_pattern(None, None, t.subject, None), None) is not None
        if held and not _holds(store, t):
            nodes.add(t.subject)
            predicates.add(t.predicate.value)
    return nodes, frozenset(predicates)


def affected(store: Store, records: Sliced, shapes: Shapes) -> tuple[set[NamedNode], frozenset[str], set] | None:
    """(fresh, moved, nodes) for records whose triples about store nodes (`changes`) may change the results of store nodes
    they do not name; None when those are too many to check in slices (more than `LIMIT`, or a blank node).

    `fresh`: the store nodes that reach a changed node along the predicates through which SHACL Core looks at a value
    node's own triples (`through`), when the shapes read a changed predicate: they are checked in the slices with the
    records, and alone. `moved`: the changed predicates; a SPARQL rule that reads forwards and may read one of them
    is run again for the store nodes near enough to `nodes` (the changed ones) to read them (`_near`), or else as
    the rules that read backwards are, over every store triple it reads (`_rules`)."""
    nodes, moved = changes(store, records.shared)
    if not nodes:
        return set(), frozenset(), nodes
    core = shapes._split[1]
    if not read_predicates(core) & moved:  # the shapes' paths never read them: no store node's results change
        return set(), moved, nodes
    edges = [NamedNode(p) for p in sorted(through(core, moved))]
    fresh: set = set()
    todo = list(nodes)
    while todo:
        node = todo.pop()
        for p in edges:
            for q in store.quads_for_pattern(None, p, node, None):
                if q.subject in fresh or q.subject in nodes:
                    continue
                if isinstance(q.subject, BlankNode) or len(fresh) >= LIMIT:
                    return None
                fresh.add(q.subject)
                todo.append(q.subject)
    named = {NamedNode(i) for i in records.reached}
    return {n for n in fresh | nodes if isinstance(n, NamedNode)} - named, moved, nodes


def through(core: Shapes, moved: frozenset[str]) -> frozenset[str]:
    """The predicates along which a focus node's results may depend on the triples `moved` of a node it reaches:
    a step of a path after which the path, or what the property shape checks of its value nodes, may read a moved
    predicate (their own triples, for sh:node and the other `DEEP` parameters; their classes, for sh:class); and
    rdf:type and rdfs:subClassOf when a class hierarchy moved (targets)."""
    index = core.index
    found: set[str] = set()
    parameters: dict[object, set[str]] = {}
    for shape, p in index.out:
        parameters.setdefault(shape, set()).add(p)

    def walk(node: object, after: frozenset[str] | None) -> frozenset[str] | None:
        """Mark the steps of the path `node` that are followed by a read of a moved predicate (`after`: what is
        read after it; None: anything); return what the path and what follows it read."""
        if after is not None and not (after | _reads(node)) & moved:
            return after | _reads(node)  # nothing moved is read from here on
        if isinstance(node, NamedNode):
            if after is None or after & moved:
                found.add(node.value)
            return None if after is None else after | {node.value}
        if index.value(node, RDF + "first") is not None:  # a sequence, walked from its last step
            for item in reversed(index.items(node)):
                after = walk(item, after)
            return after
        for kind in ("zeroOrMorePath", "oneOrMorePath"):  # a repeated step may be followed by itself
            for value in index.out.get((node, SH + kind), []):
                again = None if after is None else after | _reads(value)
                return walk(value, again)
        for value in index.out.get((node, SH + "zeroOrOnePath"), []):
            return walk(value, after)
        reads: frozenset[str] | None = after
        for value in index.out.get((node, SH + "alternativePath"), []):
            for item in index.items(value):
                read = walk(item, after)
                reads = None if read is None or reads is None else reads | read
        return reads

    def _reads(node: object) -> frozenset[str]:
        """Every predicate of a path."""
        if isinstance(node, NamedNode):
            return frozenset({node.value})
        found_here: set[str] = set()
        for kind in PATHS:
            for value in index.out.get((node, SH + kind), []):
                for item in (index.items(value) if kind == "alternativePath" else [value]):
                    found_here |= _reads(item)
        for item in index.items(node) if index.value(node, RDF + "first") is not None else []:
            found_here |= _reads(item)
        return frozenset(found_here)

    for (shape, p), paths in index.out.items():
        if p != SH + "path":
            continue
        checks = parameters[shape]
        tail = None if checks & DEEP else CLASSES if SH + "class" in checks else frozenset()
        for path in paths:
            walk(path, tail)
    if sparql.RDFS + "subClassOf" in moved:
        found |= CLASSES
    return frozenset(found)



def _holds(store: Store, t: Triple) -> bool:
    return next(exact(store, t.subject, t.predicate, t.object), None) is not None


def exact(store: Store, subject: object, predicate: object, value: object) -> Iterable[Quad]:
    """The store's quads matching the pattern, a literal `value` term for term: Oxigraph matches a literal by value
    ("4.0" finds a stored "4"), but "4.0"^^xsd:decimal and "4"^^xsd:decimal are two terms, two values of a path
    for SHACL."""
    found = store.quads_for_pattern(subject, predicate, value, None)
    if not isinstance(value, Literal):
        return found
    written = str(value)
    return (q for q in found if str(q.object) == written)


def _unnamed(around: list[Quad], records: Sliced) -> set:
    """The store nodes in the triples `around` (subjects, and objects that are IRIs or blank nodes: a class that has
    no triple of its own) that the records do not name and that are not the records' own (a row of a sheet
    imported before, reached from its theme): their results are the store's own."""
    nodes = {q.subject for q in around} | {q.object for q in around if isinstance(q.object, NamedNode | BlankNode)}
    own = records.own
    return {n for n in nodes - {NamedNode(i) for i in records.reached}
            if not (own and isinstance(n, NamedNode) and n.value.startswith(own))}


def merged(found: Sequence[list[dict]], shapes: Shapes) -> list[Result]:
    """Each focus node's results from the first slice that has any (they are the same in every slice it is in)."""
    owner: dict[str, int] = {}
    kept = []
    for i, results in enumerate(found):
        for r in results:
            if owner.setdefault(r["focusNode"], i) == i:
                kept.append(engines._from_rust(r, shapes.index))
    return kept


def reached(store: Store, iris: Iterable[str], *, start: Sequence = (),
            predicates: frozenset[str] | None = None) -> list[Quad]:
    """Every triple of the store reachable from the nodes `iris` (and `start`) by following triples forwards, only
    along `predicates` when given (graph names dropped, each triple once)."""
    return ball(store, [*(NamedNode(i) for i in iris), *start], None, predicates)


def pointing(store: Store, iris: Iterable[str], core: Shapes, files: Sequence[Path] = ()) -> list[Quad]:
    """The store's triples that make store nodes the records name focus nodes of a sh:targetObjectsOf (the target's
    predicate pointing at them, SHACL 2.1.3.4): nothing reaches those forwards. Their subjects are store nodes the
    records do not name, whose results are the store's own. A literal has no triple of its own: the store's
    literals that such a predicate points at are looked for among the objects of the records' `files`."""
    kinds = [o for (_, p), objects in core.index.out.items() if p == SH + "targetObjectsOf" for o in objects
             if isinstance(o, NamedNode)]
    triples: dict = {}
    for kind in kinds:
        for iri in iris:
            for q in store.quads_for_pattern(None, kind, NamedNode(iri), None):
                triples.setdefault(q.triple, None)
        literals = {row["o"] for row in store.query(
            f"SELECT DISTINCT ?o WHERE {{ ?s <{kind.value}> ?o FILTER isLiteral(?o) }}",
            use_default_graph_as_union=True)}
        named = {t.object for f in files for t in parse(path=str(f), format=RdfFormat.N_TRIPLES)
                 if t.object in literals} if literals else set()
        for literal in named:
            for q in exact(store, None, kind, literal):
                triples.setdefault(q.triple, None)
    return [Quad(t.subject, t.predicate, t.object) for t in triples]


def _out(store: Store, node: object, wanted: list[NamedNode] | None) -> Iterable[Quad]:
    """The node's quads whose predicate is wanted. A node with more quads than there are wanted predicates (a theme
    that a hundred thousand stored rows point back to) is looked up predicate by predicate."""
    if wanted is None:
        return store.quads_for_pattern(node, None, None, None)
    few = []
    for q in store.quads_for_pattern(node, None, None, None):
        few.append(q)
        if len(few) > len(wanted):
            return (q for p in wanted for q in store.quads_for_pattern(node, p, None, None))
    names = set(wanted)
    return (q for q in few if q.predicate in names)


def _rules(store: Store, records: Sliced, constraints: list, shapes: Shapes, core: tuple, *,
           fresh: set = frozenset(), moved: frozenset[str] = frozenset(),
           changed: set = frozenset()) -> tuple[list[Result], list[Result]]:
    """(results, alone) of the SPARQL rules (see `run_sliced`). A rule that reads only forwards from $this
    (`Constraint.forward`) runs over the records and the store triples reachable from the store nodes they name;
    its focus nodes are the records' and those store nodes. Any other rule runs over the records and every store
    triple with a predicate it reads (copied by Oxigraph into one default graph, each triple once), and first over
    those of the store alone. `alone` also holds the forward rules' results about literals (see `run_sliced`) and
    about the store nodes `fresh` (see `affected`: a forward rule that does not read the `moved` predicates gives
    them what the store alone gives; one that may read them is run for the store nodes `_near` the `changed` ones,
    with and without the records, or else as a backward one)."""
    if not constraints:
        return [], []
    index = shapes.index
    targets = engines._targets(constraints, index) | CLASSES
    read = targets | (_union(c.predicates for c in constraints if c.predicates is not None) or frozenset())
    with engines.Parts(records.files, read) as parts:  # one pass over the files
        return _rules_in(parts, store, records, constraints, shapes, core, targets, read, fresh=fresh, moved=moved,
                         changed=changed)


def _rules_in(parts: engines.Parts, store: Store, records: Sliced, constraints: list, shapes: Shapes, core: tuple,
              targets: set[str], loadable: frozenset[str], *, fresh: set, moved: frozenset[str],
              changed: set) -> tuple[list[Result], list[Result]]:
    """`_rules`, with the records' triples of the predicates the rules read split by predicate (`parts`)."""
    around, predicates = core
    index = shapes.index
    # One store of the records' triples that decide the rules' focus nodes, with the store's triples that the
    # records reach; the rules' focus nodes among the records and the store nodes they name are found there. Then
    # what the rules that have focus nodes read is added (`more`).
    data = Store()
    data.bulk_extend(q for q in around if q.predicate.value in targets)
    parts.load(data, targets)
    others = _unnamed(around, records)
    forward, backward = [], []
    results: list[Result] = []
    alone: list[Result] = []
    inferred = None  # the records' inferred triples (_Inferred), read when a rule may read them
    late_files = [records.inferred[0]] if records.inferred else []  # for the rules that read any predicate
    for c in constraints:
        # A rule that reads no moved predicate, and whose targets no moved predicate decides, gives the store
        # nodes the records change what the store alone gives them.
        readers: list = []  # store nodes whose results what the import infers may change (a theme's new rows)
        if records.inferred and c.forward and c.predicates is None:
            inferred = inferred or _Inferred(records.inferred[0], records)
            readers = _readers(store, c, inferred.subjects, index)
            if readers is None:
                backward.append(c)
                continue
        if c.forward and not (moved and (c.predicates is None or c.predicates & moved
                                         or moved & engines._targets([c], index))):
            nodes = [n for n in sparql.focus_nodes(data, index, c.shape) if n not in others]
            if readers := [n for n in readers if n not in set(nodes)]:
                read = ball(store, readers, c.depth, None)
                before = Store()
                before.bulk_extend(read)
                alone += sparql.run(before, [(c, readers)], index)
                results += sparql.run(inferred.around(store, read, readers, c.depth), [(c, readers)], index)
            if nodes:
                forward.append((c, nodes))
        elif c.forward and (near := _near(store, c, changed, moved, index)) is not None:
            focus = [n for n in sparql.focus_nodes(data, index, c.shape) if n not in others]
            named = [n for n in focus if n not in fresh]  # the records' nodes and the store nodes they name
            own = set(named)
            stored = [n for n in dict.fromkeys([*near, *focus, *readers]) if n not in own]  # store nodes they change
            # What it reads from the stored focus nodes, and from those the records reach when it has focus
            # nodes among theirs (a theme's rows, a step past the theme, only then).
            starts = {*stored, *(NamedNode(i) for i in records.reached)} if named else set(stored)
            read = ball(store, starts, c.depth, c.predicates)
            before, after = Store(), Store()
            before.bulk_extend(read)
            alone += sparql.run(before, [(c, stored)], index)
            after.bulk_extend(read)
            engines._load(after, [*records.files, *(late_files if c.predicates is None else [])],
                          None if c.predicates is None else set(c.predicates | targets))
            results += sparql.run(after, [(c, stored + named)], index)
        else:
            backward.append(c)
    live = [c for c, _ in forward] + backward
    more = (_union(c.predicates or frozenset() for c in live) or frozenset()) & loadable - targets
    data.bulk_extend(q for q in around if q.predicate.value in more)
    parts.load(data, more)
    if forward:
        wanted = _union(c.predicates for c, _ in forward)
        if wanted is None:  # a rule that reads any predicate forwards, with focus nodes here: everything it reaches
            data = Store()
            data.bulk_extend(reached(store, records.reached))
            engines._load(data, [*records.files, *late_files], None)
        elif predicates is not None and not wanted <= predicates:
            data.bulk_extend(reached(store, records.reached, predicates=wanted | targets))
        found = sparql.run(data, forward, index)
        results += found
        stored = {str(n) for n in fresh}
        alone += [r for r in found if r.focus_nt.startswith('"') or r.focus_nt in stored]  # as run_sliced says
    known = [c for c in backward if c.predicates is not None]
    if known:
        wanted = _union(c.predicates for c in known) | engines._targets(known, index)
        # The store's triples of the predicates the rules read, each once (the data graph is a set, SHACL 3.1: a
        # triple in two named graphs counts once), then the records' (rdf:type last: only the classes the queries
        # name and the subclasses of the targeted classes, when the queries name their classes). The store alone
        # is checked first, then the same store with the records' triples added.
        patterns = [f"?s <{p}> ?o" for p in sorted(wanted - {RDF + "type"})]
        classes = _union(c.typed for c in known)
        if RDF + "type" in wanted and classes is None:
            patterns.append(f"?s <{RDF}type> ?o")
        elif RDF + "type" in wanted:
            tree = Store()  # the store's and the records' rdfs:subClassOf triples
            for source, union in ((store, True), (data, False)):
                _copy(tree, source, f"?s <{sparql.RDFS}subClassOf> ?o", union=union)
            targeted = [t for c in known for t in index.out.get((c.shape, SH + "targetClass"), [])]
            targeted += [c.shape for c in known if NamedNode(sparql.RDFS + "Class") in index.out.get(
                (c.shape, RDF + "type"), [])]
            for t in targeted:  # the class itself, then its subclasses (in no rdfs:subClassOf triple, it is in none)
                classes |= {t.value} | {row["c"].value for row in tree.query(
                    f"SELECT DISTINCT ?c WHERE {{ ?c <{sparql.RDFS}subClassOf>* <{t.value}> }}")}
            patterns += [f"?s <{RDF}type> <{c}>" for c in sorted(classes)]
        both = Store()
        for pattern in patterns:
            _copy(both, store, pattern, union=True)
        stored = [(c, nodes) for c in known if (nodes := sparql.focus_nodes(both, index, c.shape))]
        alone += sparql.run(both, stored, index)
        for pattern in patterns:
            _copy(both, data, pattern, union=False)
        live = [(c, nodes) for c in known if (nodes := sparql.focus_nodes(both, index, c.shape))]
        results += sparql.run(both, live, index)
    if unknown := [c for c in backward if c.predicates is None]:  # a rule that reads any predicate backwards
        with Folder("imri-rules-") as folder:
            files = engines.to_files([store], Path(folder))
            results += engines.run_constraints_in(Store(), [*files, *records.files, *late_files], unknown, index)
            alone += engines.run_constraints(files, unknown, index)
    return results, alone


def _near(store: Store, c: sparql.Constraint, changed: set, moved: frozenset[str], index) -> list | None:
    """The store's focus nodes of a forward rule that may read the triples of the `changed` nodes: those at most its
    `depth` steps before one of them (along the predicates it reads). None (run it over the whole store) when that
    is not known: no depth, a moved predicate that decides its targets, or more than 20 `LIMIT` nodes to walk."""
    if c.depth is None or moved & engines._targets([c], index):  # the targets' predicates (rdf:type among them)
        return None
    edges = [None] if c.predicates is None else [NamedNode(p) for p in sorted(c.predicates)]
    seen, level = set(changed), set(changed)
    for _ in range(c.depth):
        level = {q.subject for node in level for p in edges for q in store.quads_for_pattern(None, p, node, None)}
        level -= seen
        seen |= level
        if len(seen) > 20 * LIMIT:
            return None
    return [n for n in sparql.focus_nodes(store, index, c.shape, union=True) if n in seen]


class _Inferred:
    """What a reasoner derived from the records (`Sliced.inferred`, a theme's imri:hasEvidence to each row), in a
    store of its own, and the store nodes it is about."""

    def __init__(self, path: Path, records: Sliced) -> None:
        self.path, self.records, self._store = path, records, None
        found = set()
        with open(path, "rb") as f:  # N-Triples as Oxigraph writes them: the subject is the first field
            while lines := f.readlines(1 << 22):
                found.update(line.split(b" ", 1)[0] for line in lines if line.strip())
        self.subjects = {_term(nt.decode()) for nt in found}

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store()
            engines._load(self._store, [self.path], None)
        return self._store

    def around(self, store: Store, read: list[Quad], readers: list, depth: int) -> Store:
        """What a rule of that `depth` reads from `readers` over the store with these triples (`read`: over the
        store alone). Once the walk comes to a node that the records describe (a row an inferred triple points to),
        it goes on over every record too (from the row to the store node it names, a site)."""
        after = Store()
        after.bulk_extend(read)
        sources = [store, self.store]
        seen, level = set(readers), set(readers)
        for step in range(depth + 1):
            if len(sources) == 2 and any(self._own(n) for n in level):
                records = Store()
                engines._load(records, self.records.files, None)
                sources.append(records)
            ahead = set()
            for node in level:
                for source in sources:
                    for q in source.quads_for_pattern(node, None, None, None):
                        after.add(Quad(q.subject, q.predicate, q.object))
                        if step < depth and isinstance(q.object, NamedNode | BlankNode) and q.object not in seen:
                            ahead.add(q.object)
            seen |= ahead
            level = ahead
        return after

    def _own(self, node: object) -> bool:
        """Whether a node is one the records describe (not the store): a row, or a node of their shared file."""
        if isinstance(node, NamedNode) and self.records.own and node.value.startswith(self.records.own):
            return True
        return node in self.shared or isinstance(node, BlankNode)

    @cached_property
    def shared(self) -> set:
        """The subjects of the records' shared file (read when first asked)."""
        return {q.subject for q in parse(path=str(self.records.shared), format=RdfFormat.N_TRIPLES)}


def _readers(store: Store, c: sparql.Constraint, subjects: set, index) -> list | None:
    """The store's focus nodes of a rule that reads forwards with a variable predicate from which one of `subjects`
    (store nodes the records' inferred triples are about) is at most its `depth` steps away: those whose results
    the inferred triples may change. None (run it over everything) when that is not known: no depth, more than
    `LIMIT` focus nodes, or more than 20 `LIMIT` nodes to walk."""
    if c.depth is None:
        return None
    focus = sparql.focus_nodes(store, index, c.shape, union=True)
    if len(focus) > LIMIT:
        return None
    found, walked = [], 0
    for node in focus:
        seen, level = {node}, {node}
        for _ in range(c.depth):  # depth: the steps from $this to the farthest node whose triples it reads
            if level & subjects:
                break
            level = {q.object for n in level for q in store.quads_for_pattern(n, None, None, None)
                     if isinstance(q.object, NamedNode | BlankNode)} - seen
            seen |= level
            walked += len(level)
            if walked > 20 * LIMIT:
                return None
        if seen & subjects:
            found.append(node)
    return found


def ball(store: Store, starts: Iterable, depth: int | None, predicates: frozenset[str] | None) -> list[Quad]:
    """The store's triples whose subject is at most `depth` steps (None: any number) from a start node along
    `predicates` (None: any), graph names dropped, each once: what a forward rule of that depth reads from those
    nodes."""
    wanted = None if predicates is None else [NamedNode(p) for p in sorted(predicates)]
    triples: dict = {}
    seen, level = set(starts), set(starts)
    step = 0
    while level:
        ahead = set()
        for node in level:
            for q in _out(store, node, wanted):
                triples.setdefault(q.triple, None)
                if (depth is None or step < depth) and isinstance(q.object, NamedNode | BlankNode) \
                        and q.object not in seen:
                    ahead.add(q.object)
        seen |= ahead
        level, step = ahead, step + 1
    return [Quad(t.subject, t.predicate, t.object) for t in triples]


def _copy(into: Store, source: Store, pattern: str, *, union: bool) -> None:
    """The triples matching one triple pattern in `source` (with `union`: in any of its graphs; else in its default
    graph), copied by Oxigraph into the default graph of `into` (a set: each triple once)."""
    query = f"CONSTRUCT {{ {pattern} }} WHERE {{ {pattern} }}"
    into.bulk_extend(Quad(t.subject, t.predicate, t.object)
                     for t in source.query(query, use_default_graph_as_union=union))


def _union(sets: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    found: set[str] = set()
    for s in sets:
        if s is None:
            return None
        found |= s
    return frozenset(found)


def _term(nt: str) -> object | None:
    if nt.startswith("<"):
        return NamedNode(nt[1:-1])
    if nt.startswith("_:"):
        return BlankNode(nt[2:])
    return None
