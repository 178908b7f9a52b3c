"""Importing projects: all or nothing, a new version replaces the old atomically with a PROV record, rows update
by id, removal takes a project out whole, and projects side by side never touch each other's graphs."""

import datetime as dt

import pytest
from pyoxigraph import NamedNode

from imri_kg.errors import InputError
from imri_kg.projects.loading import import_project, project_graphs, projects_in, remove_project
from tests.conftest import select
from tests.projects.helpers import (
    BASE,
    P,
    assert_reimport_writes_nothing,
    copy_project,
    dump,
    edit,
    fresh_store,
)

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
FAMILY = BASE + "graph/project/hand-hygiene/"


def others(store, prefix=FAMILY) -> bytes:
    """The store's quads outside one graph family, as sorted N-Quads."""
    return b"\n".join(sorted(line for line in dump(store).splitlines() if f"<{prefix}".encode() not in line))


@pytest.fixture
def imported(tmp_path):
    store = fresh_store()
    folder = copy_project(tmp_path)
    done = import_project(store, folder, by="Tess Tester", now=NOW)
    assert done.written and done.number == 1
    return store, folder


def test_first_import_counts_and_history(imported):
    store, _ = imported
    assert [g.value for g in project_graphs(store, "hand-hygiene")] == [FAMILY + n for n in ("data", "history",
                                                                                            "mappings")]
    rows = select(store, """SELECT ?kind ?before ?after WHERE { GRAPH ?h { ?i a imri:ProjectImport ;
        imri:recordCount [ rdfs:label ?kind ; imri:countBefore ?before ; imri:countAfter ?after ] } }""")
    got = {r["kind"]: (int(r["before"]), int(r["after"])) for r in rows}
    assert {k: v for k, v in got.items() if k != "triples"} == {
        "codes": (0, 7), "cases": (0, 5), "case attributes": (0, 3), "studies": (0, 6), "excerpts": (0, 5),
        "mappings": (0, 4)}
    [row] = select(store, "SELECT ?when ?who ?version WHERE { <" + P + """import/1> prov:startedAtTime ?when ;
        prov:wasAssociatedWith/rdfs:label ?who ; prov:generated/owl:versionInfo ?version }""")
    assert row == {"when": "2024-06-01T12:00:00Z", "who": "Tess Tester", "version": "1.0"}


def test_reimporting_the_same_folder_changes_nothing(imported):
    store, folder = imported
    before = dump(store)
    done = import_project(store, folder, by="Tess Tester")
    assert done.unchanged and not done.written
    assert dump(store) == before


def test_a_rejected_new_version_leaves_the_old_byte_for_byte(imported):
    store, folder = imported
    before = dump(store)
    edit(folder / "project.yaml", 'version: "1.0"', 'version: "1.1"')
    edit(folder / "evidence" / "coded.csv", "Brazil,ben2020,", "Brazil,ben2021,")  # cites an unknown key
    done = import_project(store, folder, by="Tess Tester")
    assert not done.written and not done.check.conforms and done.check.problems.exit_code == 1
    assert dump(store) == before


def test_a_new_version_replaces_the_old_and_updates_rows_by_id(imported):
    store, folder = imported
    kb_before = others(store)
    edit(folder / "project.yaml", 'version: "1.0"', 'version: "1.1"')
    edit(folder / "evidence" / "coded.csv", "Hospital directors funded dispensers at every bed.",
         "Hospital directors funded a dispenser at every bed.")  # row x1, edited
    edit(folder / "evidence" / "coded.csv", "Monthly feedback posters", "Weekly feedback posters")  # row without id
    path = folder / "codebook.csv"
    path.write_text(path.read_text(encoding="utf-8") + "T3.1,Posters,,,T3,category,,,\n", encoding="utf-8")
    done = import_project(store, folder, by="Ana", now=NOW + dt.timedelta(days=1))
    assert done.number == 2
    assert (done.before["codes"], done.after["codes"], done.before["excerpts"], done.after["excerpts"]) == (7, 8, 5, 5)
    texts = {r["x"].removeprefix(P + "excerpt/"): r["t"]
             for r in select(store, "SELECT ?x ?t WHERE { ?x a imri:CodedExcerpt ; imri:project <" + P.rstrip("/")
                           + "> ; imri:text ?t }")}
    assert texts["x1"] == "Hospital directors funded a dispenser at every bed."  # same IRI, new text
    assert "d6617de0b11d" not in texts and len(texts) == 5  # the row without an id got a new IRI; the old one is gone
    assert select(store, "SELECT ?v WHERE { <" + P + "version/2> prov:wasRevisionOf ?v }") == [{"v": P + "version/1"}]
    assert [r["n"] for r in select(store, "SELECT ?n WHERE { ?i a imri:ProjectImport ; rdfs:label ?n } ORDER BY ?n")] == [
        "Import 1 of project hand-hygiene, version 1.0", "Import 2 of project hand-hygiene, version 1.1"]
    assert others(store) == kb_before  # nothing outside the project's family changed


def test_remove_takes_the_project_out_whole(imported):
    store, _ = imported
    kb_before = others(store)
    counts = remove_project(store, "hand-hygiene")
    assert {k: v for k, v in counts.items() if k != "triples"} == {
        "codes": 7, "cases": 5, "case attributes": 3, "studies": 6, "excerpts": 5, "mappings": 4}
    # the build's example projects (examples/piat2021, piat2022) stay
    assert project_graphs(store, "hand-hygiene") == [] and projects_in(store) == ["piat2021", "piat2022"]
    assert select(store, "SELECT ?s WHERE { ?s imri:project <" + P.rstrip("/") + "> }") == []
    assert dump(store) == kb_before
    with pytest.raises(InputError, match='the store has no project "hand-hygiene"; it has: piat2021, piat2022.'):
        remove_project(store, "hand-hygiene")


def test_two_projects_side_by_side_are_isolated(imported, tmp_path):
    store, _ = imported
    second = copy_project(tmp_path, "second")
    edit(second / "project.yaml", "slug: hand-hygiene", "slug: hand-hygiene-b")
    first_only = dump(store)
    done = import_project(store, second, by="Tess Tester", now=NOW)
    assert done.written and projects_in(store) == ["hand-hygiene", "hand-hygiene-b", "piat2021", "piat2022"]
    # every quad the second import wrote is in its own family and about its own IRIs
    new = set(dump(store).splitlines()) - set(first_only.splitlines())
    assert all(f"<{BASE}graph/project/hand-hygiene-b/".encode() in line for line in new)
    assert all(line.startswith(f"<{BASE}project/hand-hygiene-b".encode()) for line in new)
    assert len(set(first_only.splitlines()) - set(dump(store).splitlines())) == 0
    per_project = {r["p"].removeprefix(BASE + "project/"): int(r["n"]) for r in select(store, """
        SELECT ?p (COUNT(?x) AS ?n) WHERE { ?x a imri:CodedExcerpt ; imri:project ?p } GROUP BY ?p""")}
    # and the build's examples: Table 5's 25 cells and the IMRI study's 24 quotes
    assert per_project == {"hand-hygiene": 5, "hand-hygiene-b": 5, "piat2021": 25, "piat2022": 24}
    remove_project(store, "hand-hygiene-b")
    assert dump(store) == first_only


def test_no_import_writes_outside_its_family(imported):
    store, _ = imported
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, NamedNode))
    assert [g for g in graphs if "/graph/project/" in g and "/graph/project/piat202" not in g] == [
        FAMILY + n for n in ("data", "history", "mappings")]
    assert select(store, "SELECT ?g WHERE { GRAPH ?g { ?s imri:project <" + P.rstrip("/") + "> } "
                  "FILTER(!STRSTARTS(STR(?g), \"" + FAMILY + '")) }') == []


BAD_INPUTS = [  # (file, text, replacement, exit code): each is refused and nothing is written
    ("bibliography/studies.bib", "  refnumber = {2}\n}", "  refnumber = {2}\n", 2),  # BibTeX syntax error
    ("evidence/coded.csv", "Brazil,ben2020,", "Brazil,ben2021,", 1),  # a key not in the bibliography
    ("evidence/coded.csv", 'br,"[3, 4]",', "br,,", 1),  # a row citing nothing
    ("codebook.csv", "Support from hospital leaders.,,theme", "Support from hospital leaders.,T1.1,theme", 1),  # cycle
    ("codebook.csv", "T2.2,Staffing levels", "T2.1,Staffing levels", 1),  # duplicate code
    ("case_attributes.csv", "country:uk,hospitals", "country:fr,hospitals", 1),  # an unknown case
]


@pytest.mark.parametrize(("name", "old", "new", "code"), BAD_INPUTS)
def test_bad_input_is_refused_and_nothing_is_written(imported, name, old, new, code):
    store, folder = imported
    before = dump(store)
    edit(folder / name, old, new)
    done = import_project(store, folder, by="Tess Tester")
    assert not done.written and done.check.problems.exit_code == code
    assert name in {p.path for p in done.check.problems.errors}  # (a broken entry also makes its citations unknown)
    assert dump(store) == before


def test_a_ris_file_in_the_wrong_encoding_is_refused(imported):
    store, folder = imported
    before = dump(store)
    ris = folder / "bibliography" / "studies.ris"
    ris.write_bytes(ris.read_bytes().decode("utf-8").encode("latin-1"))
    done = import_project(store, folder, by="Tess Tester")
    assert not done.written and done.check.problems.exit_code == 2
    assert dump(store) == before


def test_a_store_with_two_projects_passes_every_qc_query_and_the_shapes(imported):
    from imri_kg.questions.qc import run_qc
    from imri_kg.validation import to_rdflib, validate_graph
    from tests.projects.helpers import HAND_HYGIENE

    store, _ = imported
    # the build already imported examples/piat2021 and piat2022 (so the store holds three projects): the same
    # folder imported again writes nothing (its views' triples are graph kb in the build), and no fact is doubled
    assert_reimport_writes_nothing(store, HAND_HYGIENE.parents[3] / "examples" / "piat2021")
    assert projects_in(store) == ["hand-hygiene", "piat2021", "piat2022"]
    assert {r.name: r.violations for r in run_qc(store) if r.violations} == {}
    report = validate_graph(to_rdflib(store))
    assert report.violations == [] and len(report.warnings) == 3  # the kb's three cross-group citations, as before


def test_another_project_under_a_slug_in_use_is_refused_unless_replace_is_asked(imported):
    """A reviewer whose new project took the slug of one already in the store (here the 2021 review's, piat2021)
    silently replaced that whole project; a different title now says it is another project."""
    store, folder = imported
    before = dump(store)
    edit(folder / "project.yaml", "slug: hand-hygiene", "slug: piat2021")
    done = import_project(store, folder, by="Tess Tester")
    assert not done.written and done.check.problems.exit_code == 1
    assert [(p.path, p.column) for p in done.check.problems.errors] == [("project.yaml", "slug")]
    assert done.check.problems.errors[0].message.startswith(
        'the store holds another project under the slug "piat2021": "Factors influencing the implementation')
    assert dump(store) == before
    assert import_project(store, folder, by="Tess Tester", replace=True).written


def test_a_new_version_with_a_new_title_needs_replace(imported):
    store, folder = imported
    edit(folder / "project.yaml", "title: Hand-hygiene programmes in hospitals (fictional test review)",
         "title: Hand hygiene in hospitals (fictional test review)")
    assert not import_project(store, folder, by="Tess Tester").written
    done = import_project(store, folder, by="Tess Tester", replace=True)
    assert done.written and done.number == 2
