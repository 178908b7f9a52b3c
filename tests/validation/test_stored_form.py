"""New records are validated in the form Oxigraph's store will hold them (validation/records.py `stored_form`)."""

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple

from imri_kg.validation.records import stored_form

X = "http://www.w3.org/2001/XMLSchema#"
S, P, G = BlankNode("row1"), NamedNode("http://example.org/p"), NamedNode("http://example.org/g")


def _typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(X + datatype))


def test_each_literal_is_written_as_the_store_holds_it():
    written = [_typed(v, t) for v, t in [("2.50", "decimal"), ("01", "integer"), ("1", "boolean"), ("0", "boolean"),
                                         ("1.0E0", "double"), ("2020-01-01T00:00:00+00:00", "dateTime"),
                                         ("05", "int"), ("2020-01-01T00:00:00Z", "dateTimeStamp"),
                                         ("abc", "integer"), ("x", "string")]]
    quads = [Quad(S, P, o, G) for o in written]
    store = Store()
    for q in quads:
        store.add(q)
        held = [h.object for h in store]
        assert stored_form([q]) == [Quad(S, P, held[0], G)], q
        store.clear()
    assert [q.object for q in stored_form(quads)] == [
        _typed("2.5", "decimal"), _typed("1", "integer"), _typed("true", "boolean"), _typed("false", "boolean"),
        _typed("1", "double"), _typed("2020-01-01T00:00:00Z", "dateTime"), _typed("5", "integer"),
        _typed("2020-01-01T00:00:00Z", "dateTime"), _typed("abc", "integer"), Literal("x")]


def test_canonical_quads_are_given_back_as_they_are():
    quads = [Quad(S, P, _typed("2.5", "decimal")), Quad(S, P, Literal("a", language="en")), Quad(S, P, S)]
    assert stored_form(quads) is quads


def test_an_ill_formed_literal_is_not_made_a_well_formed_one():
    """Oxigraph stores "300"^^xsd:byte (out of range) as "300"^^xsd:integer and a dateTimeStamp without a time
    zone as an xsd:dateTime: SHACL must still report them as ill-formed (W3C core/property/datatype-ill-formed), so
    they stay as written; values in range are the store's."""
    kept = [_typed("300", "byte"), _typed("-1", "nonNegativeInteger"), _typed("0", "positiveInteger"),
            _typed("2020-01-01T00:00:00", "dateTimeStamp"), _typed("4294967296", "unsignedInt")]
    assert stored_form([Quad(S, P, o) for o in kept]) == [Quad(S, P, o) for o in kept]
    fine = [_typed("+127", "byte"), _typed("-0", "nonNegativeInteger"), _typed("4294967295", "unsignedInt")]
    assert [q.object for q in stored_form([Quad(S, P, o) for o in fine])] == [
        _typed("127", "integer"), _typed("0", "integer"), _typed("4294967295", "integer")]


def test_retyped_names_the_shapes_datatypes_the_store_keeps_as_another():
    """RETYPED is what Oxigraph does: each valid value of those datatypes comes back from the store retyped."""
    from imri_kg.validation import Shapes
    from imri_kg.validation.records import RETYPED, retyped

    sh = "http://www.w3.org/ns/shacl#"
    shape = BlankNode("s")
    shapes = Shapes.of([Triple(shape, NamedNode(sh + "datatype"), NamedNode(X + t))
                        for t in ("int", "integer", "dateTimeStamp", "string")])
    assert retyped(shapes) == [X + "dateTimeStamp", X + "int"]
    assert len(RETYPED) == 13
    valid = {"dateTimeStamp": "2020-01-01T00:00:00Z", "negativeInteger": "-5", "nonPositiveInteger": "-5"}
    store = Store()
    store.extend(Quad(NamedNode(f"http://example.org/{i}"), P, Literal(valid.get(t.removeprefix(X), "5"),
                                                                       datatype=NamedNode(t)))
                 for i, t in enumerate(RETYPED))
    assert sorted(q.object.datatype.value for q in store) == sorted(RETYPED.values())
