"""The dataset description: VoID statistics and DCAT metadata, with PROV links to the source papers."""

import hashlib

from pyoxigraph import Literal, NamedNode, Store, Triple

from imri_kg.namespaces import DCTERMS, PREFIXES, PROV, RDF, RDFS, XSD, _Namespace
from imri_kg.questions import rows, run

VOID = _Namespace("http://rdfs.org/ns/void#")
DCAT = _Namespace("http://www.w3.org/ns/dcat#")
FOAF = _Namespace("http://xmlns.com/foaf/0.1/")
CC_BY = NamedNode("https://creativecommons.org/licenses/by/4.0/")

TITLE = "imri-kg: evidence on implementing mental-health recovery into services"
DESCRIPTION = ("A knowledge graph of two open-access papers: Table 5 and the innovation groups and themes of Piat et "
               "al. 2021 (a systematic mixed studies review), and the IMRI framework, sites, participants, interview "
               "guide and quotes of Piat et al. 2022. Every record links to the table or section it was read from.")
EXAMPLES = ("theme/interpersonal-relationships", "evidence/table5/peer-workers/information-gaps",
            "impact/changing-mindset", "site/manitoba-1")

COUNTS = """
SELECT ?kind ?term (COUNT(*) AS ?n) WHERE {
  { ?s a ?term BIND("class" AS ?kind) } UNION { ?s ?term ?o BIND("property" AS ?kind) }
} GROUP BY ?kind ?term ORDER BY ?kind ?term
"""
PAPERS = "SELECT ?paper ?doi WHERE { ?paper bibo:doi ?doi ; a ?k VALUES ?k { imri:Review imri:PrimaryStudy } } ORDER BY ?doi"


def to_description(store: Store, *, base: str, version: str, issued: str, files: dict[str, str],
                   endpoint: str | None = None) -> list[Triple]:
    """VoID + DCAT triples describing the dataset in `store`; `files` maps file names to media types."""
    ds = NamedNode(f"{base}dataset")
    out: list[Triple] = []

    def add(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        out.append(Triple(s, p, o))

    for cls in (VOID.Dataset, DCAT.Dataset, PROV.Entity):
        add(ds, RDF.type, cls)
    add(ds, DCTERMS.title, Literal(TITLE, language="en"))
    add(ds, DCTERMS.description, Literal(DESCRIPTION, language="en"))
    creators = NamedNode(f"{base}dataset#creators")  # an agent, described here (DCAT 3, section 6.3)
    add(ds, DCTERMS.creator, creators)
    for cls in (FOAF.Agent, PROV.Agent):
        add(creators, RDF.type, cls)
    add(creators, FOAF.name, Literal("imri-kg contributors"))
    add(ds, DCTERMS.license, CC_BY)
    release = NamedNode(f"{base}dataset/{version}")  # this version of the dataset (DCAT 3, section 11)
    add(ds, DCAT.version, Literal(version))
    add(ds, DCTERMS.hasVersion, release)
    add(ds, DCAT.hasVersion, release)
    add(release, RDF.type, DCAT.Dataset)
    add(release, DCTERMS.title, Literal(f"{TITLE}, version {version}", language="en"))
    add(release, DCAT.isVersionOf, ds)
    add(release, DCAT.version, Literal(version))
    add(release, DCTERMS.issued, Literal(issued, datatype=XSD.date))
    add(ds, RDFS.comment, Literal("Data read from the papers are CC BY 4.0, attributed to the papers' authors.",
                                  language="en"))
    add(ds, DCTERMS.issued, Literal(issued, datatype=XSD.date))
    add(ds, VOID.uriSpace, Literal(base))
    add(ds, VOID.triples, Literal(str(len({q.triple for q in store})), datatype=XSD.integer))
    add(ds, VOID.vocabulary, NamedNode("https://w3id.org/imri/ontology#"))
    for example in EXAMPLES:
        add(ds, VOID.exampleResource, NamedNode(base + example))
    for r in rows(run(store, PAPERS)):  # type: ignore[arg-type]
        add(ds, PROV.wasDerivedFrom, NamedNode(r["paper"]))
        add(NamedNode(r["paper"]), DCTERMS.identifier, Literal("https://doi.org/" + r["doi"]))
    classes = properties = 0
    for r in rows(run(store, COUNTS)):  # type: ignore[arg-type]
        part = NamedNode(f"{base}dataset/{r['kind']}-partition/{_curie_slug(r['term'])}")
        if r["kind"] == "class":
            add(ds, VOID.classPartition, part)
            add(part, NamedNode(VOID.iri + "class"), NamedNode(r["term"]))
            add(part, VOID.entities, Literal(r["n"], datatype=XSD.integer))
            classes += 1
        else:
            add(ds, VOID.propertyPartition, part)
            add(part, VOID.property, NamedNode(r["term"]))
            add(part, VOID.triples, Literal(r["n"], datatype=XSD.integer))
            properties += 1
    add(ds, VOID.classes, Literal(str(classes), datatype=XSD.integer))
    add(ds, VOID.properties, Literal(str(properties), datatype=XSD.integer))
    if endpoint:
        add(ds, VOID.sparqlEndpoint, NamedNode(endpoint))
        service = NamedNode(f"{base}dataset#sparql")
        add(service, RDF.type, DCAT.DataService)
        add(service, DCTERMS.title, Literal("SPARQL endpoint of imri-kg", language="en"))
        add(service, DCAT.endpointURL, NamedNode(endpoint))
        add(service, DCAT.endpointDescription, NamedNode(endpoint))  # GET gives its Service Description
        add(service, DCAT.servesDataset, ds)
    for name, media_type in sorted(files.items()):
        dist = NamedNode(f"{base}dataset/distribution/{name}")
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCAT.downloadURL, NamedNode(f"{base}dataset/files/{name}"))
        add(dist, DCAT.accessURL, NamedNode(f"{base}dataset/files/{name}"))  # DCAT-AP: the same as downloadURL
        add(dist, DCAT.mediaType, NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}"))
        add(dist, DCTERMS.license, CC_BY)
        if media_type.startswith(("text/turtle", "application/")) and name.startswith("data/"):
            add(ds, VOID.dataDump, NamedNode(f"{base}dataset/files/{name}"))
    return out



def _curie_slug(iri: str) -> str:
    """A readable, unique path segment for a term: 'skos-prefLabel', or a hash for unknown namespaces."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and iri[len(namespace):].isidentifier():
            return f"{prefix}-{iri[len(namespace):]}"
    return "term-" + hashlib.sha1(iri.encode()).hexdigest()[:12]
