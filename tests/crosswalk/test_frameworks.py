"""Framework schemes: exact counts per scheme and level, hierarchy, provenance, and the marking of recalled items."""

import csv

from imri_kg.kb import DATA_DIR
from tests.conftest import select

LEVEL_COUNT = """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { VALUES (?doi ?notation) { ("%s" "%s") }
  ?scheme prov:wasDerivedFrom/bibo:doi ?doi . ?level skos:notation ?notation ; skos:member ?c . ?c skos:inScheme ?scheme }"""


def count(kb, doi: str, level: str) -> int:
    return int(select(kb, LEVEL_COUNT % (doi, level))[0]["n"])


def test_chime_has_five_recovery_processes(kb):
    rows = select(kb, """SELECT ?label WHERE { ?l skos:notation "recovery_process" ; skos:member ?p .
                         ?p skos:prefLabel ?label ; imri:order ?o } ORDER BY ?o""")
    assert [r["label"] for r in rows] == ["Connectedness", "Hope and optimism about the future", "Identity",
                                          "Meaning in life", "Empowerment"]


def test_chime_levels(kb):
    doi = "10.1192/bjp.bp.110.083733"
    assert count(kb, doi, "recovery_process_subcategory") == 4 + 5 + 3 + 6 + 3
    assert count(kb, doi, "journey_characteristic") == 13
    assert count(kb, doi, "recovery_stage_ttm") == 5
    rows = select(kb, """SELECT ?label WHERE { ?c skos:broader ?p . ?p skos:prefLabel "Identity"@en .
                         ?c skos:prefLabel ?label } ORDER BY ?label""")
    assert [r["label"] for r in rows] == ["Dimensions of identity", "Overcoming stigma",
                                          "Rebuilding/redefining positive sense of identity"]


def test_cfir2009_domains_and_constructs_match_the_reference_file(kb):
    with open(DATA_DIR / "reference" / "cfir2009.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    domains = select(kb, """SELECT ?c WHERE { ?c a imri:CFIRDomain ; skos:inScheme ?s . ?s rdfs:label ?l
                            FILTER(CONTAINS(?l, "(2009)")) }""")
    constructs = select(kb, """SELECT ?code WHERE { ?c a imri:CFIRConstruct ; skos:notation ?code ; skos:inScheme ?s .
                               ?s rdfs:label ?l FILTER(CONTAINS(?l, "(2009)")) }""")
    assert len(domains) == 5
    assert len(constructs) == 39
    assert sorted(r["code"] for r in constructs) == sorted(r["code"] for r in rows if r["level"] != "domain")


def test_cfir2022_counts(kb):
    doi = "10.1186/s13012-022-01245-0"
    assert count(kb, doi, "domain") == 5
    assert count(kb, doi, "subdomain") == 2
    assert count(kb, doi, "construct") == 48
    assert count(kb, doi, "subconstruct") == 19


def test_cfir2022_keeps_codes_and_hierarchy(kb):
    rows = select(kb, """SELECT ?code ?parent WHERE { ?c skos:notation ?code ; skos:broader/skos:notation ?parent ;
                         skos:inScheme <https://w3id.org/imri/scheme/cfir2022> } """)
    parents = {r["code"]: r["parent"] for r in rows}
    assert parents["V.F.1"] == "V.F" and parents["IV.R.H"] == "IV.R" and parents["III.J.3"] == "III.J"
    assert len(parents) == 74 - 5


def test_other_frameworks_counts(kb):
    assert count(kb, "10.3389/fpsyt.2021.712026", "domain") == 5
    assert count(kb, "10.1176/appi.ps.001312011", "practice_domain") == 4
    assert count(kb, "10.1176/appi.ps.001312011", "theme") == 16
    assert count(kb, "10.1371/journal.pone.0226201", "helpful_outcome") == 7
    assert count(kb, "10.1371/journal.pone.0214678", "dimension") == 9


def test_every_scheme_has_its_source_paper(kb):
    rows = select(kb, """SELECT ?scheme ?id WHERE { GRAPH <https://w3id.org/imri/graph/frameworks> {
                           ?scheme a skos:ConceptScheme ; dcterms:source ?w } ?w dcterms:identifier ?id }""")
    ids = {r["scheme"].rsplit("/", 1)[1]: r["id"] for r in rows}
    assert ids["chime"] == "doi:10.1192/bjp.bp.110.083733"
    assert ids["cfir2022"] == "doi:10.1186/s13012-022-01245-0"
    assert ids["mhcc2015"] == "isbn:978-0-9880506-3-1"
    assert ids["mmat2018"] == "doi:10.3233/EFI-180221"  # MMAT 2018 and GRADE-CERQual (src/imri_kg/findings/)
    assert ids["cerqual2018"] == "doi:10.1186/s13012-017-0688-3"
    assert len(ids) == 10


def test_recalled_items_are_marked(kb):
    recalled = select(kb, """SELECT DISTINCT ?c WHERE { ?c skos:inScheme ?s ; imri:status ?st FILTER(CONTAINS(?st, "recalled")) }""")
    noted = select(kb, """SELECT DISTINCT ?c WHERE { ?n a imri:EditorialNote ; imri:about ?c ; rdfs:comment ?t .
                          ?c skos:editorialNote ?e FILTER(STRSTARTS(?t, "Recalled, not verified")) }""")
    # CHIME: 13 journey characteristics + CHIME-D; CFIR 2009: III.E and its 3 subs, IV.A, V.D; Le Boutillier: 16 themes;
    # MHCC: chapters 1-4 and 6, and 6A-6D.
    assert len(recalled) == 14 + 6 + 16 + 9
    assert {r["c"] for r in recalled} == {r["c"] for r in noted}
    low = select(kb, """SELECT ?label WHERE { ?c imri:status "recalled" ; imri:confidence "low" ; skos:prefLabel ?label .
                        ?n imri:about ?c } ORDER BY ?label""")
    assert [r["label"] for r in low] == ["Just and equitable practices", "Leadership, mission, and vision",
                                         "Recovery-promoting service partnerships", "Workforce development and planning"]


def test_spice_experience_is_inferred_not_read(kb):
    rows = select(kb, """SELECT ?status ?note WHERE { ?c skos:prefLabel "Experience"@en ; imri:status ?status ;
                         skos:editorialNote ?note }""")
    assert rows and rows[0]["status"] == "inferred" and "not stated by the source" in rows[0]["note"]


def test_samhsa_working_definition(kb):
    rows = select(kb, """SELECT ?level (COUNT(?c) AS ?n) WHERE { ?c skos:inScheme <https://w3id.org/imri/scheme/samhsa2012> .
                           ?col skos:member ?c ; skos:notation ?level } GROUP BY ?level""")
    assert {r["level"]: int(r["n"]) for r in rows} == {"dimension": 4, "guiding_principle": 10}


def test_only_connectedness_carries_the_connection_note(kb):
    # data/reference/chime.tsv once repeated Connectedness's note on Empowerment, Hope, Identity and Meaning (a copy
    # error, corrected in the shared reference file): each process now has its own notes, and those four have none.
    rows = select(kb, """SELECT ?label ?note WHERE { ?l skos:notation "recovery_process" ; skos:member ?p .
                         ?p skos:prefLabel ?label . OPTIONAL { ?p skos:note ?note } } ORDER BY ?label""")
    assert [(r["label"], r["note"]) for r in rows] == [
        ("Connectedness", "Leamy uses 'Connectedness'; later works sometimes say 'Connection'."), ("Empowerment", ""),
        ("Hope and optimism about the future", ""), ("Identity", ""), ("Meaning in life", "")]
