"""pyshacl-turbo, the fast path for large sheets, reports what pySHACL reports on every fixture."""

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.imports import check_quads, read_rdf
from imri_kg.validation import to_rdflib, validate_graph
from tests.conftest import TESTS

FIXTURES = sorted((TESTS / "data" / "shapes").glob("*/*.ttl"))


def _key(report):
    return sorted((r.focus, r.path or "", r.shape, r.severity, r.value or "", r.message) for r in report.results)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_results_on_shape_fixtures(kb, path: Path):
    quads = read_rdf(path)
    focus = list(dict.fromkeys(q.subject for q in quads if isinstance(q.subject, NamedNode)))
    assert _key(check_quads(kb, quads, focus, engine="turbo")) == _key(check_quads(kb, quads, focus,
                                                                                      engine="pyshacl"))


def test_same_results_on_the_mixed_sheet(kb):
    sheet = read_coding_sheet(TESTS / "data" / "sheets" / "coded-evidence-mixed.csv", store=kb)
    fast = check_quads(kb, sheet.quads, sheet.evidence, engine="turbo")
    assert len(fast.results) == 13
    assert _key(fast) == _key(check_quads(kb, sheet.quads, sheet.evidence, engine="pyshacl"))


def test_same_results_on_the_whole_knowledge_base(kb):
    data = to_rdflib(kb)
    fast = validate_graph(data, engine="turbo")
    assert len(fast.warnings) == 3
    assert _key(fast) == _key(validate_graph(data, engine="pyshacl"))
