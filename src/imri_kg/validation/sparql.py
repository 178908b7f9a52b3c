"""SHACL-SPARQL constraints of node shapes (SHACL 5), evaluated by Oxigraph over the whole data graph at once.

shacl-rust runs a SPARQL constraint once per focus node, which took 17 of the 18 s at 10,000 coded rows. Here a
constraint whose query binds $this in every solution (`binds_this_everywhere`) is run once with $this unbound and
its solutions are kept for the shape's focus nodes: SHACL 5.2.1 forbids VALUES and MINUS in such queries and
requires every subquery to project $this, so that gives each focus node exactly what pre-binding gives it
(SHACL Appendix A). Any other query is run once per focus node with Oxigraph's substitutions (SEP-0007), which is
pre-binding itself. Constraints this module does not take (on property shapes, on shapes that other shapes refer
to, on blank shapes, or next to sh:target) stay in the shapes graph that shacl-rust runs.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple, Variable

from imri_kg.errors import InputError
from imri_kg.validation.results import Result
from imri_kg.validation.shapes import SH, Index, Shapes, bare, shape_name

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# Properties whose values are shapes: a shape named there is evaluated inside another shape (SHACL 4.6-4.7, 2.3).
NESTING = ("node", "not", "qualifiedValueShape", "property")
LISTS = ("and", "or", "xone")


@dataclass
class Constraint:
    shape: NamedNode
    node: object           # the sh:sparql node
    query: str             # with its PREFIX declarations
    messages: list[Literal]
    severity: str
    free: bool | None = None  # whether one run with $this unbound is exact (binds_this_everywhere)
    predicates: frozenset[str] | None = None  # the predicates its query reads; None: any (a variable predicate)
    forward: bool = False  # whether its query reads only triples reachable from $this (`reads_forward`)
    typed: frozenset[str] | None = None  # the classes its rdf:type patterns name; None: any (`typed_classes`)
    zero: bool = False  # whether $this is an end of a zero-length path (`zero_from_this`)
    depth: int | None = None  # a forward query reads triples of nodes at most this many steps from $this (`reach_depth`)


def split(shapes: Shapes) -> tuple[list[Constraint], Shapes]:
    """The SPARQL constraints taken here, and the shapes graph without them (for shacl-rust)."""
    index = shapes.index
    nested = {o for (s, p), objects in index.out.items() if p in {SH + n for n in NESTING} for o in objects}
    for (s, p), objects in index.out.items():
        if p in {SH + n for n in LISTS}:
            for head in objects:
                nested.update(index.items(head))
    taken: list[Constraint] = []
    removed: set[tuple] = set()
    off = {s for (s, p), objects in index.out.items() if p == SH + "deactivated" and any(map(_true, objects))}
    for (shape, p), nodes in index.out.items():
        if p != SH + "sparql" or shape in off:  # SHACL 2.1.5: a deactivated shape is ignored, its query too
            continue
        for node in nodes:  # every query is read once, also those shacl-rust runs: a broken one is the shapes'
            select = index.value(node, SH + "select")
            if node in off:  # a deactivated constraint (SHACL 2.1.5): neither run here nor by the engine
                removed.add((shape, node))
                continue
            if isinstance(select, Literal):
                declared = _prefixes(index, node)
                _readable(declared + select.value, shape, declared.count("\n"))
        if not isinstance(shape, NamedNode) or shape in nested:
            continue
        if index.value(shape, SH + "path") is not None or index.value(shape, SH + "target") is not None:
            continue
        for node in nodes:
            select = index.value(node, SH + "select")
            if node in off or not isinstance(select, Literal):
                continue
            severity = index.value(shape, SH + "severity")
            query = _prefixes(index, node) + select.value
            query = query.replace("$currentShape", _n3(shape)).replace("?currentShape", _n3(shape))
            query = projecting_this(query, shape)
            # SHACL 2.1.5: the constraint's sh:message, else the shape's (as pySHACL gives them)
            messages = index.out.get((node, SH + "message"), []) or index.out.get((shape, SH + "message"), [])
            taken.append(Constraint(shape, node, query, list(messages),
                                    severity.value if isinstance(severity, NamedNode) else SH + "Violation",
                                    *_analyse(query), zero=_zero_this(query), depth=reach_depth(_algebra(query))))
            removed.add((shape, node))
    kept = [t for t in shapes.triples if not (t.predicate.value == SH + "sparql" and (t.subject, t.object) in removed)]
    kept = [_distinct_select(t) for t in _without_dead(kept, off, index)]
    if not taken and kept == shapes.triples:
        return [], shapes
    return taken, Shapes.of(kept)


def _distinct_select(t: Triple) -> Triple:
    """The triple, a sh:select's query made SELECT DISTINCT for shacl-rust (see `distinct`)."""
    if t.predicate.value != SH + "select" or not isinstance(t.object, Literal):
        return t
    text = distinct(t.object.value)
    if text == t.object.value:
        return t
    o = t.object
    return Triple(t.subject, t.predicate, Literal(text, language=o.language) if o.language else
                  Literal(text, datatype=o.datatype))


def distinct(query: str) -> str:
    """The query with its SELECT made DISTINCT: pySHACL gives one result per distinct solution of a focus node
    (the same $this, ?path, ?value and other variables once), shacl-rust one per solution. Unchanged when its
    SELECT is not found."""
    start = _PROLOGUE.match(query).end()
    found = _SELECT_ANY.match(query, start)
    if found is None or found.group(1) and found.group(1).upper() == "DISTINCT":
        return query
    return query[:start] + "SELECT DISTINCT " + query[found.end():]


def _without_dead(triples: list, dead: set, index: Index) -> list:
    """The triples without the deactivated shapes that are named only by sh:property or sh:node (a deactivated
    shape conforms, SHACL 2.1.5, so that link checks nothing), nor what only they reach (their paths, queries):
    the engine then neither runs nor reads them. A deactivated shape named otherwise (sh:not, sh:and, ...) stays."""
    links = {SH + "property", SH + "node"}
    named = {o for (p, o) in index.into if o in dead and p not in links}
    gone = dead - named
    if not gone:
        return triples
    kept, dropped = [], []
    for t in triples:
        (dropped if t.subject in gone or (t.predicate.value in links and t.object in gone) else kept).append(t)
    todo = [t.object for t in dropped if isinstance(t.object, BlankNode)]
    while todo:  # blank nodes that only dropped triples named
        still = {t.object for t in kept}
        orphans = {b for b in todo if b not in still}
        todo = [t.object for t in kept if t.subject in orphans and isinstance(t.object, BlankNode)]
        kept = [t for t in kept if t.subject not in orphans]
    return kept


# The prologue of a query (PREFIX and BASE declarations, comments) and the start of its SELECT clause.
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?i:PREFIX)\s*[^\s:]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*")
_SELECT = re.compile(r"(?i:SELECT)\s+(?:(?i:DISTINCT|REDUCED)\s+)?")
_SELECT_ANY = re.compile(r"(?i:SELECT)\b\s*(?:((?i:DISTINCT|REDUCED))\b\s*)?")


def _readable(query: str, shape: object, offset: int = 0) -> None:
    """Nothing, when Oxigraph's parser reads the query; else an InputError naming the shape and the line of its
    sh:select (`offset`: the lines of PREFIX declarations written before it)."""
    try:
        list(Store().query(query))
    except SyntaxError as exc:
        raise InputError(f"the shapes cannot be used: the SPARQL query (sh:select) of {_n3(shape)} cannot be "
                         f"read: {_located(exc, offset)}. Declare its prefixes with sh:prefixes or use full "
                         f"IRIs.") from None
    except RuntimeError:  # read, but not run as it is (a variable only pre-binding gives)
        pass


def _located(exc: SyntaxError, offset: int) -> str:
    """Oxigraph's message, its first clause, with the line counted in the sh:select text."""
    text = str(exc).splitlines()[0].split(", [")[0]
    return re.sub(r"^error at (\d+):", lambda m: f"line {int(m.group(1)) - offset}, column ", text)


def projecting_this(query: str, shape: object) -> str:
    """The query, checked by Oxigraph's parser, with $this added to its SELECT clause when it is not there: SHACL
    5.3.1 pre-binds $this whether or not the query projects it, and Oxigraph substitutes only projected variables.
    A query that cannot be read is an error in the shapes graph (SHACL 3.4), whatever the data."""
    probe = {Variable("this"): NamedNode("urn:imri-kg:probe")}
    try:
        list(Store().query(query, substitutions=probe))
        return query
    except SyntaxError as exc:
        raise InputError(f"the shapes cannot be used: the SPARQL query (sh:select) of {_n3(shape)} cannot be "
                         f"read: {_located(exc, 0)}.") from None
    except RuntimeError:  # $this is not projected
        pass
    start = _SELECT.match(query, _PROLOGUE.match(query).end())
    if start is None:
        raise InputError(f"the shapes cannot be used: the SPARQL query (sh:select) of {_n3(shape)} is not a "
                         f"SELECT query.")
    rest = query[start.end():]
    if rest.startswith("*"):  # `SELECT *` without $this in scope: the variables it selects, and $this
        rest = " ".join(_star(query)) + rest[1:]
    projected = query[:start.end()] + "$this " + rest
    try:
        list(Store().query(projected, substitutions=probe))
    except (SyntaxError, RuntimeError) as exc:
        raise InputError(f"the shapes cannot be used: the SPARQL query (sh:select) of {_n3(shape)} must select "
                         f"$this ({str(exc).splitlines()[0]}).") from None
    return projected


def _star(query: str) -> list[str]:
    """The variables a `SELECT *` query selects (rdflib's reading, which may name more of them: those only in a
    FILTER's EXISTS, unbound in every solution), $this left out."""
    algebra = _algebra(query)
    names = [str(v) for v in algebra["PV"]] if algebra is not None else []  # rdflib cannot read it: $this only
    return [f"?{n}" for n in dict.fromkeys(names) if n != "this"]


def _true(term: object) -> bool:
    return isinstance(term, Literal) and term.value == "true"


def _prefixes(index: Index, node: object) -> str:
    lines = []
    for source in index.out.get((node, SH + "prefixes"), []):
        for declaration in index.out.get((source, SH + "declare"), []):
            prefix, namespace = index.value(declaration, SH + "prefix"), index.value(declaration, SH + "namespace")
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix.value}: <{namespace.value}>")
    return "\n".join(lines) + "\n"


def focus_nodes(store: Store, index: Index, shape: NamedNode, *, union: bool = False) -> list:
    """The focus nodes of a shape's targets in the data graph (SHACL 2.1.3), each once. `union`: the data graph is
    the union of the store's graphs (else its default graph)."""
    found: dict = {}
    for node in index.out.get((shape, SH + "targetNode"), []):
        found[node] = None
    classes = list(index.out.get((shape, SH + "targetClass"), []))
    if NamedNode(RDFS + "Class") in index.out.get((shape, RDF + "type"), []):
        classes.append(shape)  # implicit class target (SHACL 2.1.3.3)
    queries = [f"SELECT DISTINCT ?x WHERE {{ ?x <{RDF}type>/<{RDFS}subClassOf>* {c} }}" for c in map(_n3, classes)]
    queries += [f"SELECT DISTINCT ?x WHERE {{ ?x {_n3(p)} [] }}" for p in index.out.get((shape, SH + "targetSubjectsOf"), [])]
    queries += [f"SELECT DISTINCT ?x WHERE {{ [] {_n3(p)} ?x }}" for p in index.out.get((shape, SH + "targetObjectsOf"), [])]
    for query in queries:
        for row in store.query(query, use_default_graph_as_union=union):
            found[row["x"]] = None
    return list(found)


def _n3(term: object) -> str:
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def run(store: Store, constraints: Iterable[tuple[Constraint, list]], shapes: Index, *,
        union: bool = False) -> list[Result]:
    """The results of the constraints, each with its focus nodes, over the data graph in `store` (its default graph,
    or with `union` the union of its graphs)."""
    results: list[Result] = []
    for c, focus in constraints:
        query = c.query
        seen: set = set()  # each distinct solution once, as pySHACL gives them (see `distinct`)
        if c.free:  # one run; each solution is the one pre-binding its $this would give
            targets = set(focus)
            for row in store.query(query, use_default_graph_as_union=union):
                if row["this"] in targets and _new(seen, row["this"], row):
                    results.append(_result(c, row, row["this"], shapes))
            continue
        for node in focus:
            # SHACL Appendix A pre-binds $this as a constant, and a zero-length path from a constant gives it even
            # when the data lack it (SPARQL 1.1, 18.5); Oxigraph 0.5 gives only nodes of the graph. Such a focus
            # node is added to the store for its run, by a predicate that the query does not read (not with
            # `union`: that store may be the stored data, which a check never changes).
            marked = not union and c.zero and c.predicates is not None and _absent(store, node, union)
            if marked:
                store.add(Quad(MARK, MARK, node))
            try:
                for row in store.query(query, substitutions={Variable("this"): node},
                                       use_default_graph_as_union=union):
                    if _new(seen, node, row):
                        results.append(_result(c, row, node, shapes))
            finally:
                if marked:
                    store.remove(Quad(MARK, MARK, node))
    return results


MARK = NamedNode("urn:imri-kg:focus-node")


def _new(seen: set, focus: object, row) -> bool:
    """Whether the focus node's solution (every variable's value) was not seen before; it is seen now."""
    key = (focus, tuple(row))
    if key in seen:
        return False
    seen.add(key)
    return True


def _absent(store: Store, node: object, union: bool) -> bool:
    """Whether no triple of the data graph holds the node."""
    ask = "ASK { { $this ?p ?o } UNION { ?s ?p $this } }" if not isinstance(node, Literal) else "ASK { ?s ?p $this }"
    return not store.query(ask, substitutions={Variable("this"): node}, use_default_graph_as_union=union)


def _analyse(query: str) -> tuple[bool, frozenset[str] | None, bool, frozenset[str] | None]:
    """(binds_this_everywhere, read_predicates, reads_forward, typed_classes) of a query, parsed once by rdflib's
    SPARQL parser."""
    algebra = _algebra(query)
    if algebra is None:  # rdflib cannot read it: per focus node, over every triple
        return False, None, False, None
    return binds_this_everywhere(algebra), read_predicates(algebra), reads_forward(algebra), typed_classes(algebra)


def _algebra(query: str):
    """rdflib's algebra of the query (parsed once per query text), or None when rdflib cannot read it."""
    from rdflib.plugins.sparql import prepareQuery

    if query not in _ALGEBRA:
        try:
            _ALGEBRA[query] = prepareQuery(query).algebra
        except Exception:  # noqa: BLE001 - rdflib cannot read it
            _ALGEBRA[query] = None
        if len(_ALGEBRA) > 256:
            _ALGEBRA.pop(next(iter(_ALGEBRA)))
    return _ALGEBRA[query]


_ALGEBRA: dict = {}


def typed_classes(algebra) -> frozenset[str] | None:
    """The classes that the query's rdf:type patterns name as objects (`?x a imri:Site`); None when one has a
    variable object or rdf:type is inside a property path (then it may read any rdf:type triple)."""
    from rdflib.paths import Path as RdfPath
    from rdflib.term import URIRef

    found: set[str] = set()
    kind = URIRef(RDF + "type")

    def inside(path) -> bool:
        parts = [getattr(path, a) for a in ("arg", "path") if hasattr(path, a)] + list(getattr(path, "args", []))
        return any(p == kind or (isinstance(p, RdfPath) and inside(p)) for p in parts)

    def walk(node) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples":
                    for _, p, o in value:
                        if p == kind:
                            if not isinstance(o, URIRef):
                                return False
                            found.add(str(o))
                        elif isinstance(p, RdfPath) and inside(p):
                            return False
                elif not walk(value):
                    return False
        elif isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        return True

    return frozenset(found) if walk(algebra) else None


def read_predicates(algebra) -> frozenset[str] | None:
    """The IRIs a query uses as predicates (in patterns and paths, EXISTS included); None when one is a variable."""
    from rdflib.paths import Path as RdfPath
    from rdflib.term import URIRef
    from rdflib.term import Variable as Var

    found: set[str] = set()

    def path_iris(path) -> bool:
        if isinstance(path, URIRef):
            found.add(str(path))
            return True
        if isinstance(path, RdfPath):
            if type(path).__name__ == "NegatedPath":
                return False
            parts = [getattr(path, a) for a in ("arg", "path") if hasattr(path, a)] + list(getattr(path, "args", []))
            return all(path_iris(p) for p in parts)
        return False

    def listed(expr) -> dict:
        """{variable: IRIs} for each `FILTER (?v IN (iris))` among the conjuncts of a filter's expression."""
        conjuncts = [expr]
        if getattr(expr, "name", "") == "ConditionalAndExpression":
            conjuncts = [expr["expr"], *(expr.get("other") or [])]
        found = {}
        for c in conjuncts:
            if (getattr(c, "name", "") == "RelationalExpression" and c.get("op") == "IN"
                    and isinstance(c["expr"], Var) and all(isinstance(o, URIRef) for o in c["other"])):
                found[c["expr"]] = {str(o) for o in c["other"]}
        return found

    def walk(node, allowed: dict | None = None) -> bool:
        if isinstance(node, dict):
            if getattr(node, "name", "") == "Filter" and getattr(node.get("p"), "name", "") == "BGP":
                # a variable predicate that the filter keeps to listed IRIs reads only those
                return walk(node["expr"]) and walk(node["p"], listed(node["expr"]))
            for key, value in node.items():
                if key == "triples":
                    for triple in value:
                        if isinstance(triple[1], Var) and triple[1] in (allowed or {}):
                            found.update(allowed[triple[1]])
                        elif isinstance(triple[1], Var) or not path_iris(triple[1]):
                            return False
                elif not walk(value):
                    return False
        elif isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return True

    return frozenset(found) if walk(algebra) else None


def reads_forward(algebra) -> bool:
    """Whether every triple pattern of the query (EXISTS, OPTIONAL and subqueries included) starts at $this or at a
    variable that a pattern reached from $this ends at, along forward paths, in its own part of the query (see
    `_reach`: not through another branch of a UNION, an OPTIONAL or a NOT EXISTS): then the solutions for a focus
    node depend only on the triples reachable from it. No named graph, service or VALUES."""
    from rdflib.paths import Path as RdfPath
    from rdflib.term import URIRef
    from rdflib.term import Variable as Var

    triples: list[tuple] = []

    def forward_path(path) -> bool:
        if isinstance(path, URIRef | Var):
            return True
        if isinstance(path, RdfPath) and type(path).__name__ in ("SequencePath", "AlternativePath", "MulPath"):
            parts = [getattr(path, a) for a in ("arg", "path") if hasattr(path, a)] + list(getattr(path, "args", []))
            return all(forward_path(p) for p in parts)
        return False

    def walk(node) -> bool:
        if getattr(node, "name", "") in ("Graph", "ServiceGraphPattern", "values", "ToMultiSet"):
            return False
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples":
                    triples.extend(value)
                    if not all(forward_path(t[1]) for t in value):
                        return False
                elif not walk(value):
                    return False
        elif isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        return True

    if not walk(algebra):
        return False
    reached, grown = {Var("this")}, True
    while grown:
        grown = False
        for s, p, o in triples:
            if s in reached and isinstance(o, Var) and o not in reached:
                reached.add(o)
                grown = True
    # every pattern read from a node that the patterns every solution of its part matches put near $this
    return all(s in reached for s, _, _ in triples) and _reach(algebra) is not None


def reach_depth(algebra) -> int | None:
    """For a query that reads forwards (`reads_forward`): the most steps from $this at which a node whose triples it
    reads can be (a pattern from $this reads $this's triples: 0; a path of two steps from there also reads those of
    the node between: 1), an upper bound over every solution (see `_reach`). None when unknown: not forward, or a
    repeated path (* or +)."""
    if algebra is None or not reads_forward(algebra):
        return None
    found = _reach(algebra)
    return int(found) if found is not None and found != _ANY else None


_ANY = float("inf")  # a node any number of steps away (after a * or + path)


class _Unbounded(Exception):
    """A pattern reads the triples of a node that no pattern every solution matches puts near $this."""


def _reach(algebra) -> float | None:
    """The most steps from $this at which a node whose triples the query reads can be (`_ANY`: any number), or None
    when a pattern reads from a node that nothing bounds.

    A variable's bound comes only from patterns that every solution of its part matches (SPARQL 1.1, 18.5): a BGP,
    both sides of a join, the left side of OPTIONAL and MINUS; a UNION gives the largest of its branches' bounds, a
    variable that only one branch binds none. A pattern that may not (OPTIONAL) or must not (MINUS, NOT EXISTS)
    match is read with the bounds of what it is evaluated against (the left side, the filtered part), never gives
    one. Joined parts bound each other's variables (a solution of one counts only with a compatible one of the
    other). $this is the focus node everywhere (pre-bound, SHACL Appendix A), except in a subquery that does not
    select it (Oxigraph does not substitute it there). Named graphs, services and anything unknown: None."""
    from rdflib.term import Variable as Var

    this = Var("this")
    deepest = [0.0]

    def steps(path) -> float | None:  # the most steps a path takes (_ANY: * or +); None: not a forward path
        from rdflib.paths import Path as RdfPath
        from rdflib.term import URIRef

        if isinstance(path, URIRef | Var):
            return 1
        kind = type(path).__name__ if isinstance(path, RdfPath) else ""
        parts = [getattr(path, a) for a in ("arg", "path") if hasattr(path, a)] + list(getattr(path, "args", []))
        counts = [steps(p) for p in parts]
        if None in counts or not counts:
            return None
        if kind == "SequencePath":
            return sum(counts)
        if kind == "AlternativePath" or (kind == "MulPath" and getattr(path, "mod", "") == "?"):
            return max(counts)
        if kind == "MulPath":  # * or +
            return _ANY
        return None

    def merge(*bounds: dict) -> dict:
        out: dict = {}
        for b in bounds:
            for v, d in b.items():
                out[v] = min(d, out.get(v, _ANY))
        return out

    def keep(env: dict, bound: dict) -> dict:  # what a part evaluated against `bound` sees: it, and $this in scope
        return merge(bound, {this: 0} if this in env else {})

    def bgp(triples, env: dict, read: bool) -> dict:
        near = dict(env)
        grown = True
        while grown:
            grown = False
            for s, p, o in triples:
                n = steps(p)
                if s in near and n is not None and isinstance(o, Var) and near[s] + n < near.get(o, _ANY):
                    near[o] = near[s] + n
                    grown = True
        for s, p, _ in triples:
            n = steps(p)
            if read:
                if n is None or not isinstance(s, Var) or s not in near:
                    raise _Unbounded
                deepest[0] = max(deepest[0], near[s] + n - 1)
        names = {t for s, _, o in triples for t in (s, o) if isinstance(t, Var)}
        return {v: near[v] for v in names if v in near}

    def expression(expr, env: dict, read: bool) -> None:  # the (NOT) EXISTS patterns of an expression
        if getattr(expr, "name", "") in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            part(expr.graph, env, read)  # the attribute: rdflib's algebra of the pattern (the key: its parse tree)
        elif isinstance(expr, dict):
            for key, value in expr.items():
                if key != "_vars":
                    expression(value, env, read)
        elif isinstance(expr, list | tuple):
            for value in expr:
                expression(value, env, read)

    def joined(node) -> list:
        if getattr(node, "name", "") == "Join":
            return joined(node["p1"]) + joined(node["p2"])
        return [node]

    def part(node, env: dict, read: bool) -> dict:
        """The bounds of the variables every solution of `node` binds, given those of `env` (what its solutions
        count with); with `read`, the depths its patterns read go to `deepest`."""
        name = getattr(node, "name", "")
        if name == "BGP":
            return bgp(node["triples"], env, read)
        if name == "Join":
            parts = joined(node)
            bounds = [{} for _ in parts]
            for _ in range(len(parts) * 8 + 8):  # each pass only adds or shortens bounds
                before = list(bounds)
                for i, p in enumerate(parts):
                    bounds[i] = part(p, merge(env, *bounds[:i], *bounds[i + 1:]), False)
                if bounds == before:
                    break
            if read:
                for i, p in enumerate(parts):
                    part(p, merge(env, *bounds[:i], *bounds[i + 1:]), True)
            return merge(*bounds)
        if name in ("LeftJoin", "Minus"):
            left = part(node["p1"], env, read)
            right = part(node["p2"], keep(env, left), read)
            if name == "LeftJoin" and "expr" in node and node["expr"] is not None:
                expression(node["expr"], keep(env, merge(left, right)), read)
            return left
        if name == "Union":
            one, two = part(node["p1"], env, read), part(node["p2"], env, read)
            return {v: max(one[v], two[v]) for v in one.keys() & two.keys()}
        if name == "Filter":
            inner = part(node["p"], env, read)
            expression(node["expr"], keep(env, inner), read)
            return inner
        if name == "Extend":
            inner = part(node["p"], env, read)
            expression(node["expr"], keep(env, inner), read)
            expr = node["expr"]
            return merge(inner, {node["var"]: inner[expr]} if isinstance(expr, Var) and expr in inner else {})
        if name in ("Distinct", "Reduced", "ToMultiSet"):
            return part(node["p"], env, read)
        if name in ("OrderBy", "Slice", "Group", "AggregateJoin"):
            # these count every solution of their part, not only those `env` fits: only $this bounds it
            inner = part(node["p"], keep(env, {}), read)
            for key in ("expr", "A"):
                if key in node and node[key] is not None:
                    expression(node[key], keep(env, inner), read)
            if name in ("OrderBy", "Slice"):  # each of their solutions is one of the part's
                return inner
            return {this: 0} if name == "Group" and this in inner else {}
        if name in ("Project", "SelectQuery"):
            names = set(node.get("PV") or [])
            inner = part(node["p"], {v: d for v, d in env.items() if v in names}, read)
            return {v: d for v, d in inner.items() if v in names}
        raise _Unbounded  # a named graph, a service, VALUES, or a part not known here

    try:
        part(algebra["p"], {this: 0}, True)
    except _Unbounded:
        return None
    except (KeyError, AttributeError, TypeError):  # a shape of rdflib's algebra not met here: unknown, safe
        return None
    return deepest[0]


def binds_this_everywhere(algebra) -> bool:
    """Whether evaluating the query once, $this unbound, gives each focus node the solutions pre-binding gives.

    True when every solution of the query's pattern binds $this through a triple pattern (it is certainly bound:
    not only in an OPTIONAL, a FILTER or one branch of a UNION), no level groups other than by $this, and nothing
    is cut by LIMIT or OFFSET. Then pre-binding $this (SHACL Appendix A) equals filtering the free solutions on it.
    Not when a part of the query reads $this where no pattern below it has bound it yet (a BIND or FILTER over a
    pattern without it, an OPTIONAL or MINUS whose left side lacks it: pre-bound, they see the focus node), nor
    when $this is an end of a path that may be of length zero (pre-bound, it matches a focus node that the data
    do not hold).
    """
    from rdflib.term import Variable as Var

    this = Var("this")

    def reads(node) -> bool:  # whether $this occurs anywhere in a part of the algebra
        if node == this and isinstance(node, Var):
            return True
        if isinstance(node, dict):
            return any(reads(v) for v in node.values())
        if isinstance(node, list | tuple):
            return any(reads(v) for v in node)
        return False

    def certain(node) -> set | None:  # None: not safe at all
        name = getattr(node, "name", "")
        children = {k: v for k, v in node.items()} if hasattr(node, "items") else {}
        if name in ("Slice", "values", "ServiceGraphPattern"):
            return None
        if name == "Group" and this not in (children.get("expr") or []):
            return None
        if name == "BGP":
            bound = set()
            for s, p, o in children["triples"]:
                if this in (s, o) and _zero(p):
                    bound |= {t for t in (s, o) if isinstance(t, Var) and t != this}
                else:
                    bound |= {t for t in (s, p, o) if isinstance(t, Var)}
            return bound
        parts = {k: certain(v) for k, v in children.items() if hasattr(v, "name") and k in ("p", "p1", "p2")}
        if any(v is None for v in parts.values()):
            return None
        if name in ("Filter", "Extend") and reads(children.get("expr")) and this not in parts.get("p", set()):
            return None
        if (name in ("LeftJoin", "Minus") and (reads(children.get("p2")) or reads(children.get("expr")))
                and this not in parts.get("p1", set())):
            return None
        if name == "Join":
            return parts["p1"] | parts["p2"]
        if name in ("LeftJoin", "Minus"):
            return parts["p1"]
        if name == "Union":
            return parts["p1"] & parts["p2"]
        if name == "Project":
            return parts["p"] & set(children.get("PV") or [])
        if name == "AggregateJoin":
            return {this} if this in parts["p"] else set()
        return parts.get("p", set())

    found = certain(algebra["p"])
    return found is not None and this in found


def _zero(path) -> bool:
    """Whether a property path (rdflib's) may match with length zero."""
    from rdflib.paths import MulPath
    from rdflib.paths import Path as RdfPath

    if isinstance(path, MulPath):
        return path.zero or _zero(path.path)
    if isinstance(path, RdfPath):
        parts = [getattr(path, a) for a in ("arg", "path") if hasattr(path, a)] + list(getattr(path, "args", []))
        if type(path).__name__ == "SequencePath":
            return all(_zero(p) for p in parts)
        return any(_zero(p) for p in parts)
    return False


def _zero_this(query: str) -> bool:
    algebra = _algebra(query)
    return algebra is not None and zero_from_this(algebra)


def zero_from_this(algebra) -> bool:
    """Whether $this is an end of a path that may match with length zero, and no other such path has two
    variable ends (see `run`: a focus node the data lack is then added to the store for its own run)."""
    from rdflib.term import Variable as Var

    ends: list[bool] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples":
                    ends.extend(Var("this") in (s, o) for s, p, o in value if _zero(p)
                                and (Var("this") in (s, o) or isinstance(s, Var) and isinstance(o, Var)))
                else:
                    walk(value)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(algebra)
    return bool(ends) and all(ends)


def _result(c: Constraint, row, focus, shapes: Index) -> Result:
    """SHACL 5.3.2: one result per solution; ?value (else the focus node), ?path and ?message when bound."""
    value = _get(row, "value")
    value = value if value is not None else focus
    path, message = _get(row, "path"), _get(row, "message")
    text = message.value if isinstance(message, Literal) else _template(c.messages, row)
    return Result(
        focus=bare(_n3(focus)), path=path.value if isinstance(path, NamedNode) else None,
        value=bare(_n3(value)), value_is_literal=isinstance(value, Literal), shape=shape_name(shapes, c.shape),
        severity=c.severity.removeprefix(SH), message=text, constraint="SPARQLConstraintComponent",
        focus_nt=_n3(focus), value_nt=_n3(value), source_shape=c.shape.value,
        path_text=f"<{path.value}>" if isinstance(path, NamedNode) else None)


def _get(row, name: str) -> object | None:
    try:
        return row[name]
    except (KeyError, IndexError, TypeError):
        return None


def _template(messages: list[Literal], row) -> str:
    """The constraint's sh:message (English first) with {?var} and {$var} replaced by their values (SHACL 5.3.2)."""
    if not messages:
        return ""
    best = min(messages, key=lambda m: (m.language not in (None, "en"), m.value)).value

    def fill(match: re.Match) -> str:
        term = _get(row, match.group(1))
        if term is None:
            return match.group(0)
        return term.value if isinstance(term, (Literal, NamedNode)) else _n3(term)

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", fill, best)
