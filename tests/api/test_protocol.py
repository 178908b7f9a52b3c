"""The update dataset of the SPARQL 1.1 Protocol written into the update as USING clauses (api/protocol.py)."""

import pytest
from pyoxigraph import NamedNode, Quad, Store

from imri_kg.api.protocol import DatasetConflict, with_using

EX = "https://example.org/fictional/"


def test_every_delete_insert_operation_gets_the_dataset_and_nothing_else_does():
    update = ("DELETE WHERE { ?a ?b ?c } ;\n"
              "INSERT { ?s ?p 'WHERE' } WHERE { ?s ?p ?o # WHERE USING WITH\n} ;\n"
              "INSERT DATA { <x:a> <x:where> <x:b> } ;\n"
              "delete { ?s ?p ?o } insert { ?s ?p 1 } where { ?s ?p ?o FILTER(?where) }")
    out = with_using(update, default_graphs=[EX + "g1", EX + "g2"], named_graphs=[EX + "n"])
    clauses = f"USING <{EX}g1> USING <{EX}g2> USING NAMED <{EX}n> "
    assert out == ("DELETE WHERE { ?a ?b ?c } ;\n"
                   f"INSERT {{ ?s ?p 'WHERE' }} {clauses}WHERE {{ ?s ?p ?o # WHERE USING WITH\n}} ;\n"
                   "INSERT DATA { <x:a> <x:where> <x:b> } ;\n"
                   f"delete {{ ?s ?p ?o }} insert {{ ?s ?p 1 }} {clauses}where {{ ?s ?p ?o FILTER(?where) }}")
    assert out.count("\n") == update.count("\n")


def test_no_dataset_leaves_the_update_as_it_is():
    assert with_using("WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=[], named_graphs=[]) \
        == "WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("update", ["WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                    "DELETE { ?s ?p ?o } USING <x:g> WHERE { ?s ?p ?o }",
                                    "INSERT { ?s ?p ?o } using named <x:g> WHERE { GRAPH ?g { ?s ?p ?o } }"])
def test_an_update_with_its_own_dataset_conflicts(update):
    with pytest.raises(DatasetConflict, match="section 2.2.3"):
        with_using(update, default_graphs=[], named_graphs=[EX + "n"])


def test_a_graph_that_is_no_iri_is_refused():
    with pytest.raises(ValueError):
        with_using("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=["not an iri"], named_graphs=[])


def test_the_rewritten_update_reads_only_the_named_dataset():
    store = Store()
    for g in ("g1", "g2"):
        store.add(Quad(NamedNode(EX + g), NamedNode(EX + "p"), NamedNode(EX + "o"), NamedNode(EX + g)))
    update = f"INSERT {{ GRAPH <{EX}out> {{ ?s <{EX}seen> true }} }} WHERE {{ ?s ?p ?o }}"
    store.update(with_using(update, default_graphs=[EX + "g1"], named_graphs=[]))
    seen = {q.subject.value for q in store.quads_for_pattern(None, NamedNode(EX + "seen"), None, None)}
    assert seen == {EX + "g1"}
