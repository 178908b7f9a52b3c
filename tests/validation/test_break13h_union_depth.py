"""Breaker 13h: a SPARQL rule whose UNION branches reach a node at different depths is given the shorter depth
(validation/sparql.py `reach_depth`), so that a file adding a triple about a stored node misses the result of a
stored focus node that reads it through the longer branch (issue 13, item 1: the same report as one whole run).

`reach_depth` puts a variable "as near as its nearest pattern chain from $this puts it: every pattern must match".
Patterns in two branches of a UNION do not both have to match: in

    { $this t:about ?value } UNION { $this t:via ?step . ?step t:about ?value }   ?value t:status "retracted"

?value is one step from $this in the first branch and two in the second, and the query reads ?value's triples, so
it reads triples of nodes up to 2 steps from $this; `reach_depth` says 1. When a file adds `t:c t:status
"retracted"` about a stored concept, validation/slices.py (`_near`) re-runs the rule only for the stored focus
nodes at most 1 step before t:c: t:g (which names t:c itself) is found, t:f (which reaches t:c through t:step) is
not, and its result, which the store alone does not give, is missing from the report. pySHACL on the whole data
graph gives both.

The same holds for a pattern that must not match (FILTER NOT EXISTS, MINUS) or may not (OPTIONAL): in

    $this t:via ?step . ?step t:about ?value . ?value t:status "retracted"  FILTER NOT EXISTS { $this t:about ?value }

(linked to a retracted concept through a step, and not naming it directly) ?value is 2 steps from $this, but the
NOT EXISTS pattern puts it at 1, and t:f's result is lost the same way (second test).

What a fix should do: take a variable's depth only from patterns that every solution matches (not from one UNION
branch, OPTIONAL, MINUS or NOT EXISTS), the largest over the branches that bind it, or the depth unknown (None:
the rule runs over the whole store).
The IRIs are made up for this test.
"""

import rdflib
from pyoxigraph import RdfFormat, Store, parse

from imri_kg.validation import to_shapes
from imri_kg.validation.records import validate_records

T = "https://w3id.org/imri/test/"
SHAPES = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<{T}Flagged> a sh:NodeShape ; sh:targetClass <{T}Record> ;
    sh:sparql [ sh:message "Linked to a retracted concept." ;
        sh:select \"\"\"SELECT $this ?value WHERE {{
            {{ $this <{T}about> ?value }} UNION {{ $this <{T}via> ?step . ?step <{T}about> ?value }}
            ?value <{T}status> "retracted" }}\"\"\" ] ."""
STORED = f"""<{T}f> a <{T}Record> ; <{T}via> <{T}step> .
<{T}step> <{T}about> <{T}c> .
<{T}g> a <{T}Record> ; <{T}about> <{T}c> .
<{T}c> a <{T}Concept> ."""
NEW = f"""<{T}c> <{T}status> "retracted" ."""
EXPECTED = [(f"{T}f", f"{T}c", "Linked to a retracted concept."), (f"{T}g", f"{T}c", "Linked to a retracted concept.")]


def _found(report) -> list[tuple]:
    return sorted((r.focus, r.value, r.message) for r in report.results)


def test_a_stored_record_two_steps_from_the_new_triple_gets_its_result():
    shapes = to_shapes(rdflib.Graph().parse(data=SHAPES, format="turtle"))
    store = Store()
    store.extend(parse(STORED, format=RdfFormat.TURTLE))
    new = list(parse(NEW, format=RdfFormat.TURTLE))
    stored = list(store.quads_for_pattern(None, None, None, None))
    assert _found(validate_records(stored, new, shapes=shapes, engine="pyshacl")) == EXPECTED  # the reference
    assert _found(validate_records(stored, new, shapes=shapes)) == EXPECTED  # one whole run (a list: never sliced)
    assert _found(validate_records(store, new, shapes=shapes)) == EXPECTED  # on main: t:g's result only


NOT_DIRECT = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<{T}Flagged> a sh:NodeShape ; sh:targetClass <{T}Record> ;
    sh:sparql [ sh:message "Linked to a retracted concept through a step." ;
        sh:select \"\"\"SELECT $this ?value WHERE {{
            $this <{T}via> ?step . ?step <{T}about> ?value . ?value <{T}status> "retracted"
            FILTER NOT EXISTS {{ $this <{T}about> ?value }} }}\"\"\" ] ."""
BOTH = STORED + f"""\n<{T}g> <{T}via> <{T}step> ."""


def test_a_not_exists_pattern_does_not_shorten_the_depth():
    """t:f reaches t:c through t:step only: reported. t:g names t:c directly too: not reported."""
    shapes = to_shapes(rdflib.Graph().parse(data=NOT_DIRECT, format="turtle"))
    store = Store()
    store.extend(parse(BOTH, format=RdfFormat.TURTLE))
    new = list(parse(NEW, format=RdfFormat.TURTLE))
    stored = list(store.quads_for_pattern(None, None, None, None))
    expected = [(f"{T}f", f"{T}c", "Linked to a retracted concept through a step.")]
    assert _found(validate_records(stored, new, shapes=shapes, engine="pyshacl")) == expected  # the reference
    assert _found(validate_records(stored, new, shapes=shapes)) == expected  # one whole run (a list: never sliced)
    assert _found(validate_records(store, new, shapes=shapes)) == expected  # on main: []
