"""The dataset description (VoID + DCAT) conforms to shapes/release/dcat-void.ttl: creators are agents, versions
are datasets with IRIs, every distribution has its access and download URL, the endpoint is a data service."""

import pyshacl
import pytest
import rdflib
from pyoxigraph import RdfFormat, Store, serialize

from imri_kg.kb.build import build_store
from imri_kg.publish.description import to_description
from imri_kg.resources import SHAPES_DIR

B = "https://w3id.org/imri/"
FILES = {"data/imri-kg.ttl": "text/turtle", "README.md": "text/markdown"}
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
SHAPES = rdflib.Graph().parse(SHAPES_DIR / "release" / "dcat-void.ttl")


@pytest.fixture(scope="module")
def store() -> Store:
    return build_store()


def described(store: Store, **options) -> rdflib.Graph:
    triples = to_description(store, base=B, version="0.1.0", issued="2026-11-21", files=FILES, **options)
    return rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")


def violations(graph: rdflib.Graph) -> set[tuple[str, str, str]]:
    _, report, _ = pyshacl.validate(graph, shacl_graph=SHAPES)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return {(str(report.value(r, sh.focusNode)), str(report.value(r, sh.resultPath)), str(report.value(r, sh.resultMessage)))
            for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)}


def test_the_description_conforms(store):
    assert violations(described(store, endpoint="https://example.org/sparql")) == set()


def test_creators_versions_and_urls_are_iris(store):
    g = described(store, endpoint="https://example.org/sparql")
    ds, version = rdflib.URIRef(B + "dataset"), rdflib.URIRef(B + "dataset/0.1.0")
    creator = g.value(ds, DCTERMS.creator)
    assert creator == rdflib.URIRef(B + "dataset#creators") and (creator, rdflib.RDF.type, FOAF.Agent) in g
    assert str(g.value(creator, FOAF.name)) == "imri-kg contributors"
    assert set(g.objects(ds, DCTERMS.hasVersion)) == set(g.objects(ds, DCAT.hasVersion)) == {version}
    assert (version, DCAT.isVersionOf, ds) in g and str(g.value(version, DCAT.version)) == "0.1.0"
    for name in FILES:
        dist = rdflib.URIRef(f"{B}dataset/distribution/{name}")
        assert g.value(dist, DCAT.accessURL) == g.value(dist, DCAT.downloadURL) == rdflib.URIRef(
            f"{B}dataset/files/{name}")
    service = rdflib.URIRef(B + "dataset#sparql")
    assert g.value(service, DCAT.endpointURL) == rdflib.URIRef("https://example.org/sparql")
    assert g.value(service, DCAT.servesDataset) == ds


def test_the_shapes_refuse_a_literal_creator_and_a_missing_access_url(store):
    g = described(store)
    ds, dist = rdflib.URIRef(B + "dataset"), rdflib.URIRef(f"{B}dataset/distribution/README.md")
    g.remove((ds, DCTERMS.creator, None))
    g.add((ds, DCTERMS.creator, rdflib.Literal("imri-kg contributors")))
    g.remove((dist, DCAT.accessURL, None))
    assert violations(g) == {
        (B + "dataset", str(DCTERMS.creator), "The creator is an agent (foaf:Agent) named by an IRI, not a literal."),
        (str(dist), str(DCAT.accessURL), "A distribution needs dcat:accessURL (DCAT-AP: mandatory), an IRI.")}
