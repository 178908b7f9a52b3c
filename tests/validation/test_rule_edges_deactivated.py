"""A deactivated shape is ignored (SHACL 2.1.5), its SPARQL query too: a reviewer switches off a rule that does not
work yet with sh:deactivated true. validation/sparql.py reads every sh:select up front and refused the whole shapes
graph for the deactivated one; a deactivated property shape was still checked. Found by a breaker (break13d;
issue 13, item 1).
"""

from tests.validation.test_rule_edges import EX, _files, _results

SHAPES = """
    ex:Later a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
      sh:sparql [ sh:select "SELECT $this WHERE { $this ex:undeclared ?v }" ] .
    ex:Now a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:NoP .
    ex:NoP sh:path ex:p ; sh:maxCount 0 ; sh:message "No ex:p yet." ."""


def test_a_deactivated_shape_s_unreadable_query_is_ignored(tmp_path):
    data, shapes = _files(tmp_path, SHAPES, "ex:a a ex:C ; ex:p 1 .")
    expected = [(f"{EX}a", None, f"{EX}NoP", "Violation", "No ex:p yet.")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected


def test_a_deactivated_property_shape_is_ignored(tmp_path):
    """The property shape ex:TwoP is deactivated: ex:a's single ex:p is not reported (pySHACL). The product
    reported "Property has 1 values (min: 2)"."""
    data, shapes = _files(tmp_path, """
        ex:Shape a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:TwoP .
        ex:TwoP sh:path ex:p ; sh:minCount 2 ; sh:deactivated true .""", "ex:a a ex:C ; ex:p 5 .")
    assert _results(data, shapes, "pyshacl") == []
    assert _results(data, shapes) == []
