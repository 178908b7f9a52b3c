"""The crosswalk questions of queries/library, with exact rows derived by hand, and a framework added without code."""

from pathlib import Path

from imri_kg.crosswalk.loading import import_framework, import_mapping_set
from imri_kg.kb.build import build_store
from imri_kg.questions import find_question
from tests.conftest import select

I = "https://w3id.org/imri/impact/"


def ask(store, name: str) -> list[dict[str, str]]:
    return select(store, find_question(name).sparql)


def short(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


def test_paper_alignments_are_the_discussion_s_five(kb):
    rows = select(kb, """PREFIX sssom: <https://w3id.org/sssom/>
        SELECT ?s ?o ?c WHERE { ?m owl:annotatedSource ?s ; owl:annotatedTarget ?o ; sssom:confidence ?c ;
                                 <http://purl.org/pav/authoredBy> <https://w3id.org/imri/study/piat2022> }""")
    assert sorted((short(r["s"]), short(r["o"])) for r in rows) == [
        ("building-or-strengthening-relationships", "connectedness"),
        ("experiencing-personal-growth-or-wellbeing", "empowerment"),
        ("experiencing-personal-growth-or-wellbeing", "identity"),
        ("experiencing-personal-growth-or-wellbeing", "meaning-in-life"),
        ("motivating-one-to-aspire-to-new-roles", "hope-and-optimism-about-the-future")]
    assert {float(r["c"]) for r in rows} == {0.9}
    curated = select(kb, """PREFIX sssom: <https://w3id.org/sssom/> SELECT ?c WHERE { ?m owl:annotatedSource ?s ;
        sssom:author_label "imri-kg project curation" ; sssom:confidence ?c ; rdfs:comment ?why .
        ?s a imri:Impact }""")
    assert len(curated) == 4 and all(float(r["c"]) <= 0.7 for r in curated)


def test_table3_rows(kb):
    rows = select(kb, """SELECT ?s ?o ?src WHERE { ?m owl:annotatedSource ?s ; owl:annotatedTarget ?o ;
        <https://w3id.org/sssom/object_source> ?src ; <http://purl.org/pav/authoredBy> <https://w3id.org/imri/study/piat2021> }""")
    pairs = sorted((short(r["s"]), r["o"].split("/")[-2] + "/" + short(r["o"])) for r in rows)
    assert pairs == sorted([
        ("flexibility", "cfir2009/design-quality-and-packaging"), ("flexibility", "cfir2009/relative-advantage"),
        ("relationship-building", "cfir2009/design-quality-and-packaging"),
        ("lived-experience", "cfir2009/design-quality-and-packaging"), ("lived-experience", "cfir2009/relative-advantage"),
        ("lived-experience", "cfir2009/intervention-source"),
        ("biomedical-vs-recovery-oriented-approach", "cfir2009/culture"),
        ("biomedical-vs-recovery-oriented-approach", "cfir2009/learning-climate"),
        ("biomedical-vs-recovery-oriented-approach", "cfir2009/relative-priority"),
        ("organizational-and-policy-commitment", "cfir2009/compatibility"),
        ("organizational-and-policy-commitment", "cfir2009/leadership-engagement"),
        ("organizational-and-policy-commitment", "cfir2009/tension-for-change"),
        ("staff-turnover", "cfir2009/structural-characteristics"), ("lack-of-resources", "cfir2009/available-resources"),
        ("information-gaps", "cfir2009/access-to-knowledge-and-information"),
        ("interpersonal-relationships", "construct/relationships"),
        ("variability-in-knowledge-about-recovery", "cfir2009/knowledge-and-beliefs-about-the-intervention"),
        ("variability-in-knowledge-about-recovery", "cfir2009/individual-stage-of-change"),
        ("characteristics-of-recovery-oriented-providers", "cfir2009/other-personal-attributes"),
        ("importance-of-planning", "cfir2009/planning"),
        ("early-and-continuous-engagement", "construct/engaging-with-stakeholders"),
        ("early-and-continuous-engagement", "cfir2009/reflecting-and-evaluating"),
        ("early-and-continuous-engagement", "cfir2009/formally-appointed-internal-implementation-leaders")])
    new = sorted(short(r["o"]) for r in rows if r["src"].endswith("/scheme/review-new-constructs"))
    assert new == ["engaging-with-stakeholders", "relationships"]


def test_impacts_by_chime_process(kb):
    rows = ask(kb, "crosswalk-impacts-by-chime-process")
    got = sorted((r["processLabel"], short(r["impact"]), short(r["concept"])) for r in rows)
    m, e, b = "motivating-one-to-aspire-to-new-roles", "experiencing-personal-growth-or-wellbeing", \
        "building-or-strengthening-relationships"
    assert got == sorted([
        ("Connectedness", b, "connectedness"), ("Connectedness", m, "being-part-of-the-community"),
        ("Empowerment", "empowering-members-and-shifting-power", "empowerment"), ("Empowerment", e, "empowerment"),
        ("Hope and optimism about the future", m, "hope-and-optimism-about-the-future"),
        ("Hope and optimism about the future", m, "having-dreams-and-aspirations"),
        ("Identity", e, "identity"), ("Meaning in life", e, "meaning-in-life"),
        ("Meaning in life", m, "meaningful-life-and-social-roles")])


def test_impacts_without_chime(kb):
    rows = ask(kb, "crosswalk-impacts-without-chime")
    assert len(rows) == 19 - 4
    mapped = {"building-or-strengthening-relationships", "experiencing-personal-growth-or-wellbeing",
              "motivating-one-to-aspire-to-new-roles", "empowering-members-and-shifting-power"}
    assert not mapped & {short(r["impact"]) for r in rows}
    by_category = {}
    for r in rows:
        by_category[r["categoryLabel"]] = by_category.get(r["categoryLabel"], 0) + 1
    # Ways of being 2-1, interacting 4-2, thinking 6-1, operating and doing business 7-0.
    assert by_category == {"Ways of being": 1, "Ways of interacting": 2, "Ways of thinking": 5,
                           "Ways of operating and doing business": 7}


def test_themes_by_cfir_construct(kb):
    rows = ask(kb, "crosswalk-themes-by-cfir-construct")
    assert len(rows) == 20
    counts = {r["constructLabel"]: int(r["themes"]) for r in rows}
    assert counts["Design Quality & Packaging"] == 3 and counts["Relative Advantage"] == 2
    assert sum(counts.values()) == 23
    new = {r["constructLabel"]: r["domainLabel"] for r in rows if r["addedByReview"] == "true"}
    assert new == {"Relationships": "Inner Setting", "Engaging with stakeholders": "Process"}
    per_domain = {}
    for r in rows:
        per_domain[r["domainLabel"]] = per_domain.get(r["domainLabel"], 0) + 1
    assert per_domain == {"Intervention Characteristics": 3, "Inner Setting": 10,
                          "Characteristics of Individuals": 3, "Process": 4}


def test_transitive_crosswalk(kb):
    rows = ask(kb, "crosswalk-impacts-via-chime")
    assert sorted((short(r["impact"]), short(r["chimeConcept"]), short(r["other"])) for r in rows) == [
        ("building-or-strengthening-relationships", "connectedness", "connectedness"),
        ("empowering-members-and-shifting-power", "empowerment", "empowerment"),
        ("experiencing-personal-growth-or-wellbeing", "empowerment", "empowerment"),
        ("motivating-one-to-aspire-to-new-roles", "hope-and-optimism-about-the-future", "hope")]


def test_mapping_coverage(kb):
    rows = {short(r["scheme"]): (int(r["concepts"]), int(r["mappedConcepts"]))
            for r in ask(kb, "crosswalk-mapping-coverage")}
    assert rows["chime"] == (53, 9)
    assert rows["themes"] == (13, 13)
    assert rows["review-new-constructs"] == (2, 2)
    assert rows["imri-framework"] == (23, 4)
    assert rows["recovery-narrative-change-model"] == (23, 4)
    assert rows["spice"] == (5, 0)
    # CFIR 2009: 18 constructs from Table 3 and 36 subjects of the CFIR 2.0 set; 16 in both -> 38 of 44.
    assert rows["cfir2009"] == (44, 38)
    assert rows["cfir2022"][0] == 74


FRAMEWORK = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/tiny/> .
ex:scheme a skos:ConceptScheme ; skos:prefLabel "Tiny recovery framework"@en ; dcterms:source <https://example.org/paper> .
ex:belonging a skos:Concept ; skos:prefLabel "Belonging"@en ; skos:inScheme ex:scheme ; skos:topConceptOf ex:scheme .
ex:friends a skos:Concept ; skos:prefLabel "Friendships"@en ; skos:inScheme ex:scheme ; skos:broader ex:belonging .
"""
MAPPINGS = """#curie_map:
#  tiny: https://example.org/tiny/
#  chime: https://w3id.org/imri/chime/
#mapping_set_id: https://example.org/tiny-chime.sssom.tsv
#license: https://creativecommons.org/publicdomain/zero/1.0/
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence
tiny:belonging\tskos:closeMatch\tchime:connectedness\tsemapv:ManualMappingCuration\t0.8
"""


def test_a_new_framework_needs_no_code(tmp_path: Path):
    store = build_store()
    (tmp_path / "tiny.ttl").write_text(FRAMEWORK, encoding="utf-8")
    (tmp_path / "tiny-chime.sssom.tsv").write_text(MAPPINGS, encoding="utf-8")
    framework = import_framework(store, tmp_path / "tiny.ttl")
    assert (framework.name, framework.count) == ("scheme", 2)
    assert import_mapping_set(store, tmp_path / "tiny-chime.sssom.tsv").count == 1
    via = [(short(r["impact"]), r["otherLabel"], r["otherSchemeLabel"]) for r in ask(store, "crosswalk-impacts-via-chime")]
    assert ("building-or-strengthening-relationships", "Belonging", "Tiny recovery framework") in via
    assert len(via) == 5
    coverage = {r["schemeLabel"]: (r["concepts"], r["mappedConcepts"]) for r in ask(store, "crosswalk-mapping-coverage")}
    assert coverage["Tiny recovery framework"] == ("2", "1")


def test_a_framework_that_breaks_the_shapes_is_refused(tmp_path: Path):
    store = build_store()
    size = len(store)
    (tmp_path / "bad.ttl").write_text(FRAMEWORK.replace(' ; dcterms:source <https://example.org/paper>', ''),
                                      encoding="utf-8")
    try:
        import_framework(store, tmp_path / "bad.ttl")
    except Exception as exc:  # noqa: BLE001
        assert "needs its source" in str(exc)
    else:
        raise AssertionError("a scheme without a source was imported")
    assert len(store) == size
