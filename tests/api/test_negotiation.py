"""Choosing a media type from Accept (RFC 9110, section 12.5.1)."""

import pytest

from imri_kg.api.negotiation import GRAPH_TYPES, RESULTS_TYPES, NotAcceptable, choose, from_format

RESULTS = list(RESULTS_TYPES)


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/*", "text/csv"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values, */*;q=0.1", "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
])
def test_choose(accept, expected):
    assert choose(accept, RESULTS) == expected


def test_not_acceptable():
    with pytest.raises(NotAcceptable):
        choose("image/png", RESULTS)
    with pytest.raises(NotAcceptable):
        choose("text/turtle", RESULTS)
    with pytest.raises(NotAcceptable):
        from_format("csv", list(GRAPH_TYPES))
    assert from_format("jsonld", list(GRAPH_TYPES)) == "application/ld+json"


def test_a_header_worked_out_once_gives_the_same_answer_again_and_per_offer():
    """Short headers are remembered (negotiation.py); the answer depends on the header and the offer alone."""
    accept = "text/csv;q=0.5, application/sparql-results+xml"
    long_accept = accept + ", " + ", ".join(f"image/x-{i};q=0.1" for i in range(40))  # past the remembered size
    assert len(long_accept) > 256
    for _ in range(3):
        assert choose(accept, RESULTS) == choose(long_accept, RESULTS) == "application/sparql-results+xml"
        assert choose("text/*", RESULTS) == "text/csv" and choose("text/*", list(GRAPH_TYPES)) == "text/turtle"
        with pytest.raises(NotAcceptable):
            choose("text/turtle", RESULTS)
