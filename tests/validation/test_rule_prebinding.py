"""SHACL-SPARQL rules whose $this is read before a triple pattern binds it: SHACL pre-binds $this (Appendix A),
so a BIND or a FILTER that reads it sees the focus node wherever it stands. validation/sparql.py runs a query once
with $this unbound when every solution binds $this through a triple pattern (`binds_this_everywhere`); a BIND placed
before that pattern then reads an unbound $this. Found by a breaker (break13d; issue 13, item 1).
"""

from tests.validation.test_rule_edges import EX, _files, _results

# The length of the focus node's IRI, bound before the pattern that binds $this; "http://example.org/fictional/alpha"
# has 34 characters.
LONG = """
    ex:Long a sh:NodeShape ; sh:targetClass ex:C ; sh:message "IRI of {?value} characters" ;
      sh:sparql [ sh:select \"\"\"SELECT $this ?value WHERE {
          BIND (STRLEN(STR($this)) AS ?value) $this <http://example.org/fictional/p> ?v . FILTER (?value > 5) }\"\"\" ] ."""


def test_a_bind_before_the_pattern_reads_the_pre_bound_focus_node(tmp_path):
    data, shapes = _files(tmp_path, LONG, "ex:alpha a ex:C ; ex:p 1 .")
    expected = [(f"{EX}alpha", "34", f"{EX}Long", "Violation", "IRI of 34 characters")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected



# A record that no reviewer reviews: the OPTIONAL reads $this before the pattern that binds it.
UNREVIEWED = """
    ex:Unreviewed a sh:NodeShape ; sh:targetClass ex:C ; sh:message "Nobody reviews this record." ;
      sh:sparql [ sh:select \"\"\"SELECT $this WHERE {
          OPTIONAL { ?r <http://example.org/fictional/reviews> $this } $this <http://example.org/fictional/p> ?v .
          FILTER (!BOUND(?r)) }\"\"\" ] ."""


def test_an_optional_before_the_pattern_reads_the_pre_bound_focus_node(tmp_path):
    """ex:a is reviewed, ex:b is not: ex:b is reported (pySHACL). With $this unbound the OPTIONAL matches ex:rev's
    review of ex:a, so ex:b's solutions (which need $this = ex:b) are gone and nothing was reported."""
    data, shapes = _files(tmp_path, UNREVIEWED, "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 2 . ex:rev ex:reviews ex:a .")
    expected = [(f"{EX}b", f"{EX}b", f"{EX}Unreviewed", "Violation", "Nobody reviews this record.")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected


# Every node reachable from the target by ex:p (itself included, SPARQL's zero-length path) is typed ex:C.
GHOST = """
    ex:Chain a sh:NodeShape ; sh:targetNode ex:ghost ; sh:message "An untyped node on the chain." ;
      sh:sparql [ sh:select \"\"\"SELECT $this ?value WHERE { $this <http://example.org/fictional/p>* ?value .
          FILTER NOT EXISTS { ?value a <http://example.org/fictional/C> } }\"\"\" ] ."""


def test_a_zero_length_path_from_a_target_node_absent_from_the_data(tmp_path):
    """sh:targetNode ex:ghost is a focus node though the data never mention it (SHACL 2.1.3.1); pre-bound, the
    zero-length path gives ex:ghost itself, which is untyped: one result (pySHACL). With $this unbound the path
    only enumerates nodes of the data graph, so ex:ghost had no solution and nothing was reported."""
    data, shapes = _files(tmp_path, GHOST, "ex:a a ex:C ; ex:p ex:b .")
    expected = [(f"{EX}ghost", f"{EX}ghost", f"{EX}Chain", "Violation", "An untyped node on the chain.")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected
