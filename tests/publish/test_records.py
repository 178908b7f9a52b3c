"""records/<path>.ttl and .html: each record IRI has its own description in the release (publish/records.py)."""

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from imri_kg.kb.build import build_store
from imri_kg.publish.records import to_record_paths, write_records

B = "https://w3id.org/imri/"


@pytest.fixture(scope="module")
def store():
    return build_store()


def test_one_turtle_and_one_page_per_record(store, tmp_path):
    paths = to_record_paths(store, base=B)
    written = write_records(store, tmp_path, base=B)
    assert len(written) == 2 * len(paths)
    assert {"theme/staff-turnover", "group/peer-workers", "site/quebec"} <= set(paths)
    assert "ontology" not in paths and not any("#" in p or ".." in p for p in paths)
    assert len(paths) == len({q.subject.value for q in store if isinstance(q.subject, NamedNode)
                              and q.subject.value.startswith(B) and "#" not in q.subject.value}) - 1  # less ontology


def test_a_record_holds_its_own_triples_and_those_that_point_at_it(store, tmp_path):
    write_records(store, tmp_path, base=B)
    node = NamedNode(B + "theme/staff-turnover")
    expected = {q.triple for q in store.quads_for_pattern(node, None, None, None)} | {
        q.triple for q in store.quads_for_pattern(None, None, node, None)}
    read = {q.triple for q in parse(path=str(tmp_path / "theme" / "staff-turnover.ttl"), format=RdfFormat.TURTLE)}
    assert read == expected
    page = (tmp_path / "theme" / "staff-turnover.html").read_text(encoding="utf-8")
    assert "<title>Staff turnover</title>" in page and f'href="{B}group/staff-training"' in page
