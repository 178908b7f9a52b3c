"""How far from $this a SPARQL rule reads (validation/sparql.py `reach_depth`), construct by construct, with the
depths counted by hand: the sliced path (validation/slices.py `_near`, `_readers`, `ball`) re-runs a stored focus
node only when a changed node is at most that many steps from it, so the depth must be an upper bound over every
solution (breaker 13h: a UNION branch or a NOT EXISTS pattern gave 1 where the query reads 2 steps away).

Depth: a pattern from a node d steps from $this along a path of n steps reads the triples of nodes d .. d+n-1
steps away. A variable's distance comes only from patterns every solution of its part matches. None: unknown (the
caller then runs the rule over the whole store). The IRIs are made up.
"""

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

from imri_kg.validation.slices import ball
from imri_kg.validation.sparql import _algebra, _analyse, _reach, reach_depth

P = "PREFIX ex: <http://example.org/fictional/> "
CASES = [
    # OPTIONAL: read with the left side's bounds, never shortens a variable's distance
    ("{ $this ex:a ?x OPTIONAL { ?x ex:b ?y . ?y ex:c ?z } }", 2),  # ?y: 2 steps, its triples read
    ("{ $this ex:a ?x . ?x ex:b ?y . ?y ex:c ?z OPTIONAL { $this ex:d ?y } }", 2),  # ?y stays 2, not 1
    ("{ $this ex:a ?x OPTIONAL { ?x ex:b ?y FILTER EXISTS { ?y ex:c ?z } } }", 2),  # the filter sees ?y at 2
    ("{ $this ex:r ex:R OPTIONAL { $this ex:a ?x } ?x ex:b ?y }", None),  # ?x unbound when it fails: free
    # MINUS
    ("{ $this ex:a ?x . ?x ex:b ?y . ?y ex:c ?z MINUS { $this ex:d ?y } }", 2),  # ?y stays 2, not 1
    ("{ $this ex:a ?x MINUS { ?x ex:b ?y . ?y ex:c ?z } }", 2),  # the right side reads ?y at 2
    ("{ $this ex:a ?x MINUS { ?w ex:b ?x } }", None),  # ?w bound by nothing
    # EXISTS, NOT EXISTS
    ("{ $this ex:a ?x FILTER EXISTS { ?x ex:b ?y . ?y ex:c ?z } }", 2),
    ("{ $this ex:v ?s . ?s ex:about ?v . ?v ex:status ?t FILTER NOT EXISTS { $this ex:about ?v } }", 2),  # 13h
    ("{ $this ex:a ?x FILTER NOT EXISTS { ?y ex:b ?x } }", None),  # ?y: any node
    ("{ $this ex:r ex:R OPTIONAL { $this ex:a ?x } FILTER NOT EXISTS { ?x ex:b ?y } }", None),  # ?x may be free
    # UNION: a variable is as far as the farther branch puts it, and unbounded when one branch leaves it free
    ("{ { $this ex:about ?v } UNION { $this ex:via ?s . ?s ex:about ?v } ?v ex:status ?t }", 2),  # breaker 13h
    (("{ { $this ex:a ?v } UNION { { $this ex:b ?s . ?s ex:a ?v } UNION { $this ex:b ?s . ?s ex:b ?t . ?t ex:a ?v"
      " } } ?v ex:c ?w }"), 3),  # nested: ?v at 1, 2 or 3
    ("{ { $this ex:a ?v } UNION { $this ex:b/ex:c/ex:d ?v } }", 2),  # a branch's path reads 2 steps away
    ("{ { $this ex:a ?v } UNION { $this ex:b ?w } ?v ex:c ?z }", None),  # ?v free in the second branch
    ("{ { $this ex:a ?x } UNION { ?x ex:b ?y } }", None),  # ?x bound by the other branch only
    # joined groups bound each other's variables, in either order
    ("{ { ?x ex:b ?y } { $this ex:a ?x } }", 1),
    ("{ $this ex:a ?x . ?x ex:b ?y . { $this ex:c ?y } ?y ex:d ?z }", 1),  # ?y one step away in every solution
    # property paths: a sequence adds its steps, an alternative or ? takes the longest, * and + any number
    ("{ $this ex:a/ex:b/ex:c ?x }", 2),
    ("{ $this ex:a/(ex:b|ex:c/ex:d) ?x . ?x ex:e ?y }", 3),
    ("{ $this (ex:a/ex:b)? ?x . ?x ex:c ?y }", 2),
    ("{ $this ex:a/ex:b+ ?x }", None),
    ("{ $this ex:a ?x . ?x ex:b* ?y }", None),
    # BIND, VALUES, subqueries: not read forwards (`reads_forward`), so no depth
    ("{ $this ex:a ?x BIND (?x AS ?y) ?y ex:b ?z }", None),
    ("{ $this ex:a ?x VALUES ?x { ex:k } }", None),
    ("{ { SELECT $this ?x WHERE { $this ex:a ?x } } ?x ex:b ?y }", None),
]


@pytest.mark.parametrize(("where", "depth"), CASES)
def test_how_far_from_this_each_construct_reads(where, depth):
    algebra = _algebra(P + "SELECT $this WHERE " + where)
    assert reach_depth(algebra) == depth
    if depth is None and not any(word in where for word in ("SELECT", "BIND", "VALUES", "+", "*")):
        assert _analyse(P + "SELECT $this WHERE " + where)[2] is False  # nor read forwards: the safe path


@pytest.mark.parametrize(("query", "depth"), [
    # a subquery that selects $this: ?x one step away, ?y two
    ("SELECT $this WHERE { { SELECT $this ?x WHERE { $this ex:a ?x } } ?x ex:b ?y . ?y ex:c ?z }", 2),
    # one that does not select $this: Oxigraph does not substitute it there, so its $this is any node
    ("SELECT $this WHERE { $this ex:r ex:R { SELECT ?x WHERE { $this ex:a ?x } } }", None),
    # LIMIT counts every solution of its part: a variable the outer query shares does not bound it
    ("SELECT $this WHERE { { SELECT $this ?x WHERE { $this ex:a ?x . ?x ex:b ?y } LIMIT 1 } ?x ex:c ?z }", 1),
    ("SELECT $this WHERE { $this ex:a ?y { SELECT ?y ?x WHERE { ?y ex:b ?x } LIMIT 1 } }", None),
    # BIND of a variable keeps its distance; of a computed IRI, none
    ("SELECT $this WHERE { $this ex:a ?x BIND (?x AS ?y) ?y ex:b ?z }", 1),
    ("SELECT $this WHERE { $this ex:a ?x BIND (IRI(CONCAT(STR(?x), '/p')) AS ?y) ?y ex:b ?z }", None),
    # grouping, ordering and LIMIT at the top: pre-bound $this still bounds their part
    ("SELECT $this (COUNT(?y) AS ?n) WHERE { $this ex:a ?x . ?x ex:b ?y } GROUP BY $this", 1),
    ("SELECT $this ?x WHERE { $this ex:a ?x . ?x ex:b ?y } ORDER BY ?y LIMIT 1", 1),
    ("SELECT $this WHERE { GRAPH ?g { $this ex:a ?x } }", None),
])
def test_how_far_parts_that_reads_forward_declines_read(query, depth):
    """`_reach` itself, on the parts `reads_forward` sends to the safe path anyway (subqueries, BIND)."""
    assert _reach(_algebra(P + query)) == depth


E = "http://example.org/fictional/"
CHAIN = [("f", "via", "s"), ("s", "about", "c"), ("c", "status", "x"), ("g", "about", "c"), ("f", "r", "R"),
         ("f", "a", "x1"), ("x1", "b", "y1"), ("y1", "c", "z1")]


@pytest.mark.parametrize(("where", "focus"), [
    ("{ { $this ex:about ?v } UNION { $this ex:via ?s . ?s ex:about ?v } ?v ex:status ?t }", "f"),
    ("{ $this ex:via ?s . ?s ex:about ?v . ?v ex:status ?t FILTER NOT EXISTS { $this ex:about ?v } }", "f"),
    ("{ $this ex:a ?x MINUS { ?x ex:b ?y . ?y ex:c ?z } }", "f"),
    ("{ $this ex:a ?x OPTIONAL { ?x ex:b ?y . ?y ex:c ?z } }", "f"),
])
def test_the_triples_within_the_depth_give_every_solution_and_one_step_less_does_not(where, focus):
    """What the sliced path reads (`ball`) at the depth gives the whole store's solutions for the focus node; one
    step less loses or changes one: the depth is an upper bound, and a tight one here."""
    query = P + "SELECT * WHERE " + where
    depth = reach_depth(_algebra(query))
    assert depth == 2
    store = Store()
    for s, p, o in CHAIN:
        store.add(Quad(NamedNode(E + s), NamedNode(E + p), NamedNode(E + o) if o != "x" else Literal("retracted")))
    node = NamedNode(E + focus)

    def solutions(triples) -> set:
        part = Store()
        part.extend(triples)
        rows = part.query(query, substitutions={Variable("this"): node})
        names = rows.variables
        return {tuple(sorted((k.value, str(row[k])) for k in names if row[k] is not None)) for row in rows}

    whole = solutions(store.quads_for_pattern(None, None, None, None))
    assert solutions(ball(store, [node], depth, None)) == whole
    assert solutions(ball(store, [node], depth - 1, None)) != whole


EVERY = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<{E}Every> a sh:NodeShape ; sh:targetClass <{E}Assessment> ;
    sh:sparql [ sh:message "Not assessed." ; sh:select \"\"\"SELECT $this ?value WHERE {{
        $this a <{E}Assessment> . ?value a <{E}Component> .
        FILTER NOT EXISTS {{ $this <{E}part>/<{E}component> ?value }} }}\"\"\" ] ."""


def test_a_rule_that_reads_nodes_its_not_exists_pattern_names_is_not_forward():
    """shapes/findings.ttl's EveryComponentAssessed has this form: ?value is any component of the data, named by
    $this only inside NOT EXISTS. Read as forward at depth 2 (before), the sliced path lost a stored assessment's
    result when a file added a component; now the rule is not forward and runs over the whole store."""
    import rdflib
    from pyoxigraph import RdfFormat, parse

    from imri_kg.validation import to_shapes
    from imri_kg.validation.records import validate_records

    shapes = to_shapes(rdflib.Graph().parse(data=EVERY, format="turtle"))
    store = Store()
    store.extend(parse(f"<{E}a> a <{E}Assessment> ; <{E}part> <{E}p1> . <{E}p1> <{E}component> <{E}k1> . "
                       f"<{E}k1> a <{E}Component> .", format=RdfFormat.TURTLE))
    new = list(parse(f"<{E}k2> a <{E}Component> .", format=RdfFormat.TURTLE))
    stored = list(store.quads_for_pattern(None, None, None, None))
    expected = [(f"{E}a", f"{E}k2")]
    for data, engine in ((stored, "pyshacl"), (stored, None), (store, None)):  # the reference, whole, sliced
        report = validate_records(data, new, shapes=shapes, **({"engine": engine} if engine else {}))
        assert sorted((r.focus, r.value) for r in report.results) == expected
