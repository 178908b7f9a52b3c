"""A breaker's cases (break13f) for slices.affected / _rules (commit 8eec999): a file adding triples about stored
nodes must give check_file the report of the whole-graph reference (validate_records with the store's quads as a
list, never sliced). Each case was worked by hand; the data are test IRIs (ex:), not claims about the sources."""


from tests.validation.test_changed_nodes import EX, _check  # the same check: sliced report and whole run's

FORWARD_RULE = """ex:S a sh:NodeShape ; sh:targetClass ex:Super ; sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "a labelled super" ;
    sh:select "SELECT $this ?value WHERE { $this <http://ex.org/label> ?value }" ] ."""


def test_a_new_superclass_makes_a_stored_instance_a_focus_node_of_a_forward_rule(tmp_path):
    """The file says ex:Sub rdfs:subClassOf ex:Super: the stored x1 (an ex:Sub, labelled "a") becomes a focus node
    of the rule, which reads only ex:label forwards. Expected (whole run): one result, x1 with value "a" (the store
    alone gives none: x1 is no ex:Super there). Got on 8eec999: no result. x1 is `fresh` (the walk back along
    rdf:type), but the rule does not read the moved rdfs:subClassOf, so _rules runs it as a forward rule and counts
    its results about fresh nodes as what the store alone gives (`alone`), computed WITH the file: the new result
    cancels itself. A moved class hierarchy changes the rule's focus nodes, not what its query reads."""
    got, whole = _check(tmp_path, 'ex:x1 a ex:Sub ; ex:label "a" .', FORWARD_RULE,
                        "ex:Sub rdfs:subClassOf ex:Super .")
    assert whole == [(f"<{EX}x1>", None, '"a"', "SPARQLConstraintComponent")]
    assert got == whole


ABSENT_RULE = """ex:Super a sh:NodeShape, rdfs:Class ; sh:sparql [ a sh:SPARQLConstraint ; sh:message "no ex:r" ;
    sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <http://ex.org/r> ?z } }" ] ."""


def test_a_new_superclass_makes_a_stored_instance_break_an_implicit_class_targets_rule(tmp_path):
    """The random case of seed 562 (break13f's rule fuzzer), made small: the shape ex:Super is also a class
    (implicit class target); the file says ex:Sub rdfs:subClassOf ex:Super. The stored x1 (an ex:Sub without ex:r)
    becomes a focus node and breaks the rule; x2 has ex:r. Expected (whole run): one result about x1 (value x1,
    the rule's $this). Got on 8eec999: none (same cause as the test above)."""
    got, whole = _check(tmp_path, "ex:x1 a ex:Sub . ex:x2 a ex:Sub ; ex:r ex:x1 .", ABSENT_RULE,
                        "ex:Sub rdfs:subClassOf ex:Super .")
    assert whole == [(f"<{EX}x1>", None, f"<{EX}x1>", "SPARQLConstraintComponent")]
    assert got == whole
