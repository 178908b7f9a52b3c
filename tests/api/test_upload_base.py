"""An uploaded RDF file's relative IRIs are read against `{base}upload/NAME` (api/uploads.py `upload_iri`): the
same on every upload, naming no folder of the server; the name the client gave, percent-encoded."""

from pyoxigraph import Store

from imri_kg.api.uploads import _check_one, upload_iri

BASE = "https://example.org/kb/"
DATA = b"<> a <https://w3id.org/imri/ontology#Theme> .\n<part/one> a <https://w3id.org/imri/ontology#Theme> .\n"


def test_the_upload_iri_is_under_the_base_by_the_name():
    assert upload_iri("my themes.ttl", base=BASE) == "https://example.org/kb/upload/my%20themes.ttl"
    assert upload_iri("t.ttl", base="https://example.org/kb") == "https://example.org/kb/upload/t.ttl"


def test_relative_iris_resolve_against_it():
    kind, checked = _check_one(Store(), "my themes.ttl", DATA, base=BASE)
    assert kind == "ok"
    assert sorted({q.subject.value for q in checked.quads}) == [
        "https://example.org/kb/upload/my%20themes.ttl", "https://example.org/kb/upload/part/one"]
