"""The build: the two papers are imported as review projects (examples/) through the project reader beside the
knowledge base, each of their records is linked to the knowledge-base record it restates (graph `restated`,
queries/kb/projects-restating-papers.rq), and the two agree fact for fact on everything both state."""

import hashlib

import pytest
from pyoxigraph import NamedNode, RdfFormat, serialize

from imri_kg.projects.loading import projects_in
from tests.conftest import select

B = "https://w3id.org/imri/"
KB, RESTATED = f"<{B}graph/kb>", f"<{B}graph/restated>"
R21, R22 = f"<{B}project/piat2021>", f"<{B}project/piat2022>"


@pytest.fixture(scope="module")
def twin(kb) -> dict[str, str]:
    """Project record -> the knowledge-base record it restates."""
    found = select(kb, f"SELECT ?r ?k WHERE {{ GRAPH {RESTATED} {{ ?r prov:alternateOf ?k }} }}")
    assert len({r["r"] for r in found}) == len(found)  # a record restates one record
    return {r["r"]: r["k"] for r in found}


def pairs(kb, sparql: str, twin: dict[str, str] | None = None) -> set[tuple[str, ...]]:
    """The rows of `sparql` as tuples; with `twin`, every project IRI read as the kb record it restates."""
    return {tuple((twin or {}).get(v, v) for v in r.values()) for r in select(kb, sparql)}


def test_the_build_imports_both_papers_as_projects(kb):
    assert projects_in(kb) == ["piat2021", "piat2022"]
    graphs = {g.value.removeprefix(B + "graph/") for g in kb.named_graphs()}
    assert {g for g in graphs if g.startswith("project/")} == {
        "project/piat2021/data", "project/piat2021/mappings", "project/piat2022/data"}
    assert "restated" in graphs


# The knowledge base's graphs as main built them before the build imported the papers as projects (commit d59357e):
# the SHA-256 of their sorted N-Quads lines (neither holds a blank node). Importing the projects changed neither, nor
# did stating the review's part of kb by examples/piat2021/views/ instead of the kb/ builders (1,530 quads); a change
# to the examples, data/ or kb/ made on purpose updates these digests. Since then: each paper is prov:wasDerivedFrom
# its project (2 quads; without them the digest is the one above, 3,868 quads 8c45976f...), so that the library
# questions read a row's project from the data.
PINNED = {"kb": (3870, "bfd84ecfe0fbfa131d9115c75751c63cd72c530069b52bd687e480eee4b16adb"),
          "inferred": (50, "73123218a48cdf44c4bc0f48c76a6e59c89dd7bc112a558afc97353e4cb8a341")}


@pytest.mark.parametrize("graph", PINNED)
def test_the_knowledge_base_is_the_graph_it_was(kb, graph):
    quads = list(kb.quads_for_pattern(None, None, None, NamedNode(B + "graph/" + graph)))
    lines = sorted((serialize(quads, format=RdfFormat.N_QUADS) or b"").splitlines())
    assert (len(lines), hashlib.sha256(b"\n".join(lines)).hexdigest()) == PINNED[graph]


# Each kind of record of the papers, counted by hand from the seeds: review Table 3's 13 themes, Table 2's 13
# innovation groups (7 synthesised, 6 other) and 70 included works, Table 5's 25 examples and their CFIR codings
# (23); the IMRI study's 4 impact categories, 19 impacts, 7 stakeholder groups, 4 innovation types, 7 sites and 24
# quotes; each paper itself (restated by its project, and the IMRI study also by the study its quotes cite).
KINDS = {"Theme": 13, "InnovationGroup": 13, "Example": 25, "ImpactCategory": 4, "Impact": 19,
         "StakeholderGroup": 7, "InnovationType": 4, "Site": 7, "Quote": 24}


@pytest.mark.parametrize(("kind", "n"), KINDS.items())
def test_every_record_of_the_papers_is_restated_once(kb, twin, kind, n):
    records = {r["x"] for r in select(kb, f"SELECT ?x WHERE {{ GRAPH {KB} {{ ?x a imri:{kind} }} }}")}
    assert len(records) == n
    restating = [r for r, k in twin.items() if k in records]
    assert len(restating) == n and {twin[r] for r in restating} == records


def test_the_works_papers_and_mappings_restated(kb, twin):
    works = {r["x"] for r in select(kb, f"SELECT ?x WHERE {{ GRAPH {KB} {{ ?x a imri:Study }} }}")}
    assert len(works) == 70 and {k for k in twin.values() if k in works} == works
    assert sorted(r for r, k in twin.items() if k.startswith(B + "study/")) == [
        B + "project/piat2021", B + "project/piat2022", B + "project/piat2022/study/piat2022"]
    mappings = [r for r in twin if "/mapping/" in r]
    assert len(mappings) == 23 and all(twin[r].startswith(B + "mapping/review-themes-cfir2009/") for r in mappings)
    # the two constructs the review added to CFIR 2009 (its project's framework_additions.csv)
    added = sorted((r.removeprefix(B), k.removeprefix(B)) for r, k in twin.items() if "/addition/" in r)
    assert added == [("project/piat2021/addition/engaging-with-stakeholders", "construct/engaging-with-stakeholders"),
                     ("project/piat2021/addition/relationships", "construct/relationships")]
    assert len(twin) == sum(KINDS.values()) + 70 + 3 + 23 + 2


def test_every_project_record_restates_one_but_the_cfir_domains(kb, twin):
    """The other way round: the codes, cases, excerpts and studies of both projects all restate a kb record but the
    four CFIR domains piat2021 files its themes under (the frameworks graph holds those; mappings.csv says so)."""
    records = {r["x"] for r in select(kb, f"""SELECT ?x WHERE {{ VALUES ?p {{ {R21} {R22} }}
        VALUES ?c {{ imri:Code imri:Case imri:CodedExcerpt imri:Study }} ?x a ?c ; imri:project ?p }}""")}
    assert sorted(x.removeprefix(B) for x in records - set(twin)) == [
        f"project/piat2021/code/cfir-{d}" for d in ("I", "III", "IV", "V")]


def test_excerpts_have_the_codes_and_cases_of_the_papers_evidence(kb, twin):
    in_kb = pairs(kb, f"""SELECT ?x ?o WHERE {{ GRAPH {KB} {{
        {{ ?x a imri:Example ; imri:theme|imri:innovationGroup ?o }} UNION
        {{ ?x a imri:Quote ; imri:impact|imri:stakeholderGroup|imri:innovationType|imri:site ?o }} }} }}""")
    in_projects = pairs(kb, f"""SELECT ?x ?o WHERE {{ VALUES ?p {{ {R21} {R22} }}
        ?x a imri:CodedExcerpt ; imri:project ?p ; imri:code|imri:case ?o }}""", twin)
    assert len(in_kb) == 25 * 2 + 24 * 3 + 4 and in_projects == in_kb


def test_excerpts_cite_what_the_papers_evidence_cites(kb, twin):
    in_kb = pairs(kb, f"""SELECT ?x ?w WHERE {{ GRAPH {KB} {{
        {{ ?x a imri:Example ; imri:citation/cito:hasCitedEntity ?w }} UNION
        {{ ?x a imri:Quote ; prov:wasDerivedFrom/dcterms:isPartOf ?w }} }} }}""")
    in_projects = pairs(kb, f"""SELECT ?x ?s WHERE {{ VALUES ?p {{ {R21} {R22} }}
        ?x a imri:CodedExcerpt ; imri:project ?p ; cito:cites ?s }}""", twin)
    assert len(in_kb) == 63 + 24 and in_projects == in_kb


def test_quotes_keep_their_attribution_as_printed(kb, twin):
    in_kb = pairs(kb, f"SELECT ?x ?a WHERE {{ GRAPH {KB} {{ ?x a imri:Quote ; imri:asPrinted ?a }} }}")
    in_project = pairs(kb, f"SELECT ?x ?a WHERE {{ ?x a imri:CodedExcerpt ; imri:project {R22} ; imri:asPrinted ?a }}",
                       twin)
    assert len(in_kb) == 24 and in_project == in_kb


def test_table_2_studies_per_group(kb, twin):
    in_kb = pairs(kb, f"SELECT ?w ?g WHERE {{ GRAPH {KB} {{ ?w a imri:Study ; imri:innovationGroup ?g }} }}")
    in_project = pairs(kb, f"SELECT ?s ?c WHERE {{ ?c a imri:Case ; imri:project {R21} ; imri:includedStudy ?s }}",
                       twin)
    assert len(in_kb) == 70 and in_project == in_kb


def test_impacts_under_their_categories(kb, twin):
    in_kb = pairs(kb, f"SELECT ?i ?c WHERE {{ GRAPH {KB} {{ ?i a imri:Impact ; imri:category ?c }} }}")
    in_project = pairs(kb, f"SELECT ?c ?p WHERE {{ ?c a imri:Code ; imri:project {R22} ; skos:broader ?p }}", twin)
    assert len(in_kb) == 19 and in_project == in_kb


def test_impact_scopes_stated_and_possible(kb, twin):
    in_kb = pairs(kb, f"""SELECT ?i ?scope WHERE {{ GRAPH {KB} {{ ?i a imri:Impact ; imri:scope|imri:possibleScope ?s }}
        BIND(REPLACE(STR(?s), "^.*/", "") AS ?scope) }}""")
    in_project = pairs(kb, f"""SELECT ?c ?v WHERE {{ ?a a imri:CodeAttribute ; imri:project {R22} ; imri:about ?c ;
        rdfs:label "scope" ; rdf:value ?v }}""", twin)
    assert len(in_kb) == 4 + 30 and in_project == in_kb


def test_definitions_of_codes_and_cases(kb, twin):
    in_kb = pairs(kb, f"""SELECT ?x ?d WHERE {{ GRAPH {KB} {{ ?x skos:definition ?d ; a ?k }}
        VALUES ?k {{ imri:ImpactCategory imri:Impact imri:InnovationGroup imri:StakeholderGroup imri:InnovationType }} }}""")
    in_projects = pairs(kb, f"""SELECT ?x ?d WHERE {{ VALUES ?p {{ {R21} {R22} }} VALUES ?k {{ imri:Code imri:Case }}
        ?x a ?k ; imri:project ?p ; skos:definition ?d }}""", twin)
    assert len(in_kb) == 4 + 19 + 7 + 7 + 4 and in_kb <= in_projects


def test_theme_cfir_codings_and_domains(kb, twin):
    in_kb = pairs(kb, f"SELECT ?t ?c WHERE {{ GRAPH {KB} {{ ?t a imri:Theme ; imri:codedToConstruct ?c }} }}")
    in_project = pairs(kb, f"""SELECT ?code ?c WHERE {{ ?m owl:annotatedSource ?code ;
        owl:annotatedProperty skos:relatedMatch ; owl:annotatedTarget ?c . ?code imri:project {R21} }}""", twin)
    assert len(in_kb) == 23 and in_project == in_kb
    in_kb = pairs(kb, f"SELECT ?t ?d WHERE {{ GRAPH {KB} {{ ?t a imri:Theme ; imri:cfirDomain ?d }} }}")
    in_project = pairs(kb, f"""SELECT ?code ?d WHERE {{ ?code a imri:Code ; imri:project {R21} ; skos:broader ?dom .
        ?m owl:annotatedSource ?dom ; owl:annotatedProperty skos:exactMatch ; owl:annotatedTarget ?d }}""", twin)
    assert len(in_kb) == 13 and in_project == in_kb


def test_table_1_participants_per_site_and_stakeholder_group(kb, twin):
    in_kb = pairs(kb, f"""SELECT ?site ?group ?n WHERE {{ GRAPH {KB} {{ ?x a imri:ParticipantCount ; imri:site ?site ;
        imri:stakeholderGroup ?group . OPTIONAL {{ ?x imri:participants ?count }} }}
        BIND(COALESCE(STR(?count), "N/A") AS ?n) }}""")
    in_project = pairs(kb, f"""SELECT ?site ?group ?n WHERE {{ ?a a imri:CaseAttribute ; imri:project {R22} ;
        rdfs:label "participants" ; imri:case ?site, ?group . ?site skos:inScheme <{B}project/piat2022/dimension/site> .
        ?group skos:inScheme <{B}project/piat2022/dimension/stakeholder-group> . OPTIONAL {{ ?a rdf:value ?v }}
        BIND(COALESCE(STR(?v), "N/A") AS ?n) }}""", twin)
    assert len(in_kb) == 49 and sum(1 for *_, n in in_kb if n == "N/A") == 6 and in_project == in_kb


def test_sites_and_their_innovations(kb, twin):
    in_kb = pairs(kb, f"""
        SELECT ?s ?a ?v WHERE {{ GRAPH {KB} {{ ?s a imri:Site ; ?p ?v }}
        VALUES (?p ?a) {{ (imri:province "province") (imri:serviceKind "service kind") (imri:fundingModel "funding") }}
        }}""")
    in_project = pairs(kb, f"""SELECT ?s ?a ?v WHERE {{ ?x a imri:CaseAttribute ; imri:project {R22} ; imri:case ?s ;
        rdfs:label ?a ; rdf:value ?v . FILTER(?a IN ("province", "service kind", "funding")) }}""", twin)
    assert len(in_kb) == 21 and in_project == in_kb
    in_kb = pairs(kb, f"""SELECT ?s ?t ?v WHERE {{ GRAPH {KB} {{ ?i a imri:RecoveryInnovation ; imri:site ?s ;
        imri:innovationType ?t ; imri:implementationStatus ?v }} }}""")
    in_project = pairs(kb, f"""SELECT ?s ?t ?v WHERE {{ ?x a imri:CaseAttribute ; imri:project {R22} ;
        rdfs:label "implementation status" ; rdf:value ?v ; imri:case ?s, ?t .
        ?s skos:inScheme <{B}project/piat2022/dimension/site> .
        ?t skos:inScheme <{B}project/piat2022/dimension/innovation-type> }}""", twin)
    assert len(in_kb) == 7 and in_project == in_kb


def test_excerpts_are_located_in_the_part_of_the_paper_that_prints_them(kb, twin):
    in_kb = pairs(kb, f"""SELECT ?x ?l WHERE {{ GRAPH {KB} {{ VALUES ?k {{ imri:Example imri:Quote }}
        ?x a ?k ; prov:wasDerivedFrom ?part . ?part dcterms:isPartOf ?paper ; rdfs:label ?l }} }}""")
    in_projects = pairs(kb, f"""SELECT ?x ?l WHERE {{ VALUES ?p {{ {R21} {R22} }}
        ?x a imri:CodedExcerpt ; imri:project ?p ; imri:location ?l }}""", twin)
    assert len(in_kb) == 49 and in_projects == in_kb
    assert ("https://w3id.org/imri/evidence/table5/staff-training/staff-turnover",
            "Table 5: inner setting, themes and examples from each innovation group") in in_kb


def test_the_papers_own_order_of_themes_groups_categories_and_table_1(kb, twin):
    """Table 3's order of themes, Table 2's group numbers, the categories' order in the Findings and the order of
    Table 1's stakeholder groups and sites (and of the innovation types), kept as the projects' `order` column."""
    in_kb = pairs(kb, f"""SELECT ?x ?n WHERE {{ GRAPH {KB} {{ ?x a ?k ; imri:order|imri:number ?n }}
        VALUES ?k {{ imri:Theme imri:InnovationGroup imri:ImpactCategory imri:StakeholderGroup imri:InnovationType
                    imri:Site }} }}""")
    in_projects = pairs(kb, f"""SELECT ?x ?n WHERE {{ VALUES ?p {{ {R21} {R22} }} VALUES ?k {{ imri:Code imri:Case }}
        ?x a ?k ; imri:project ?p ; imri:order ?n }}""", twin)
    assert len(in_kb) == 13 + 7 + 4 + 7 + 4 + 7 and in_projects == in_kb


def test_table_1_printed_totals(kb, twin):
    """Per site, per stakeholder group, and the overall total, which the project states of all seven sites."""
    in_kb = {(frozenset(k.split()), n) for k, n in pairs(kb, f"""
        SELECT (GROUP_CONCAT(DISTINCT COALESCE(STR(?site), STR(?t)); separator=" ") AS ?of) ?n WHERE {{
        GRAPH {KB} {{ ?x a imri:PrintedTotal ; imri:totalOf ?t ; imri:participants ?n .
        OPTIONAL {{ ?t a imri:DocumentPart . ?site a imri:Site }} }} }}  # the overall total (of Table 1): every site
        GROUP BY ?x ?n""")}
    in_project = {(frozenset(twin[c] for c in k.split()), n) for k, n in pairs(kb, f"""
        SELECT (GROUP_CONCAT(DISTINCT STR(?c); separator=' ') AS ?of) ?n WHERE {{ ?a a imri:CaseAttribute ;
        imri:project {R22} ; rdfs:label "participants (printed total)" ; imri:case ?c ; rdf:value ?n }}
        GROUP BY ?a ?n""")}
    assert len(in_kb) == 15 and in_project == in_kb
    assert (frozenset(k for k in twin.values() if k.startswith(B + "site/")), "90") in in_kb


def test_synthesised_groups_and_the_words_naming_each_impact(kb, twin):
    in_kb = pairs(kb, f"SELECT ?g ?s WHERE {{ GRAPH {KB} {{ ?g a imri:InnovationGroup ; imri:synthesised ?s }} }}")
    in_project = pairs(kb, f"""SELECT ?c ?v WHERE {{ ?a a imri:CaseAttribute ; imri:project {R21} ; imri:case ?c ;
        rdfs:label "synthesised" ; rdf:value ?v }}""", twin)
    assert len(in_kb) == 13 and sum(1 for _, s in in_kb if s == "true") == 7 and in_project == in_kb
    in_kb = pairs(kb, f"SELECT ?i ?w WHERE {{ GRAPH {KB} {{ ?i a imri:Impact ; imri:asPrinted ?w }} }}")
    in_project = pairs(kb, f"""SELECT ?c ?v WHERE {{ ?a a imri:CodeAttribute ; imri:project {R22} ; imri:about ?c ;
        rdfs:label "named as" ; rdf:value ?v }}""", twin)
    assert len(in_kb) == 19 and in_project == in_kb
