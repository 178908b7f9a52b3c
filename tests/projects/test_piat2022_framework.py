"""The IMRI framework as graph kb holds it (stated by examples/piat2022/views/20-impacts.rq): impacts, categories,
scopes, and the record of how the list was derived."""

from tests.conftest import select

IMPACTS = """
SELECT ?label ?category ?scope ?named WHERE {
  ?i a imri:Impact ; skos:prefLabel ?label ; imri:category/skos:prefLabel ?category ; imri:asPrinted ?named .
  OPTIONAL { ?i imri:scope/skos:prefLabel ?scope } }"""


def test_impacts_per_category(kb):
    counts: dict[str, int] = {}
    for r in select(kb, IMPACTS):
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    assert counts == {"Ways of being": 2, "Ways of interacting": 4, "Ways of thinking": 6,
                      "Ways of operating and doing business": 7}


def test_process_scoped_impacts(kb):
    process = {r["label"] for r in select(kb, IMPACTS) if r["scope"] == "Implementation process"}
    assert process == {"Empowering members and shifting power", "Increasing access to technology",
                       "Increasing appreciation and knowledge of implementation science"}


def test_one_impact_spans_innovation_and_process(kb):
    both = {r["label"] for r in select(kb, IMPACTS) if r["scope"] == "Innovation and process"}
    assert both == {"Confirming commitment and pushing recovery forward"}


def test_impacts_the_text_does_not_place_record_their_possible_scopes(kb, imri_text):
    rows = select(kb, """SELECT ?i (GROUP_CONCAT(?p; separator="|") AS ?ps) ?basis WHERE {
        ?i imri:possibleScope/skos:prefLabel ?p ; imri:scopeBasis ?basis FILTER NOT EXISTS { ?i imri:scope ?s } }
        GROUP BY ?i ?basis""")
    assert len(rows) == 15
    assert {frozenset(r["ps"].split("|")) for r in rows} == {frozenset({"Innovation", "Innovation and process"})}
    sentence = "The fact that many impacts we identified were also supported by data about the process, supports this argument."
    assert sentence in imri_text
    assert all(sentence in r["basis"] for r in rows)
    stated = select(kb, "SELECT ?i WHERE { ?i a imri:Impact ; imri:scope ?s }")
    assert len(stated) == 4


def test_every_impact_is_named_in_the_paper(kb, imri_text):
    rows = select(kb, IMPACTS)
    assert len(rows) == 19
    for r in rows:
        assert r["named"].lower() in imri_text.lower(), r["label"]


def test_impact_scope_uncertainty_is_data(kb):
    rows = select(kb, "SELECT ?c (COUNT(?i) AS ?n) WHERE { ?i imri:scopeConfidence ?c ; imri:scopeBasis ?b } GROUP BY ?c")
    assert {r["c"]: int(r["n"]) for r in rows} == {"high": 3, "medium": 16}


def test_derivation_note_states_the_counts(kb):
    rows = select(kb, "SELECT ?text WHERE { <https://w3id.org/imri/note/impact-list-derivation> rdfs:comment ?text }")
    assert len(rows) == 1
    text = rows[0]["text"]
    for fact in ("19 impacts", "15 the text attributes to the innovations", "1 to both", "3 to the implementation",
                 "18 impacts", "2 fewer than 18"):
        assert fact in text


def test_categories_are_ordered_as_in_the_paper(kb):
    rows = select(kb, "SELECT ?l WHERE { ?c a imri:ImpactCategory ; skos:prefLabel ?l ; imri:order ?o } ORDER BY ?o")
    assert [r["l"] for r in rows] == ["Ways of being", "Ways of interacting", "Ways of thinking",
                                      "Ways of operating and doing business"]
