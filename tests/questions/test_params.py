"""Parameter values to RDF terms: numbers, IRIs and labels, never SPARQL text."""

import pytest
from pyoxigraph import Literal, NamedNode

from imri_kg.errors import InputError
from imri_kg.questions.params import to_term

B = "https://w3id.org/imri/"


def test_integer(kb):
    assert to_term(kb, "integer", " 4 ") == Literal("4", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    for bad in ("4.5", "four", "1) }", "", "9" * 12):
        with pytest.raises(InputError):
            to_term(kb, "integer", bad)


def test_class_values_by_iri_path_label_or_alt_label(kb):
    expected = NamedNode(B + "stakeholder-group/tenants-service-users")
    for value in (B + "stakeholder-group/tenants-service-users", "stakeholder-group/tenants-service-users",
                  "Tenants / service users", "TENANTS", "service user"):
        assert to_term(kb, "StakeholderGroup", value) == expected


def test_a_label_is_looked_up_within_the_class(kb):
    assert to_term(kb, "InnovationGroup", "Peer workers") == NamedNode(B + "group/peer-workers")
    assert to_term(kb, "InnovationType", "Peer workers") == NamedNode(B + "innovation-type/peer-workers")


def test_an_iri_of_another_class_is_refused(kb):
    with pytest.raises(InputError, match="not a known Theme"):
        to_term(kb, "Theme", B + "group/peer-workers")


def test_iri_type(kb):
    assert to_term(kb, "iri", "http://example.org/x") == NamedNode("http://example.org/x")
    for bad in ("http://example.org/x> } #", "not an iri", "<http://x>"):
        with pytest.raises(InputError):
            to_term(kb, "iri", bad)


def test_values_that_look_like_iris_but_are_not(kb):
    # Found by the schemathesis run: a scheme followed by a code point RFC 3987 forbids.
    with pytest.raises(InputError, match="not a known Theme"):
        to_term(kb, "Theme", "A:\ufff0")
    with pytest.raises(InputError, match="not an absolute IRI"):
        to_term(kb, "iri", "A:\ufff0")
