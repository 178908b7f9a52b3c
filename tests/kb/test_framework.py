"""The IMRI framework's impacts, categories and scopes, and the record of how the list was derived."""

from tests.conftest import select

IMPACTS = """
SELECT ?label ?category ?scope ?named WHERE {
  ?i a imri:Impact ; skos:prefLabel ?label ; imri:category/skos:prefLabel ?category ;
     imri:scope/skos:prefLabel ?scope ; imri:asPrinted ?named }"""


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
