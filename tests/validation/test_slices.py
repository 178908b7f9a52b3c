"""Validation in slices (validation/slices.py) gives exactly the report of one run over the whole sheet: the mixed
fixture sheet (valid and broken rows) cut into slices of 1, 2 and 7 rows against one slice of every row.

All records here are fictional; the extra shapes are written for these tests (IRIs under https://w3id.org/imri/test/).
"""

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Store

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.importers.files import check_quads
from imri_kg.validation import engines, project_shapes, to_shapes
from imri_kg.validation.slices import check_slice, sliceable
from imri_kg.validation.sparql import split
from tests.conftest import TESTS

MIXED = TESTS / "data" / "sheets" / "coded-evidence-mixed.csv"
ROWS = 33  # data rows of the mixed sheet (13 of them broken)
WHOLE = 10**9  # rows per slice: one slice holds the whole sheet


def _report(store, slice_rows, shapes=None):
    sheet = read_coding_sheet(MIXED, store=store, slice_rows=slice_rows)
    assert len(sheet.records.slices) == -(-ROWS // min(slice_rows, ROWS))
    return check_quads(store, sheet.records, shapes=shapes)


@pytest.fixture(scope="module")
def whole(kb):
    return _report(kb, WHOLE)


def test_the_project_shapes_can_be_checked_in_slices():
    assert sliceable(split(project_shapes())[1])


@pytest.mark.parametrize("slice_rows", [1, 2, 7])
def test_slices_give_the_whole_sheets_report(kb, whole, slice_rows):
    sliced = _report(kb, slice_rows)
    assert sliced.results == whole.results  # every field: focus, path, value, shape, severity, message
    assert (len(whole.violations), len(whole.warnings)) == (12, 1)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slice_rows=st.integers(min_value=1, max_value=ROWS))
def test_any_slice_size_gives_the_same_report(kb, whole, slice_rows):
    assert _report(kb, slice_rows).results == whole.results


# A shape about the coders (shared by every slice) and one with an inverse path (which cannot be sliced).
T = "https://w3id.org/imri/test/"
CODERS = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{T}CoderShape> a sh:NodeShape ; sh:targetClass prov:Agent ;
    sh:property [ sh:path rdfs:comment ; sh:minCount 1 ; sh:message "Describe the coder." ] .
"""
INVERSE = CODERS + f"""
<{T}CodedShape> a sh:NodeShape ; sh:targetClass prov:Agent ;
    sh:property [ sh:path [ sh:inversePath prov:wasAttributedTo ] ; sh:maxCount 3 ;
                  sh:message "A coder codes at most three rows." ] .
"""


def test_a_node_that_every_slice_holds_is_reported_once(kb):
    shapes = to_shapes(rdflib.Graph().parse(data=CODERS, format="turtle"))
    whole, sliced = _report(kb, WHOLE, shapes), _report(kb, 1, shapes)
    assert sliced.results == whole.results
    # The sheet names two coders (M. Coder on 24 rows, S. Coder on 8); one row names none.
    described = [r for r in sliced.results if r.message == "Describe the coder."]
    assert sorted(r.focus.rsplit("/", 1)[-1] for r in described) == ["m-coder", "s-coder"]


def test_an_inverse_path_is_checked_over_the_whole_sheet(kb):
    shapes = to_shapes(rdflib.Graph().parse(data=INVERSE, format="turtle"))
    assert not sliceable(split(shapes)[1])
    whole, sliced = _report(kb, WHOLE, shapes), _report(kb, 1, shapes)
    assert sliced.results == whole.results
    counted = [r for r in sliced.results if r.message == "A coder codes at most three rows."]
    assert [r.focus.rsplit("/", 1)[-1] for r in counted] == ["m-coder", "s-coder"]  # 24 and 8 rows


TYPE, SH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "http://www.w3.org/ns/shacl#"


def _shapes(tmp_path, constraint: str):
    path = tmp_path / "shapes.nt"
    path.write_text(f"<x:S> {TYPE} <{SH}NodeShape> .\n<x:S> <{SH}targetClass> <x:C> .\n{constraint}\n")
    return path


def test_a_worker_checks_the_union_of_its_files(tmp_path):
    """A slice's worker process (validation/rust_worker.py) reads its files as one data graph: x:a is a C in the
    first file and a D only in the second, so it breaks `sh:class x:D` with the first file alone, not with both."""
    shapes = _shapes(tmp_path, f"<x:S> <{SH}class> <x:D> .")
    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    first.write_text(f"<x:a> {TYPE} <x:C> .\n")
    second.write_text(f"<x:a> {TYPE} <x:D> .\n")
    assert check_slice([first], shapes) == [
        {"focusNode": "<x:a>", "messages": ["Value is not an instance of class <x:D>"],
         "severity": f"<{SH}Violation>", "sourceConstraintComponent": f"<{SH}ClassConstraintComponent>",
         "sourceShape": "<x:S>", "value": "<x:a>"}]
    assert check_slice([first, second], shapes) == []


def test_a_worker_reports_shapes_that_the_engine_refuses(tmp_path):
    shapes = _shapes(tmp_path, f'<x:S> <{SH}path> "not a path" .')
    data = tmp_path / "data.nt"
    data.write_text(f"<x:a> {TYPE} <x:C> .\n")
    with pytest.raises(ValueError, match="Invalid path: must be IRI or blank node"):
        check_slice([data], shapes)


def test_a_killed_worker_is_one_clear_error(tmp_path, monkeypatch):
    """A worker killed (kill -9, or the kernel out of memory) is an error that says so, which the CLI prints on one
    line with exit 2 (an OSError), not a traceback with the exit status of a sheet with violations."""
    shapes = _shapes(tmp_path, f"<x:S> <{SH}class> <x:D> .")
    data = tmp_path / "data.nt"
    data.write_text(f"<x:a> {TYPE} <x:C> .\n")
    killed = tmp_path / "killed.py"
    killed.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    monkeypatch.setattr(engines, "WORKER", killed)
    with pytest.raises(ChildProcessError, match="worker process was killed by SIGKILL; nothing was written"):
        check_slice([data], shapes)


def test_a_coder_already_in_the_store_is_seen_by_every_slice(kb):
    """A coder the store already describes (from an earlier sheet) is one node with the sheet's: M. Coder has the
    comment in the store, so only S. Coder is reported, whether the sheet is checked whole or a row at a time."""
    store = Store()
    store.extend(kb)
    coder = NamedNode("https://w3id.org/imri/coder/m-coder")
    store.add(Quad(coder, NamedNode(TYPE[1:-1]), NamedNode("http://www.w3.org/ns/prov#Agent"), NamedNode(f"{T}earlier")))
    store.add(Quad(coder, NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), Literal("Codes since 2020."),
                   NamedNode(f"{T}earlier")))
    shapes = to_shapes(rdflib.Graph().parse(data=CODERS, format="turtle"))
    whole, sliced = _report(store, WHOLE, shapes), _report(store, 1, shapes)
    assert sliced.results == whole.results
    described = [r for r in sliced.results if r.message == "Describe the coder."]
    assert [r.focus.rsplit("/", 1)[-1] for r in described] == ["s-coder"]
