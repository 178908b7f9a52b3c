"""A project's SHACL results are located back to the file, row and column its record came from."""

from imri_kg.namespaces import CITO
from imri_kg.projects import checks
from imri_kg.projects.checks import check_project
from tests.projects.helpers import HAND_HYGIENE, P


def test_a_shape_result_is_located_by_file_row_and_column(kb, monkeypatch):
    real = checks.to_project_graph

    def without_citations_of_x2(project, *, base):  # what a buggy importer might write: x2 citing nothing
        graph = real(project, base=base)
        graph.data = [q for q in graph.data if not (q.subject.value == P + "excerpt/x2" and q.predicate == CITO.cites)]
        return graph

    monkeypatch.setattr(checks, "to_project_graph", without_citations_of_x2)
    check = check_project(HAND_HYGIENE, store=kb, engine="pyshacl")
    assert not check.conforms and check.problems.exit_code == 1
    assert [str(p) for p in check.problems.errors] == [
        'evidence/coded.csv, row 5, column "studies": Say which studies of the bibliography the excerpt comes from.']
