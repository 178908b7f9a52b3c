"""A breaker's case (break13f) for slices._rules on 8eec999: a file adding one triple about a stored theme (the
commit's own example, a skos:altLabel) still makes the project's shapes read the whole store, through the crosswalk
MappingShape's rule (it reads forwards with a variable predicate, `?s ?p ?o`). _rules runs every forward rule with
an unknown predicate set as a backward one once anything moved (`c.predicates is None`), and such a rule is run by
dumping the store to a file (engines.to_files) and running the rule over all of it twice: with the file and alone. slices.reads_any's docstring
takes the same rule NOT to read what a sheet adds, "counting it would check every sheet in one run over the whole
store". Measured (bench lock, interleaved, kb + a 50,000-row import, 767k triples, load 2.4-5): 8eec999 16.6-31.6 s
for the one altLabel, the parent d2a9ad9 (one whole shacl-rust run) 17.0-23.0 s; a file about a new node 0.05-0.16 s
(bench/results/break13f-altlabel.txt)."""

from pyoxigraph import Store

from imri_kg.importers.files import check_file
from imri_kg.validation import engines


def test_a_new_label_on_a_stored_theme_does_not_copy_the_whole_store(kb, tmp_path, monkeypatch):
    """Expected: the store is never handed to engines.to_files (nothing about the theme is read through a rule's
    variable predicate that the slices cannot give). Got on 8eec999: to_files([store]) once, dumps [True, False]
    (then two rule runs over every stored triple). The report is right ([]); the cost grows with the store."""
    dumps: list[bool] = []
    to_files = engines.to_files

    def spy(sources, folder):
        dumps.append(any(isinstance(s, Store) for s in sources))
        return to_files(sources, folder)

    monkeypatch.setattr(engines, "to_files", spy)
    path = tmp_path / "label.nt"
    path.write_text('<https://w3id.org/imri/theme/staff-turnover> <http://www.w3.org/2004/02/skos/core#altLabel> '
                    '"Turnover of staff"@en .\n', encoding="utf-8")
    assert check_file(kb, path).report.results == []
    assert True not in dumps


def test_a_second_sheet_spelling_a_stored_coder_in_lower_case_does_not_copy_the_whole_store(kb, tmp_path,
                                                                                             monkeypatch):
    """A new user's case: sheet one names the coder "Coder 1", sheet two (other rows) "coder 1". Both are the IRI
    .../coder/coder-1 (slugify), so sheet two adds a second rdfs:label to a stored coder: a changed store node,
    rdfs:label moved, and the crosswalk rule is run over a dump of the whole store as above. Expected: no dump
    (no result either); got on 8eec999: dumps [True, False]. Ten rows of bench/make_sheet.py's cells each."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from make_sheet import write_sheet

    from imri_kg.importers.coding_sheet import read_coding_sheet
    from imri_kg.importers.files import check_quads, import_sheet

    store = Store()
    store.bulk_extend(kb)
    first = write_sheet(tmp_path / "one.csv", 10)
    assert import_sheet(store, first).added == 181
    second = tmp_path / "two.csv"
    second.write_text(first.read_text(encoding="utf-8").replace("Coder 1", "coder 1")
                      .replace("synthetic row", "second sheet row"), encoding="utf-8")
    dumps: list[bool] = []
    to_files = engines.to_files
    monkeypatch.setattr(engines, "to_files", lambda sources, folder: dumps.append(
        any(isinstance(s, Store) for s in sources)) or to_files(sources, folder))
    assert check_quads(store, read_coding_sheet(second, store=store).records).results == []
    assert True not in dumps
