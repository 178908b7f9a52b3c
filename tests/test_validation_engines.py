"""pyshacl-turbo, the fast path for large sheets, reports what pySHACL reports on every fixture."""

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.namespace import SH

from imri_kg.importers.coding_sheet import read_coding_sheet
from imri_kg.imports import check_quads, read_rdf
from imri_kg.validation import to_rdflib, validate_graph
from tests.conftest import TESTS

SHEETS = TESTS / "data" / "sheets"
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


def test_batched_turbo_gives_the_results_of_one_pyshacl_pass(kb):
    """The mixed sheet checked in batches of 5 records equals one pySHACL pass over all of it."""
    from imri_kg.imports import context_quads
    from imri_kg.validation import validate_records

    sheet = read_coding_sheet(SHEETS / "coded-evidence-mixed.csv", store=kb)
    batched = validate_records(context_quads(kb), sheet.quads, sheet.evidence, engine="turbo", batch=5)
    reference = check_quads(kb, sheet.quads, sheet.evidence, engine="pyshacl")
    assert _key(batched) == _key(reference)
    assert (len(batched.violations), len(batched.warnings)) == (12, 1)
    reports = list(batched.graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert len(list(batched.graph.objects(reports[0], SH.result))) == 13
