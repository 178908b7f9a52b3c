"""framework_additions.csv: a reviewer's project adds constructs to CFIR 2009 and maps its own codes to them."""

from pyoxigraph import NamedNode

from imri_kg.projects.folder import read_project
from imri_kg.projects.loading import import_project
from tests.projects.helpers import BASE, P, copy_project, dump, edit, fresh_store

ADDITIONS = """\
# framework_additions.csv: constructs this fictional review adds to CFIR 2009 (test data; invented).
id,label,framework,parent,definition,source
patient-reminders,Patient reminders,cfir2009,Implementation Climate,Patients remind staff to clean their hands.,Test
ward-routines,Ward routines,Consolidated Framework for Implementation Research (2009),III,,
"""
MAPPING = "T3,skos:relatedMatch,addition:Patient reminders,Patients' reminders are a kind of feedback.,0.5,Test Author B\n"
SKOS = "http://www.w3.org/2004/02/skos/core#"
IMRI = "https://w3id.org/imri/ontology#"


def _with_additions(tmp_path, additions: str = ADDITIONS):
    folder = copy_project(tmp_path)
    (folder / "framework_additions.csv").write_text(additions, encoding="utf-8")
    with (folder / "mappings.csv").open("a", encoding="utf-8") as f:
        f.write(MAPPING)
    return folder


def test_a_project_adds_a_construct_to_cfir2009_and_maps_a_code_to_it(tmp_path):
    store = fresh_store()
    before = {g.value for g in store.named_graphs()}
    kb_before = dump_graph(store, BASE + "graph/kb") + dump_graph(store, BASE + "graph/frameworks")
    imported = import_project(store, _with_additions(tmp_path))
    assert imported.slug == "hand-hygiene" and not imported.check.problems.items
    data = NamedNode(BASE + "graph/project/hand-hygiene/data")
    added = NamedNode(P + "addition/patient-reminders")
    facts = sorted((q.predicate.value.rsplit("/", 1)[-1], str(q.object))
                   for q in store.quads_for_pattern(added, None, None, data))
    assert facts == [
        ("22-rdf-syntax-ns#type", f"<{SKOS}Concept>"),
                ("core#definition", '"Patients remind staff to clean their hands."@en'),
        ("core#inScheme", f"<{P}additions>"),
        ("core#prefLabel", '"Patient reminders"@en'),
        ("core#topConceptOf", f"<{P}additions>"),
        ("identifier", '"patient-reminders"'),
        ("ontology#addedTo", f"<{BASE}scheme/cfir2009>"),
        ("ontology#addedUnder", f"<{BASE}cfir2009/implementation-climate>"),
        ("ontology#project", f"<{P.rstrip('/')}>"),
        ("ontology#underTopConcept", f"<{BASE}cfir2009/inner-setting>"),
        ("prov#wasDerivedFrom", f"<{P}source/framework_additions.csv/row/3>"),
        ("rdf-schema#label", '"Patient reminders"'),
        ("source", '"Test"'),
    ]
    # the second row: its framework named by its label, its parent (a domain, so its own top concept) by notation
    ward = NamedNode(P + "addition/ward-routines")
    assert [str(q.object) for q in store.quads_for_pattern(ward, NamedNode(IMRI + "underTopConcept"), None, data)] \
        == [f"<{BASE}cfir2009/inner-setting>"]
    mapped = store.query(f"""SELECT ?code ?p WHERE {{ GRAPH <{BASE}graph/project/hand-hygiene/mappings> {{
        ?code ?p <{added.value}> FILTER(STRSTARTS(STR(?p), "{SKOS}")) }} }}""")
    assert [(r["code"].value, r["p"].value) for r in mapped] == [(P + "code/T3", SKOS + "relatedMatch")]
    # the project writes only its own graphs: CFIR 2009 and the knowledge base are as they were
    assert {g.value for g in store.named_graphs()} - before == {
        BASE + f"graph/project/hand-hygiene/{n}" for n in ("data", "mappings", "history")}
    assert dump_graph(store, BASE + "graph/kb") + dump_graph(store, BASE + "graph/frameworks") == kb_before


def dump_graph(store, iri: str) -> bytes:
    from pyoxigraph import Store

    one = Store()
    one.extend(store.quads_for_pattern(None, None, None, NamedNode(iri)))
    return dump(one)


def test_bad_additions_are_located_with_suggestions(tmp_path, kb):
    folder = _with_additions(tmp_path, ADDITIONS + (
        "patient-reminders,Again,cfir2009,III,,\n"
        "hand-rub,Hand rub,cfir2090,III,,\n"
        "audits,Audits,cfir2009,Implementation Climat,,\n"
        "Bad Id,Bad,cfir2009,III,,\n"
        "empty,,cfir2009,III,,\n"))
    edit(folder / "mappings.csv", "addition:Patient reminders", "addition:patient-remindrs")
    project = read_project(folder, store=kb)
    assert [str(p) for p in project.problems.errors] == [
        'framework_additions.csv, row 5, column "id": duplicate id "patient-reminders" (first in row 3).',
        ('framework_additions.csv, row 6, column "framework": "cfir2090" is not a framework (concept scheme) in the '
        'store. Did you mean "cfir2009" or "cfir2022"?'),
        ('framework_additions.csv, row 7, column "parent": "Implementation Climat" is not a concept of cfir2009 (by '
        'notation, label or IRI). Did you mean "Implementation Climate"?'),
        ('framework_additions.csv, row 8, column "id": "Bad Id" must be lowercase letters, digits and hyphens (it is '
        'used in IRIs).'),
        'framework_additions.csv, row 9, column "label": is empty; this column is required.',
        ('mappings.csv, row 7, column "target": "addition:patient-remindrs" is not a concept of addition. Did you '
        'mean "addition:patient reminders" or "addition:patient-reminders"?'),
    ]
    assert project.problems.exit_code == 1
    assert [a.id for a in project.additions] == ["patient-reminders", "ward-routines"]


def test_an_addition_without_a_store_cannot_resolve_its_framework(tmp_path):
    project = read_project(_with_additions(tmp_path, "".join(ADDITIONS.splitlines(keepends=True)[:3])))
    assert next(str(p) for p in project.problems.errors) == (
        'framework_additions.csv, row 3, column "framework": "cfir2009" is not a framework (concept scheme) in the '
        'store.')


def test_the_validate_summary_counts_the_additions(tmp_path):
    from imri_kg.projects.checks import check_project
    from imri_kg.projects.reports import to_text

    check = check_project(_with_additions(tmp_path), store=fresh_store())
    assert to_text(check).splitlines()[-1] == (
        "hand-hygiene: conforms (7 codes, 2 dimensions, 5 cases, 3 case attributes, 6 studies, 5 excerpts, "
        "5 mappings, 1 notes, 2 framework additions); 0 warning(s).")


NESTED = """\
id,label,framework,parent,definition,source
reminders,Reminders,cfir2009,Implementation Climate,,
patient-voice,Patient voice,cfir2009,addition:reminders,,
bedside-cards,Bedside cards,cfir2009,addition:Patient voice,,
"""


def test_an_addition_may_sit_under_another_addition(tmp_path):
    folder = _with_additions(tmp_path, NESTED)
    edit(folder / "mappings.csv", "addition:Patient reminders", "addition:bedside-cards")
    store = fresh_store()
    imported = import_project(store, folder)
    assert not imported.check.problems.items
    data = NamedNode(BASE + "graph/project/hand-hygiene/data")
    climate, top = BASE + "cfir2009/implementation-climate", BASE + "cfir2009/inner-setting"
    facts = {a: sorted((q.predicate.value.rsplit("#", 1)[-1], q.object.value) for q in store.quads_for_pattern(
        NamedNode(P + "addition/" + a), None, None, data) if q.predicate.value.endswith(("addedUnder", "TopConcept")))
        for a in ("reminders", "patient-voice", "bedside-cards")}
    assert facts == {
        "reminders": [("addedUnder", climate), ("underTopConcept", top)],
        "patient-voice": [("addedUnder", P + "addition/reminders"), ("underTopConcept", top)],
        "bedside-cards": [("addedUnder", P + "addition/patient-voice"), ("underTopConcept", top)]}


def test_addition_parents_that_are_unknown_elsewhere_or_in_a_cycle_are_located(tmp_path, kb):
    folder = _with_additions(tmp_path, NESTED + (
        "loop-a,Loop A,cfir2009,addition:loop-b,,\n"
        "loop-b,Loop B,cfir2009,addition:loop-a,,\n"
        "orphan,Orphan,cfir2009,addition:remindrs,,\n"
        "other,Other,cfir2022,addition:reminders,,\n"
        "below-orphan,Below orphan,cfir2009,addition:orphan,,\n"))
    project = read_project(folder, store=kb)
    assert [str(p) for p in project.problems.errors] == [
        ('framework_additions.csv, row 5, column "parent": its parents go round in a cycle (rows 5, 6); give one '
         'of them a framework concept as its parent.'),
        ('framework_additions.csv, row 6, column "parent": its parents go round in a cycle (rows 6, 5); give one '
         'of them a framework concept as its parent.'),
        ('framework_additions.csv, row 7, column "parent": "addition:remindrs" is not an id or label of this file. '
         'Did you mean "reminders"?'),
        ('framework_additions.csv, row 8, column "parent": "addition:reminders" (row 2) is added to another '
         'framework; a parent must be in the same framework.'),
        ('framework_additions.csv, row 9, column "parent": its parent "addition:orphan" has a problem of its own; '
         'fix that row first.'),
        ('mappings.csv, row 7, column "target": "addition:Patient reminders" is not a concept of addition. Did you '
         'mean "addition:reminders" or "addition:patient voice" or "addition:patient-voice"?'),
    ]
    assert [a.id for a in project.additions] == ["reminders", "patient-voice", "bedside-cards"]
