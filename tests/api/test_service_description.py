"""The Service Description at GET /sparql lists every named graph the store holds, now (api/service_description.py)."""

from pyoxigraph import NamedNode, RdfFormat, Store, parse

from tests.api.conftest import TOKEN

B = "https://w3id.org/imri/"
SD = "http://www.w3.org/ns/sparql-service-description#"
BUILT = {B + "graph/" + g for g in ("ontology", "kb", "inferred", "frameworks", "mappings/cfir2009-cfir2022",
                                    "mappings/imri-impacts-chime", "mappings/recovery-narratives-chime",
                                    "mappings/review-themes-cfir2009", "restated",
                                    # the build imports the two papers as projects (examples/), each into its family
                                    "project/piat2021/data", "project/piat2021/mappings", "project/piat2022/data")}
NAMES = f"""SELECT ?name WHERE {{ ?service <{SD}defaultDataset> ?ds . ?ds <{SD}defaultGraph> ?default ;
                                    <{SD}namedGraph> ?g . ?g a <{SD}NamedGraph> ; <{SD}name> ?name }}"""


def named_graphs(client) -> set[str]:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["vary"] == "Accept"
    store = Store()
    store.extend(parse(r.content, format=RdfFormat.TURTLE))
    return {row["name"].value for row in store.query(NAMES)}


def test_every_named_graph_of_the_store_is_listed(client):
    assert named_graphs(client) == BUILT


def test_a_graph_written_later_is_listed_too(writable):
    g = "https://example.org/fictional/graph/listed"
    put = writable.put("/store", params={"graph": g}, content=f"<{g}> <{g}> <{g}> .\n".encode(),
                       headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"})
    assert put.status_code == 201
    assert named_graphs(writable) == BUILT | {g}


def test_the_description_is_the_same_bytes_each_time(client):
    first, second = (client.get("/sparql", headers={"Accept": "application/n-triples"}).content for _ in range(2))
    assert first == second
    assert NamedNode(B + "graph/kb").value.encode() in first
