"""A breaker's tests of RDF files checked against a store (records.as_slice, slices.run_sliced; issue 13): each
gives the report of the whole-graph reference (the store's quads as a list, never sliced) or a hand-worked answer.
They are written to fail on 1afdae3; each says why in its docstring. The data are made up (ex: IRIs).
"""

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, serialize

from imri_kg.errors import InputError
from imri_kg.importers.files import check_file
from imri_kg.validation import to_shapes
from imri_kg.validation.records import validate_records

EX = "http://ex.org/"
PREFIXES = """@prefix ex: <http://ex.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _store(text: str) -> Store:
    store = Store()
    store.load((PREFIXES + text).encode(), format=RdfFormat.TURTLE)
    return store


def _shapes(tmp_path: Path, text: str):
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + text, encoding="utf-8")
    return to_shapes(path)


def _keys(report) -> list[tuple]:
    return sorted((r.focus_nt, r.path_text, r.value_nt, r.severity, r.constraint) for r in report.results)


def _whole(store: Store, quads: list, shapes) -> list[tuple]:
    return _keys(validate_records(list(store.quads_for_pattern(None, None, None, None)), quads, shapes=shapes))


# Every subject of ex:r needs a value at ex:r / ex:q.
REACH = "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:r ; sh:property [ sh:path ( ex:r ex:q ) ; sh:minCount 1 ] ."


def test_a_stored_blank_node_that_the_file_points_at_is_read_with_its_triples(tmp_path):
    """The store holds `ex:s ex:r [ ex:q 1 ]`; the file is a new record pointing at that blank node by its stored
    label, as a file written from the store's own N-Quads dump (or a SPARQL result) names it: `ex:new ex:r _:b`.
    In the whole graph _:b has ex:q 1, so ex:new conforms (the reference agrees). Got: a MinCount violation at
    ex:new. as_slice counts _:b as held (its triples would go to the shared file and `changed` compares them with the
    store), but `reached` keeps only the held *IRIs*, so slices.reached never starts from _:b and the slice holds
    no ex:q of it."""
    store = _store("ex:s ex:r [ ex:q 1 ] .")
    blank = next(store.quads_for_pattern(NamedNode(EX + "s"), None, None, None)).object
    assert isinstance(blank, BlankNode)
    path = tmp_path / "new.nt"
    serialize([Quad(NamedNode(EX + "new"), NamedNode(EX + "r"), blank)], output=str(path),
              format=RdfFormat.N_TRIPLES)
    shapes = _shapes(tmp_path, REACH)
    checked = check_file(store, path, shapes=shapes)
    assert _whole(store, checked.quads, shapes) == []
    assert _keys(checked.report) == []


def test_a_file_restating_a_triple_of_a_stored_blank_node_reports_that_node(tmp_path):
    """The store holds `[ a ex:B ; ex:p ex:n1 ]`; the file restates `_:b ex:p ex:n1` by the stored label (a part of
    the store's dump). _:b is a B, and ex:B's shape wants an IRI: the file names _:b, so its result is kept (the
    reference gives it). Got: nothing. The triple goes to the shared file (its subject is held) and changes
    nothing, but _:b is not in `reached` (IRIs only): the slice does not hold `_:b a ex:B`, so _:b is no focus."""
    store = _store("[ a ex:B ; ex:p ex:n1 ] .")
    blank = next(store.quads_for_pattern(None, NamedNode(EX + "p"), None, None)).subject
    path = tmp_path / "restated.nt"
    serialize([Quad(blank, NamedNode(EX + "p"), NamedNode(EX + "n1"))], output=str(path), format=RdfFormat.N_TRIPLES)
    shapes = _shapes(tmp_path, "ex:S a sh:NodeShape ; sh:targetClass ex:B ; sh:nodeKind sh:IRI .")
    checked = check_file(store, path, shapes=shapes)
    expected = [(f"_:{blank.value}", None, f"_:{blank.value}", "Violation", "NodeKindConstraintComponent")]
    assert _whole(store, checked.quads, shapes) == expected
    assert _keys(checked.report) == expected


def test_a_restated_decimal_in_its_written_form_is_the_stored_value(tmp_path):
    """The store was loaded with `ex:T ex:a ex:s . ex:s ex:q 4.0 .`; Oxigraph keeps the decimal as "4" (canonical).
    The file restates `ex:s ex:q 4.0`. Breaker 13e found the sliced path (which asks the store by value) and the
    whole-graph reference ("4" and "4.0": two values, two maxCount results) disagreeing. Decided (fix13g): new
    records are validated as the store will hold them (records.stored_form), so the file's "4.0" is the stored "4":
    one value, no result, on both paths, and the same report before and after the file is loaded."""
    store = _store("ex:T ex:a ex:s . ex:s ex:q 4.0 .")
    path = tmp_path / "restated.ttl"
    path.write_text(PREFIXES + "ex:s ex:q 4.0 .\n", encoding="utf-8")
    shapes = _shapes(tmp_path, """
ex:A a sh:NodeShape ; sh:targetSubjectsOf ex:a ; sh:property [ sh:path ( ex:a ex:q ) ; sh:maxCount 1 ] .
ex:Q a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:q ; sh:maxCount 1 ] .""")
    checked = check_file(store, path, shapes=shapes)
    assert _whole(store, checked.quads, shapes) == []
    assert _keys(checked.report) == []
    assert _keys(check_file(_store(""), path, shapes=shapes).report) == []  # before it was loaded


@pytest.mark.parametrize("text", ["<< ex:a ex:b ex:c >> ex:p 1 .", "ex:a ex:b <<( ex:a ex:b ex:c )>> ."])
def test_a_file_with_a_triple_term_is_refused_as_the_file_not_as_the_shapes(tmp_path, text):
    """RDF 1.2 triple terms (pyoxigraph parses them; as_slice then hands the quads to one whole run). The error
    must name the file and say what in it is not taken (validation/records.py's to_rdflib says: "an RDF-star
    triple term, which validation does not take"). Got: InputError "the shapes cannot be used: Parse error: ...
    line 16654 ..." with no file: engines.run_rust writes the quads to N-Quads for shacl-rust, whose parser refuses
    the triple term; the ValueError is taken for an ill-formed shapes graph, and the line is one of a temporary
    file. The CLI and the web upload print the same (exit 2, but blaming the shapes)."""
    path = tmp_path / "star.ttl"
    path.write_text(PREFIXES + text + "\n", encoding="utf-8")
    shapes = _shapes(tmp_path, "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; "
                               "sh:maxInclusive 0 ] .")
    with pytest.raises(InputError) as raised:
        check_file(Store(), path, shapes=shapes)
    assert (raised.value.path, "shapes cannot be used" in raised.value.message) == (path, False)


def test_a_literal_the_file_names_that_a_stored_triple_makes_a_focus_node(tmp_path):
    """The store holds `ex:s ex:r "x"`; the shape targets the objects of ex:r (literals too) and wants 5
    characters. The file says `ex:n ex:p "x"`: the literal "x" occurs in the new records, so its result is kept
    (records.py keeps the results of a literal the records hold; the reference gives it; an IRI named the same way
    gets its result in the sliced path too, through slices.pointing). Got: nothing. slices.pointing adds the
    store's ex:r triples only for the store IRIs the file names (`reached`), never for a literal, so "x" is no focus
    node in the slice. Found by test_break13e_random.py (seeds 876, 922, 1481)."""
    store = _store('ex:s ex:r "x" .')
    path = tmp_path / "literal.ttl"
    path.write_text(PREFIXES + 'ex:n ex:p "x" .\n', encoding="utf-8")
    shapes = _shapes(tmp_path, "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:r ; sh:minLength 5 .")
    checked = check_file(store, path, shapes=shapes)
    expected = [('"x"', None, '"x"', "Violation", "MinLengthConstraintComponent")]
    assert _whole(store, checked.quads, shapes) == expected
    assert _keys(checked.report) == expected
