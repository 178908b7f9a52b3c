"""A file that adds triples about nodes the store holds (slices.affected): the store nodes whose results such a
triple may change are checked in slices, with the file and without it, instead of one run over the whole store;
the report equals that whole run (validate_records with the store's quads as a list, never sliced).

Each case is small and its answer worked out by hand: which store node gets a new result, on which path and
value, and whether the engine was handed the whole store. The data are test IRIs (ex:), not claims about the
sources.
"""

import random
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse, serialize

from imri_kg.importers.files import check_file, read_rdf
from imri_kg.validation import engines, slices, to_shapes
from imri_kg.validation.records import validate_records
from tests.validation import test_break13e_random as random_file

PREFIXES = """@prefix ex: <http://ex.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
EX = "http://ex.org/"
HOLDERS = "ex:h1 a ex:Holder ; ex:part ex:s1 . ex:s1 ex:label \"a\" . ex:h2 a ex:Holder ; ex:part ex:s2 . " \
          "ex:s2 ex:label \"b\" ."
NESTED = """ex:H a sh:NodeShape ; sh:targetClass ex:Holder ; sh:property [ sh:path ex:part ; sh:node ex:P ] .
ex:P a sh:NodeShape ; sh:property [ sh:path ex:label ; sh:maxCount 1 ] ."""
SEQUENCE = "ex:H a sh:NodeShape ; sh:targetClass ex:Holder ; sh:property [ sh:path ( ex:part ex:label ) ; " \
           "sh:maxCount 1 ] ."
RULE = """ex:H a sh:NodeShape ; sh:targetClass ex:Holder ; sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "a part labelled bad" ;
    sh:select "SELECT $this ?value WHERE { $this <http://ex.org/part> ?value . ?value <http://ex.org/label> 'bad' }" ] ."""
VALUE_ONLY = "ex:H a sh:NodeShape ; sh:targetClass ex:Holder ; sh:property [ sh:path ex:part ; sh:maxCount 1 ] ."
SUPER = "ex:S a sh:NodeShape ; sh:targetClass ex:Super ; sh:property [ sh:path ex:label ; sh:minCount 1 ] ."


@pytest.fixture
def whole_runs(monkeypatch) -> list[str]:
    """"run" for each shacl-rust run of the sliced path's fallback that was handed the store itself, "dump" for each
    dump of the store (inside that run, or for SPARQL rules that read any predicate backwards)."""
    runs: list[str] = []
    run_rust, to_files = engines.run_rust, engines.to_files

    def spy(sources, shapes):
        runs.extend(["run"] if any(isinstance(s, Store) for s in sources) else [])
        return run_rust(sources, shapes)

    def dump(sources, folder):
        runs.extend(["dump"] if any(isinstance(s, Store) for s in sources) else [])
        return to_files(sources, folder)

    monkeypatch.setattr(slices.engines, "run_rust", spy)
    monkeypatch.setattr(slices.engines, "to_files", dump)
    return runs


def _check(tmp_path: Path, stored: str, shapes: str, filed: str) -> tuple[list[tuple], list[tuple]]:
    """(keys of check_file's report, keys of the whole run's)."""
    store = Store()
    store.extend(parse(PREFIXES + stored, format=RdfFormat.TURTLE))
    (tmp_path / "shapes.ttl").write_text(PREFIXES + shapes, encoding="utf-8")
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + filed, encoding="utf-8")
    graph = to_shapes(tmp_path / "shapes.ttl")
    got = check_file(store, path, shapes=graph).report
    whole = validate_records(list(store.quads_for_pattern(None, None, None, None)), read_rdf(path), shapes=graph)
    return _keys(got), _keys(whole)


def _keys(report) -> list[tuple]:
    return [(r.focus_nt, r.path_text, r.value_nt, r.constraint) for r in report.results]


def test_a_second_label_breaks_the_stored_holder_whose_nested_shape_reads_it(tmp_path, whole_runs):
    got, whole = _check(tmp_path, HOLDERS, NESTED, 'ex:s1 ex:label "c" .')
    assert got == [(f"<{EX}h1>", f"<{EX}part>", f"<{EX}s1>", "NodeConstraintComponent")]
    assert (got, whole_runs) == (whole, [])


def test_a_stored_holders_old_result_stays_the_stores_own(tmp_path, whole_runs):
    """h1 already breaks ex:P through s3 (two labels): only the result through s1 is new."""
    stored = HOLDERS + ' ex:h1 ex:part ex:s3 . ex:s3 ex:label "x", "y" .'
    got, whole = _check(tmp_path, stored, NESTED, 'ex:s1 ex:label "c" .')
    assert got == [(f"<{EX}h1>", f"<{EX}part>", f"<{EX}s1>", "NodeConstraintComponent")]
    assert (got, whole_runs) == (whole, [])


def test_a_second_label_breaks_a_sequence_path_from_the_stored_holder(tmp_path, whole_runs):
    got, whole = _check(tmp_path, HOLDERS, SEQUENCE, 'ex:s1 ex:label "c" .')
    assert [(focus, constraint) for focus, _, _, constraint in got] == [(f"<{EX}h1>", "MaxCountConstraintComponent")]
    assert (got, whole_runs) == (whole, [])


def test_a_forward_rule_reading_the_new_label_reports_the_stored_holder(tmp_path, whole_runs):
    got, whole = _check(tmp_path, HOLDERS, RULE, 'ex:s2 ex:label "bad" .')
    assert got == [(f"<{EX}h2>", None, f"<{EX}s2>", "SPARQLConstraintComponent")]
    assert (got, whole_runs) == (whole, [])


def test_a_label_no_shape_looks_through_changes_nothing_stored(tmp_path, whole_runs):
    """ex:part is read for its count only: the holders are not checked again; the part is no focus node."""
    got, whole = _check(tmp_path, HOLDERS + " ex:h1 ex:part ex:s2 .", VALUE_ONLY, 'ex:s1 ex:label "c" .')
    assert (got, whole, whole_runs) == ([], [], [])
    assert slices.through(to_shapes(tmp_path / "shapes.ttl"), frozenset({EX + "label"})) == frozenset()


def test_a_new_superclass_makes_stored_instances_focus_nodes(tmp_path, whole_runs):
    """ex:Sub is held only as an object; x1 and x2 become instances of ex:Super, x2 has its label."""
    stored = 'ex:x1 a ex:Sub . ex:x2 a ex:Sub ; ex:label "two" . ex:x3 a ex:Other .'
    got, whole = _check(tmp_path, stored, SUPER, "ex:Sub rdfs:subClassOf ex:Super .")
    assert got == [(f"<{EX}x1>", f"<{EX}label>", None, "MinCountConstraintComponent")]
    assert (got, whole_runs) == (whole, [])


def test_a_property_shapes_sh_property_is_checked_whole(tmp_path, whole_runs):
    """The file adds nothing about a stored node; its record reaches the stored "3" through ex:s1, and the nested
    sh:property makes "3" a focus node of a new result (SHACL 4.7.2): the slices would miss it (a value node has
    results that come from whoever reaches it), so such shapes are checked whole."""
    shapes = "ex:H a sh:NodeShape ; sh:targetClass ex:Holder ; sh:property [ sh:path ( ex:part ex:q ) ; " \
             "sh:property [ sh:path ex:r ; sh:minCount 1 ] ] ."
    got, whole = _check(tmp_path, 'ex:s1 ex:q "3" .', shapes, "ex:r1 a ex:Holder ; ex:part ex:s1 .")
    assert got == [('"3"', f"<{EX}r>", None, "MinCountConstraintComponent")]
    assert (got, "run" in whole_runs) == (whole, True)


def test_more_store_nodes_than_the_limit_are_checked_whole(tmp_path, whole_runs, monkeypatch):
    monkeypatch.setattr(slices, "LIMIT", 1)
    got, whole = _check(tmp_path, HOLDERS + " ex:h2 ex:part ex:s1 .", NESTED, 'ex:s1 ex:label "c" .')
    assert got == [(f"<{EX}h1>", f"<{EX}part>", f"<{EX}s1>", "NodeConstraintComponent"),
                   (f"<{EX}h2>", f"<{EX}part>", f"<{EX}s1>", "NodeConstraintComponent")]
    assert (got, "run" in whole_runs) == (whole, True)


def test_a_stored_blank_node_that_reaches_the_change_is_checked_whole(tmp_path, whole_runs):
    got, whole = _check(tmp_path, '[] a ex:Holder ; ex:part ex:s1 . ex:s1 ex:label "a" .', NESTED,
                        'ex:s1 ex:label "c" .')
    assert [(focus[:2], constraint) for focus, _, _, constraint in got] == [("_:", "NodeConstraintComponent")]
    assert (got, "run" in whole_runs) == (whole, True)


def test_through_names_inner_steps_and_the_last_steps_of_deep_shapes(tmp_path):
    (tmp_path / "s.ttl").write_text(PREFIXES + """
ex:A a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:zeroOrMorePath ex:c ] ; sh:maxCount 3 ] ;
    sh:property [ sh:path [ sh:alternativePath ( ex:d ex:e ) ] ; sh:node ex:B ] ;
    sh:property [ sh:path ex:f ; sh:class ex:T ] ; sh:property [ sh:path ex:g ; sh:datatype ex:x ] .
ex:B a sh:NodeShape ; sh:property [ sh:path ex:h ; sh:minCount 1 ] .""", encoding="utf-8")
    shapes = to_shapes(tmp_path / "s.ttl")
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    deep = {EX + "d", EX + "e"}  # what ex:B reads of their values may be anything

    def through(*names: str) -> set[str]:
        return {p.removeprefix(EX) for p in slices.through(shapes, frozenset(names))}

    assert through(EX + "h") == {"d", "e"}
    assert through(EX + "b") == {"a", "d", "e"}  # (ex:a ex:b): ex:a leads to the node whose ex:b is read
    assert through(EX + "a") == {"d", "e"}  # nothing reads a value's ex:a after a step
    assert through(EX + "c") == {"c", "d", "e"}  # ex:c* reads the ex:c of each value it reaches
    assert through(rdf_type) == {"d", "e", "f"}  # sh:class reads the value's types
    assert through(slices.sparql.RDFS + "subClassOf") == {p.removeprefix(EX) for p in deep | {EX + "f"}} | {
        rdf_type, slices.sparql.RDFS + "subClassOf"}
    assert slices.through(shapes, frozenset({EX + "g"})) == frozenset(deep)


def test_a_new_label_on_a_stored_theme_is_not_one_whole_run(kb, tmp_path, whole_runs):
    """The knowledge base's shapes read no skos:altLabel: no store node's results change (before, this one triple
    was one run over the whole store: 42-48 s against a store holding a 100k-row import). The crosswalk's
    MappingShape may read any predicate one step from its mapping: it runs again for the mappings of this theme
    (slices._near), not over a dump of the store."""
    path = tmp_path / "label.ttl"
    path.write_text('<https://w3id.org/imri/theme/staff-turnover> <http://www.w3.org/2004/02/skos/core#altLabel> '
                    '"Turnover of staff"@en .\n', encoding="utf-8")
    assert (check_file(kb, path).report.results, whole_runs) == ([], [])


# Shapes that look at value nodes' own triples (slices.DEEP, sh:class, sequence and repeated paths), and SPARQL
# rules reading forwards, for the random files below (test_break13e_random.py's triples over six IRIs).
DEEP = [
    "sh:property [ sh:path ex:q ; sh:node [ sh:property [ sh:path ex:p ; sh:maxCount 1 ] ] ]",
    ("sh:property [ sh:path ex:r ; sh:qualifiedValueShape [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] ; "
     "sh:qualifiedMinCount 1 ]"),
    "sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:A ] [ sh:datatype xsd:integer ] ) ]",
    "sh:property [ sh:path ( ex:q ex:r ) ; sh:maxCount 1 ]",
    "sh:property [ sh:path [ sh:oneOrMorePath ex:q ] ; sh:class ex:B ]",
    "sh:property [ sh:path ex:q ; sh:not [ sh:class ex:A ] ]",
    "sh:property [ sh:path ex:q ; sh:property [ sh:path ex:r ; sh:minCount 1 ] ]",
    "sh:property [ sh:path ex:p ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ]",
    "sh:property [ sh:path ex:q ; sh:class ex:A ]",
    "sh:property [ sh:path [ sh:zeroOrOnePath ex:r ] ; sh:node [ sh:property [ sh:path ex:q ; sh:maxCount 1 ] ] ]",
    random_file.RULE.format("fwd", "SELECT $this ?value WHERE { $this <http://ex.org/q>/<http://ex.org/p> ?value }"),
    random_file.RULE.format("var", "SELECT $this ?value WHERE { $this <http://ex.org/r> ?x . ?x ?pp ?value . "
                                   "FILTER(isLiteral(?value)) }"),
]


@pytest.mark.parametrize("seed", range(40))
def test_random_files_about_stored_nodes_give_the_whole_runs_report(tmp_path: Path, seed: int):
    rng = random.Random(seed)
    stored = list(dict.fromkeys(random_file._triple(rng) for _ in range(rng.randrange(3, 20))))
    store = Store()
    store.extend(stored)
    filed = list(dict.fromkeys(random_file._triple(rng) for _ in range(rng.randrange(1, 8))))
    shapes_text = "\n".join(f"ex:S{i} a sh:NodeShape ; {rng.choice(random_file.TARGETS)} ; {rng.choice(DEEP)} ."
                            for i in range(rng.randrange(1, 4)))
    (tmp_path / "shapes.ttl").write_text(random_file.PREFIXES + shapes_text, encoding="utf-8")
    shapes = to_shapes(tmp_path / "shapes.ttl")
    path = tmp_path / "data.nt"
    serialize(filed, output=str(path), format=RdfFormat.N_TRIPLES)
    got = random_file._keys(check_file(store, path, shapes=shapes).report)
    whole = validate_records(list(store.quads_for_pattern(None, None, None, None)), read_rdf(path), shapes=shapes)
    assert got == random_file._keys(whole)
