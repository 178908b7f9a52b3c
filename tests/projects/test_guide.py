"""questions.csv: an interview guide's questions read in number order and written as imri:GuideQuestion; a number
that is not a whole number, a number given twice and an empty text are located problems."""

from imri_kg.projects.folder import read_project
from imri_kg.projects.graph import to_project_graph
from tests.projects.helpers import P, copy_project

QUESTIONS = ("# questions.csv: the interview guide (test data, invented).\n"
             "number,text,note,source\n"
             "2,How did the audit change your rounds?,Asked of nurses only.,hh#guide\n"
             "1,What did the programme change on your ward?,,hh#guide\n")


def _folder(tmp_path, text=QUESTIONS):
    folder = copy_project(tmp_path)
    (folder / "questions.csv").write_text(text, encoding="utf-8")
    return folder


def test_questions_in_number_order_and_their_graph(kb, tmp_path):
    project = read_project(_folder(tmp_path), store=kb)
    assert project.problems.items == []
    assert [(q.number, q.text, q.note, q.source, q.origin.row) for q in project.questions] == [
        (1, "What did the programme change on your ward?", "", "hh#guide", 4),
        (2, "How did the audit change your rounds?", "Asked of nurses only.", "hh#guide", 3)]
    quads = {(q.subject.value, q.predicate.value, q.object.value) for q in to_project_graph(project).data}
    imri = "https://w3id.org/imri/ontology#"
    two = sorted((p.rsplit("#", 1)[-1].rsplit("/", 1)[-1], o) for s, p, o in quads if s == P + "question/2" and
                 "wasDerivedFrom" not in p)
    assert two == [("label", "Question 2"), ("number", "2"), ("project", P.rstrip("/")),
                   ("scopeNote", "Asked of nurses only."), ("source", "hh#guide"),
                   ("text", "How did the audit change your rounds?"), ("type", imri + "GuideQuestion")]


def test_bad_numbers_and_an_empty_text_are_located(kb, tmp_path):
    folder = _folder(tmp_path, QUESTIONS + "1,Again?,,\nfirst,Which?,,\n3,,,\n")
    project = read_project(folder, store=kb)
    assert [str(p) for p in project.problems.errors] == [
        'questions.csv, row 5, column "number": duplicate question 1 (first in row 4).',
        ('questions.csv, row 6, column "number": "first" must be a whole number of 1 or more (the question\'s number '
         "in the guide)."),
        'questions.csv, row 7, column "text": is empty; this column is required.']
    assert project.problems.exit_code == 1
