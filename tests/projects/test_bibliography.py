"""The three bibliography readers (BibTeX, RIS, CSL-JSON), reference numbers, and their located errors."""

from imri_kg.projects.bibliography import read_bibliography
from imri_kg.projects.problems import Problems
from tests.projects.helpers import HAND_HYGIENE, copy_project, edit


def test_six_studies_from_three_formats_with_full_references():
    index = read_bibliography(HAND_HYGIENE, Problems(HAND_HYGIENE))
    assert sorted(index.studies) == ["ana2019", "ben2020", "cruz2021", "dahl2022", "eze2023", "fox2018"]
    assert {n: k for n, k in index.numbers.items()} == {
        1: "ana2019", 2: "ben2020", 3: "cruz2021", 4: "dahl2022", 5: "eze2023", 6: "fox2018"}
    cite = {k: s.citation() for k, s in index.studies.items()}
    # BibTeX: LaTeX braces dropped, "Last, First Middle" -> "Last FM", doi.org prefix removed
    assert cite["ana2019"] == ("Ana MC, Smith J (2019). Dispensers at the bedside: a controlled trial. "
                               "Journal of Invented Hospital Studies. doi:10.5555/hh.2019.001")
    assert cite["ben2020"] == "Ben T (2020). Staffing and hand hygiene. Invented Nursing Review. doi:10.5555/hh.2020.002"
    # RIS (CRLF line ends, UTF-8): JO and T2 as venue, N1 "refnumber: 4"
    assert cite["cruz2021"] == ("Cruz P, Lima R, Costa AB (2021). Champions on surgical wards. "
                                "Invented Surgical Quarterly. doi:10.5555/hh.2021.003")
    assert cite["dahl2022"] == ("Dahl S (2022). Weekly audits in São Paulo. Invented Journal of Infection Control. "
                                "doi:10.5555/hh.2022.004")
    # CSL-JSON: date-parts, container-title, citation-number
    assert cite["eze2023"] == ("Eze C, Okafor N (2023). Night shifts and empty dispensers. Invented Paediatric Care. "
                               "doi:10.5555/hh.2023.005")
    assert index.studies["fox2018"].number == 6
    # where each entry starts, for located errors
    assert [(index.studies[k].origin.path.name, index.studies[k].origin.row) for k in sorted(index.studies)] == [
        ("studies.bib", 2), ("studies.bib", 11), ("studies.ris", 1), ("studies.ris", 13), ("studies.json", 3),
        ("studies.json", 13)]


def test_find_by_key_doi_or_number():
    index = read_bibliography(HAND_HYGIENE, Problems(HAND_HYGIENE))
    assert index.find("CRUZ2021") == "cruz2021"
    assert index.find("https://doi.org/10.5555/HH.2022.004") == "dahl2022"
    assert index.find("5") == "eze2023"
    assert index.find("7") is None
    assert index.unknown("ben2021") == ('"ben2021" is neither a citation key nor a DOI of the bibliography. '
                                        'Did you mean "ben2020"?')


def test_bibtex_syntax_error_is_located_at_its_line(tmp_path):
    folder = copy_project(tmp_path)
    bib = folder / "bibliography" / "studies.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@article{broken2021,\n  title = {No closing brace,\n"
                   "  year = 2021\n\n@article{gus2017,\n  title = {Fine},\n  year = {2017}\n}\n", encoding="utf-8")
    problems = Problems(folder)
    index = read_bibliography(folder, problems)
    [problem] = problems.errors
    assert (problem.path, problem.row, problem.unit, problem.kind) == ("bibliography/studies.bib", 20, "line", "input")
    assert problem.message.startswith("BibTeX syntax error in the entry starting here (@article{broken2021,)")
    assert "gus2017" in index.studies  # the entries after the broken one are still read
    assert problems.exit_code == 2


def test_ris_in_the_wrong_encoding_is_located_at_the_first_bad_byte(tmp_path):
    folder = copy_project(tmp_path)
    ris = folder / "bibliography" / "studies.ris"
    ris.write_bytes(ris.read_bytes().decode("utf-8").encode("latin-1"))  # keeps its CRLF line ends
    problems = Problems(folder)
    index = read_bibliography(folder, problems)
    [problem] = problems.errors
    assert (problem.path, problem.row, problem.unit) == ("bibliography/studies.ris", 17, "line")
    assert problem.message == ("is not UTF-8 (byte 312; it looks like Latin-1 or Windows-1252); export it from the "
                               "reference manager as UTF-8.")
    assert "cruz2021" not in index.studies and problems.exit_code == 2


def test_duplicate_keys_and_numbers_across_files(tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "bibliography" / "studies.json", '"id": "fox2018"', '"id": "ana2019"')
    edit(folder / "bibliography" / "studies.json", '"citation-number": 5', '"citation-number": 1')
    problems = Problems(folder)
    read_bibliography(folder, problems)
    assert [str(p) for p in problems.errors] == [
        "bibliography/studies.json, line 3: eze2023 has reference number 1, already ana2019's.",
        ("bibliography/studies.json, line 13: duplicate citation key \"ana2019\" (also bibliography/studies.bib line "
        "2); give each study its own key.")]


def test_csl_json_syntax_error(tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "bibliography" / "studies.json", '"title": "Night shifts and empty dispensers",',
         '"title": "Night shifts and empty dispensers"')
    problems = Problems(folder)
    read_bibliography(folder, problems)
    [problem] = problems.errors
    assert (problem.path, problem.row, problem.kind) == ("bibliography/studies.json", 8, "input")
    assert problem.message.startswith("is not valid JSON: Expecting ',' delimiter")


def test_an_entry_with_nothing_to_cite_it_by_is_a_warning(tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "bibliography" / "studies.json", '''"id": "fox2018",''', '''"id": "gil2024"}, {"id": "fox2018",''')
    problems = Problems(folder)
    index = read_bibliography(folder, problems)
    assert index.studies["gil2024"].citation() == "gil2024"
    assert problems.errors == []
    assert [(p.path, p.row, p.severity, p.message) for p in problems.items] == [
        ("bibliography/studies.json", 13, "Warning",
         ("gil2024 has no author, title, year, DOI or reference number, so it is cited by its key alone; "
          "check the entry's field names."))]


def test_a_doi_in_every_link_form_a_reference_manager_writes():
    """http://dx.doi.org/ (older Zotero, Mendeley and EndNote exports) was "neither a citation key nor a DOI"."""
    index = read_bibliography(HAND_HYGIENE, Problems(HAND_HYGIENE))
    for written in ("http://dx.doi.org/10.5555/hh.2022.004", "https://dx.doi.org/10.5555/hh.2022.004",
                    "http://doi.org/10.5555/hh.2022.004", "DOI: 10.5555/HH.2022.004"):
        assert index.find(written) == "dahl2022", written
