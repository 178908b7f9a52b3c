"""The W3C SHACL Core suite (tests/conformance/shacl-core/) split so that the file adds triples about nodes the store
holds (break13f, for slices.affected of 8eec999): the store holds every other triple (`even`: the 0th, 2nd...;
`odd`: the 1st, 3rd...) among those that name no blank node, the file all the others. A suite's data file holds its
shapes too, with blank nodes (property shapes, lists): kept in the file, no stored blank node is named by it, so the
sliced path with changed store nodes is taken, not one whole run. Expected: the whole-graph reference
(validate_records with a list context, never sliced), result for result."""

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, RdfFormat, Store, serialize

from imri_kg.importers.files import check_file
from imri_kg.validation import to_shapes
from imri_kg.validation.records import validate_records
from tests.conformance.shacl_suite import Case, read_cases
from tests.validation.test_break13e_suite_split import _keys, _triples

CASES = read_cases()


@pytest.mark.parametrize("how", ["even", "odd"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_file_adding_triples_about_stored_iris_gives_the_whole_graphs_report(case: Case, how: str, tmp_path: Path):
    triples = _triples(case)
    plain = [t for t in triples if not isinstance(t.subject, BlankNode) and not isinstance(t.object, BlankNode)]
    kept = set(plain[0::2] if how == "even" else plain[1::2])
    store = Store()
    store.extend(t for t in triples if t in kept)
    path = tmp_path / "data.nt"
    serialize([t for t in triples if t not in kept], output=str(path), format=RdfFormat.N_TRIPLES)
    shapes = to_shapes(case.shapes)
    checked = check_file(store, path, shapes=shapes)
    whole = validate_records(list(store.quads_for_pattern(None, None, None, None)), checked.quads, shapes=shapes)
    assert _keys(checked.report, triples, shapes) == _keys(whole, triples, shapes)
