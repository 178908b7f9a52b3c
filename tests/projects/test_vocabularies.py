"""attribute_values.csv: the vocabulary of a code attribute, read, checked against code_attributes.csv and written
as a concept scheme; a value outside it, a duplicate value and an empty label are located problems."""

from imri_kg.projects.folder import read_project
from imri_kg.projects.graph import to_project_graph
from tests.projects.helpers import P, copy_project, edit

VALUES = ("# attribute_values.csv: the scopes of a code (test data, invented).\n"
          "attribute,value,label,definition,source,order\n"
          "scope,ward,On one ward,The programme ran on one ward.,hh#methods,2\n"
          "scope,hospital,Whole hospital,The programme ran hospital-wide.,hh#methods,1\n")


def _folder(tmp_path, values=VALUES):
    folder = copy_project(tmp_path)
    (folder / "attribute_values.csv").write_text(values, encoding="utf-8")
    return folder


def test_values_are_concepts_that_the_code_attributes_name(kb, tmp_path):
    folder = _folder(tmp_path)
    edit(folder / "code_attributes.csv", "T2.1,scope,hospital,", "T2.1,scope,Whole hospital,")  # by its label
    project = read_project(folder, store=kb)
    assert project.problems.items == []
    assert {a: [(v.value, v.label, v.order) for v in vs.values()] for a, vs in project.attribute_values.items()} == {
        "scope": [("ward", "On one ward", 2), ("hospital", "Whole hospital", 1)]}
    assert sorted(a.value for a in project.code_attributes) == ["hospital", "ward"]  # the label read as its value
    quads = {(q.subject.value, q.predicate.value, q.object.value) for q in to_project_graph(project).data}
    imri, skos = "https://w3id.org/imri/ontology#", "http://www.w3.org/2004/02/skos/core#"
    links = sorted(o.removeprefix(P) for s, p, o in quads if p == imri + "valueConcept")
    assert links == ["vocabulary/scope/hospital", "vocabulary/scope/ward"]
    ward = P + "vocabulary/scope/ward"
    assert sorted((p.rsplit("#", 1)[-1].rsplit("/", 1)[-1], o) for s, p, o in quads if s == ward and p.startswith(
        (skos, imri + "order", "http://purl.org/dc/terms/"))) == [
        ("definition", "The programme ran on one ward."), ("inScheme", P + "vocabulary/scope"), ("notation", "ward"),
        ("order", "2"), ("prefLabel", "On one ward"), ("source", "hh#methods")]
    assert (P + "vocabulary/scope", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            imri + "AttributeVocabulary") in quads


def test_a_value_outside_the_vocabulary_is_located_with_a_suggestion(kb, tmp_path):
    folder = _folder(tmp_path)
    edit(folder / "code_attributes.csv", "T2.1,scope,ward,", "T2.1,scope,wards,")
    project = read_project(folder, store=kb)
    assert [str(p) for p in project.problems.errors] == [
        ('code_attributes.csv, row 3, column "value": "wards" is not a value of attribute "scope" '
         '(attribute_values.csv). Did you mean "ward"?')]
    assert project.problems.exit_code == 1


def test_a_duplicate_value_and_an_empty_label_are_located(kb, tmp_path):
    folder = _folder(tmp_path, VALUES + "scope,ward,Ward again,,,\nscope,unit,,,,\n")
    project = read_project(folder, store=kb)
    assert [str(p) for p in project.problems.errors] == [
        'attribute_values.csv, row 5, column "value": duplicate value "ward" of attribute "scope" (first in row 3).',
        'attribute_values.csv, row 6, column "label": is empty; this column is required.']
    assert project.problems.exit_code == 1
