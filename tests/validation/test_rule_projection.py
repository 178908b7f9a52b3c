"""SHACL-SPARQL rules against pySHACL (issue 13, item 1), found by a breaker (break13d):
- a rule whose SELECT does not project $this is run with $this pre-bound (validation/sparql.py `projecting_this`
  adds it), also when the SELECT clause is `*` (`SELECT $this *` is not SPARQL: the shapes were refused, exit 2);
- a rule of a property shape, or of a node shape that another shape names (shacl-rust runs both), has the
  message a node shape's rule has: its own sh:message,
  else its shape's, else none (shacl-rust's own text was given).
"""

from tests.validation.test_rule_edges import EX, _files, _results

# A record of class ex:C needs an ex:p; $this is only read inside the FILTER, so `*` does not project it.
STAR = """
    ex:NeedsP a sh:NodeShape ; sh:targetClass ex:C ; sh:message "A record needs an ex:p." ;
      sh:sparql [ sh:select "SELECT * WHERE { FILTER NOT EXISTS { $this <http://example.org/fictional/p> ?v } }" ] ."""


def test_a_select_star_without_this_is_run_pre_bound(tmp_path):
    data, shapes = _files(tmp_path, STAR, "ex:a a ex:C ; ex:p 1 . ex:b a ex:C .")
    expected = [(f"{EX}b", f"{EX}b", f"{EX}NeedsP", "Violation", "A record needs an ex:p.")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected


# A SPARQL rule on a property shape ($PATH is the shape's path), which shacl-rust runs.
ON_PATH = """
    ex:Small a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:SmallP .
    ex:SmallP sh:path ex:p ;{message}
      sh:sparql [ sh:select "SELECT $this ?value WHERE {{ $this $PATH ?value . FILTER (?value > 3) }}" ] ."""


def test_a_property_shape_s_rule_has_its_shape_s_message(tmp_path):
    """SHACL 2.1.5 / 5.3.2: no sh:message on the rule, so the property shape's (pySHACL). The product gave
    shacl-rust's own text, "SPARQL SELECT constraint violation"."""
    data, shapes = _files(tmp_path, ON_PATH.format(message=' sh:message "ex:p is at most 3." ;'),
                          "ex:a a ex:C ; ex:p 5 . ex:b a ex:C ; ex:p 1 .")
    expected = [(f"{EX}a", "5", f"{EX}SmallP", "Violation", "ex:p is at most 3.")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected


def test_a_property_shape_s_rule_without_any_message_has_none(tmp_path):
    """No sh:message on the rule nor on its shape: no message (pySHACL's), as for the rules of node shapes."""
    data, shapes = _files(tmp_path, ON_PATH.format(message=""), "ex:a a ex:C ; ex:p 5 . ex:b a ex:C ; ex:p 1 .")
    expected = [(f"{EX}a", "5", f"{EX}SmallP", "Violation", "")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected


def test_a_rule_of_a_node_shape_that_another_shape_names_has_its_shape_s_message(tmp_path):
    """ex:SmallNode has a target of its own and is also named by ex:Other's sh:not (ex:Other targets ex:D, of which
    there is none), so shacl-rust runs its rule: the result for ex:a must carry ex:SmallNode's sh:message
    (pySHACL); the product gave "SPARQL SELECT constraint violation"."""
    data, shapes = _files(tmp_path, """
        ex:SmallNode a sh:NodeShape ; sh:targetClass ex:C ; sh:message "ex:p is at most 3." ;
          sh:sparql [ sh:select "SELECT $this ?value WHERE { $this ex:p ?value . FILTER (?value > 3) }" ;
                      sh:prefixes ex: ] .
        ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/fictional/" ] .
        ex:Other a sh:NodeShape ; sh:targetClass ex:D ; sh:not ex:SmallNode .""", "ex:a a ex:C ; ex:p 5 .")
    expected = [(f"{EX}a", "5", f"{EX}SmallNode", "Violation", "ex:p is at most 3.")]
    assert _results(data, shapes, "pyshacl") == expected
    assert _results(data, shapes) == expected
