"""The `list` views: the main kinds of record, each with its label and IRI."""

from pyoxigraph import QuerySolutions, Store

from imri_kg.errors import InputError
from imri_kg.questions import run

LISTS = {
    "themes": """SELECT ?label ?domain ?iri WHERE { ?iri a imri:Theme ; skos:prefLabel ?label ;
                   imri:cfirDomain/skos:prefLabel ?domain } ORDER BY ?domain ?label""",
    "groups": """SELECT ?number ?label ?synthesised ?iri WHERE { ?iri a imri:InnovationGroup ; skos:prefLabel ?label ;
                   imri:synthesised ?synthesised OPTIONAL { ?iri imri:number ?number } }
                 ORDER BY DESC(?synthesised) ?number ?label""",
    "impacts": """SELECT ?category ?label ?scope ?iri WHERE { ?iri a imri:Impact ; skos:prefLabel ?label ;
                   imri:category ?c . ?c skos:prefLabel ?category ; imri:order ?o
                   OPTIONAL { ?iri imri:scope/skos:prefLabel ?stated }
                   OPTIONAL { SELECT ?iri (GROUP_CONCAT(?p; separator=" or ") AS ?possible) WHERE {
                     { SELECT ?iri ?p WHERE { ?iri imri:possibleScope/skos:prefLabel ?p } ORDER BY ?p } } GROUP BY ?iri }
                   BIND(COALESCE(?stated, ?possible) AS ?scope) }
                 ORDER BY ?o ?label""",
    "categories": """SELECT ?order ?label ?iri WHERE { ?iri a imri:ImpactCategory ; skos:prefLabel ?label ;
                      imri:order ?order } ORDER BY ?order""",
    "sites": """SELECT ?label ?province ?innovation ?status ?iri WHERE { ?iri a imri:Site ; rdfs:label ?label ;
                  imri:province ?province . ?i imri:site ?iri ; a imri:RecoveryInnovation ;
                  imri:innovationType/skos:prefLabel ?innovation ; imri:implementationStatus ?status }
                ORDER BY ?label""",
    "studies": """SELECT ?label ?kind ?doi ?iri WHERE { ?iri a ?k ; rdfs:label ?label ; bibo:doi ?doi .
                    VALUES ?k { imri:Review imri:PrimaryStudy } ?k rdfs:label ?kind } ORDER BY ?label""",
}


def list_items(store: Store, kind: str) -> QuerySolutions:
    if kind not in LISTS:
        raise InputError(f'cannot list "{kind}"; choose one of {", ".join(LISTS)}.')
    return run(store, LISTS[kind])  # type: ignore[return-value]
