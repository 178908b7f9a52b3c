"""A DOI that several records carry resolves to the same record whatever order the store gives them in
(importers/labels.py): the mixed sheet's DOI of Piat 2022 is carried by the knowledge base's study, by the review
project and by the project's own study, and a store reloaded from its own dump resolved it to the project, which
is no study (8 false 'Say which study' violations in the web checker)."""

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from imri_kg.importers.labels import to_vocabularies

EX = "http://example.org/fictional/"
ONTOLOGY = """@prefix imri: <https://w3id.org/imri/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
imri:PrimaryStudy rdfs:subClassOf imri:Study ."""
RECORDS = [f'<{EX}project/p> <http://purl.org/ontology/bibo/doi> "10.1/X" .',
           f'<{EX}project/p/study/s> a <https://w3id.org/imri/ontology#Study> ; <http://purl.org/ontology/bibo/doi> "10.1/x" .',
           f'<{EX}study/s> a <https://w3id.org/imri/ontology#PrimaryStudy> ; <http://purl.org/ontology/bibo/doi> "https://doi.org/10.1/x" .']


def _resolved(order: list[str]) -> str:
    store = Store()
    store.extend(parse(ONTOLOGY.encode(), format=RdfFormat.TURTLE))
    for i, record in enumerate(order):  # each in a graph of its own, added in this order
        store.extend(Quad(t.subject, t.predicate, t.object, NamedNode(f"{EX}graph/{i}"))
                     for t in parse(record.encode(), format=RdfFormat.TURTLE))
    return to_vocabularies(store).dois["10.1/x"]


def test_a_doi_of_several_records_is_the_shortest_study_s_in_any_order():
    assert {_resolved(order) for order in (RECORDS, RECORDS[::-1], RECORDS[1:] + RECORDS[:1])} == {f"{EX}study/s"}
