"""validation/wellformed.py: the project's shapes and the W3C SHACL Core suite's 98 shapes graphs are well-formed
(so the check refuses none of them); break13e's tests hold the ill-formed ones."""

import pytest

from imri_kg.errors import InputError
from imri_kg.validation import Shapes, project_shapes, to_shapes
from imri_kg.validation.wellformed import check_well_formed
from tests.conformance.shacl_suite import read_cases


def test_the_projects_shapes_are_well_formed():
    fresh = Shapes.of(project_shapes().triples)  # not marked checked
    check_well_formed(fresh)
    assert fresh.well_formed


def test_every_shapes_graph_of_the_w3c_suite_is_well_formed():
    refused = []
    for case in read_cases():
        try:
            check_well_formed(to_shapes(case.shapes))
        except InputError as exc:
            refused.append((case.name, exc.message))
    assert refused == []


def test_the_error_names_the_shape_and_the_file(tmp_path):
    path = tmp_path / "mine.ttl"
    path.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex.org/> .\n"
                    'ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount -2 ] .\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        check_well_formed(to_shapes(path), path)
    assert (raised.value.path, raised.value.message) == (path, (
        "the shapes cannot be used: they are not a well-formed SHACL shapes graph (SHACL 3.4): "
        "http://ex.org/S: sh:minCount -2 is negative."))
