"""The closed IMRI namespace and the ontology declare the same terms."""

import pytest

from imri_kg.namespaces import IMRI
from tests.conftest import select


def test_closed_namespace_matches_the_ontology(kb):
    declared = {r["t"].removeprefix(IMRI.iri) for r in select(kb, """SELECT ?t WHERE {
        ?t a ?k VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty } FILTER(STRSTARTS(STR(?t), STR(imri:))) }""")}
    assert declared == set(IMRI.terms)


def test_unknown_term_fails_at_once():
    with pytest.raises(AttributeError):
        IMRI.Themes  # noqa: B018
