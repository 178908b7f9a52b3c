"""case_attributes.csv's columns for a printed table: `count` values (xsd:nonNegativeInteger), `footnotes` (notes.csv
ids, imri:hasNote), `basis`, `confidence` and a stable `id`; an unknown footnote, a negative count, a bad confidence
and a duplicate id are located problems."""

from imri_kg.projects.folder import read_project
from imri_kg.projects.graph import to_project_graph
from tests.projects.helpers import P, copy_project

ATTRIBUTES = ("# case_attributes.csv: counts per case with footnotes (test data, invented).\n"
              "cases,attribute,value,datatype,notes,footnotes,basis,confidence,id\n"
              "ward:icu;country:uk,beds,24,count,,beds-a;beds-b,Read from the ward plan.,medium,icu-beds\n"
              "country:uk,hospitals,3,integer,Invented.,,,,\n")
NOTES = ("# notes.csv: footnotes of a table (test data, invented).\n"
         "about,text,kind,id,mark\n"
         "project,Beds counted on one day.,footnote,beds-a,a\n"
         "project,Closed beds not counted.,footnote,beds-b,b\n")


def _folder(tmp_path, attributes=ATTRIBUTES):
    folder = copy_project(tmp_path)
    (folder / "case_attributes.csv").write_text(attributes, encoding="utf-8")
    (folder / "notes.csv").write_text(NOTES, encoding="utf-8")
    return folder


def test_counts_footnotes_basis_confidence_and_id(kb, tmp_path):
    project = read_project(_folder(tmp_path), store=kb)
    assert project.problems.items == []
    beds = project.cases.attributes[0]
    assert (beds.value, beds.datatype, beds.footnotes, beds.basis, beds.confidence, beds.id) == (
        "24", "count", ["beds-a", "beds-b"], "Read from the ward plan.", "medium", "icu-beds")
    quads = {(q.subject.value, q.predicate.value, q.object.value, getattr(q.object, "datatype", None))
             for q in to_project_graph(project).data}
    mine = sorted((p.rsplit("#", 1)[-1], o, d.value if d else None) for s, p, o, d in quads
                  if s == P + "attribute/icu-beds" and p.rsplit("#", 1)[-1] in (
                      "value", "hasNote", "basis", "confidence"))
    assert mine == [("basis", "Read from the ward plan.", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"),
                    ("confidence", "medium", "http://www.w3.org/2001/XMLSchema#string"),
                    ("hasNote", P + "note/beds-a", None), ("hasNote", P + "note/beds-b", None),
                    ("value", "24", "http://www.w3.org/2001/XMLSchema#nonNegativeInteger")]


def test_bad_footnote_count_confidence_and_id_are_located(kb, tmp_path):
    bad = ATTRIBUTES + ("ward:surgical;country:br,beds,-4,count,,,,,\n"
                        "ward:surgical;country:uk,beds,4,count,,,,sure,\n"
                        "ward:icu;country:br,beds,4,count,,beds-c,,,icu-beds\n"
                        "ward:paediatric;country:br,beds,5,count,,beds-c,,,\n")
    project = read_project(_folder(tmp_path, bad), store=kb)
    assert [str(p) for p in project.problems.errors] == [
        'case_attributes.csv, row 5, column "value": "-4" is not a count value.',
        'case_attributes.csv, row 6, column "confidence": "sure" must be high, medium or low.',
        'case_attributes.csv, row 7, column "id": duplicate id "icu-beds" (first in row 3).',
        ('case_attributes.csv, row 8, column "footnotes": "beds-c" is not the id of a note in notes.csv. '
         'Did you mean "beds-b" or "beds-a"?')]
    assert project.problems.exit_code == 1
