"""A breaker's checks (break13f) of slices.affected's bounds on 8eec999, which held: exactly LIMIT store nodes to
check again stay in slices, one more is one whole run, and the answer is the whole run's either way; a changed node
that many stored nodes point to ends the walk at LIMIT+1 nodes (not all of them)."""

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from imri_kg.importers.files import check_file, read_rdf
from imri_kg.validation import engines, slices, to_shapes
from imri_kg.validation.records import validate_records

EX = "http://ex.org/"
SHAPES = """@prefix ex: <http://ex.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
ex:H a sh:NodeShape ; sh:targetClass ex:Holder ; sh:property [ sh:path ex:part ; sh:node ex:P ] .
ex:P a sh:NodeShape ; sh:property [ sh:path ex:label ; sh:maxCount 1 ] ."""
TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _store(holders: int) -> Store:
    """`holders` stored ex:Holder nodes h0.. all pointing at ex:s1 (labelled "a") through ex:part."""
    store = Store()
    store.extend([Quad(NamedNode(f"{EX}s1"), NamedNode(EX + "label"), Literal("a"))])
    for i in range(holders):
        h = NamedNode(f"{EX}h{i}")
        store.extend([Quad(h, TYPE, NamedNode(EX + "Holder")), Quad(h, NamedNode(EX + "part"), NamedNode(EX + "s1"))])
    return store


@pytest.mark.parametrize(("holders", "whole_run"), [(3, False), (4, True)])
def test_the_limit_is_the_number_of_store_nodes_checked_again(tmp_path: Path, monkeypatch, holders, whole_run):
    """LIMIT 3: three holders are checked in slices, four are one whole run. Each holder gets one new result (its
    part s1 has two labels once the file adds "c"), as in the whole run."""
    monkeypatch.setattr(slices, "LIMIT", 3)
    runs: list[bool] = []
    run_rust = engines.run_rust
    monkeypatch.setattr(slices.engines, "run_rust", lambda sources, shapes: runs.append(True) or run_rust(sources, shapes))
    store = _store(holders)
    (tmp_path / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    shapes = to_shapes(tmp_path / "shapes.ttl")
    path = tmp_path / "data.nt"
    path.write_text(f'<{EX}s1> <{EX}label> "c" .\n', encoding="utf-8")
    got = [(r.focus_nt, r.value_nt, r.constraint) for r in check_file(store, path, shapes=shapes).report.results]
    whole = validate_records(list(store.quads_for_pattern(None, None, None, None)), read_rdf(path), shapes=shapes)
    assert got == sorted((f"<{EX}h{i}>", f"<{EX}s1>", "NodeConstraintComponent") for i in range(holders))
    assert got == [(r.focus_nt, r.value_nt, r.constraint) for r in whole.results]
    assert runs == ([True] if whole_run else [])


def test_a_node_that_many_stored_nodes_point_to_ends_the_walk_at_the_limit(tmp_path: Path, monkeypatch):
    """20,000 holders point at s1 (LIMIT 10,000): affected gives up (None) after looking at LIMIT+1 of the quads
    that point at s1, not all 20,000."""
    store = _store(20_000)
    (tmp_path / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    shapes = to_shapes(tmp_path / "shapes.ttl")
    shapes._split = slices.sparql.split(shapes)
    shared = tmp_path / "shared.nt"
    shared.write_text(f'<{EX}s1> <{EX}label> "c" .\n', encoding="utf-8")
    seen = 0
    quads = store.quads_for_pattern

    class Counting:
        def quads_for_pattern(self, *pattern):
            nonlocal seen
            for q in quads(*pattern):
                seen += 1
                yield q

    assert slices.affected(Counting(), slices.Sliced(shared, [], {EX + "s1"}), shapes) is None
    assert seen <= slices.LIMIT + 10
