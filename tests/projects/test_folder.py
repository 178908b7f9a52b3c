"""Reading the fictional hand-hygiene project whole: exact contents, and every cross-file problem, located."""

import pytest

from imri_kg.projects.evidence import excerpt_id
from imri_kg.projects.folder import read_project
from tests.projects.helpers import HAND_HYGIENE, copy_project, edit


@pytest.fixture(scope="module")
def project(kb):
    return read_project(HAND_HYGIENE, store=kb)


def test_reads_without_problems_and_counts(project):
    assert project.problems.items == []
    assert project.counts() == {"codes": 7, "dimensions": 2, "cases": 5, "case attributes": 3, "studies": 6,
                                "excerpts": 5, "mappings": 4, "notes": 1}
    meta = project.meta
    assert (meta.slug, meta.title, meta.authors, meta.year, meta.licence, meta.version, meta.fictional) == (
        "hand-hygiene", "Hand-hygiene programmes in hospitals (fictional test review)",
        ["Test Author A", "Test Author B"], "2024", "https://spdx.org/licenses/CC-BY-4.0", "1.0", True)


def test_two_level_codebook(project):
    assert {c.id: (c.parent, c.level, c.codable) for c in project.codes.values()} == {
        "T1": ("", "theme", False), "T1.1": ("T1", "category", True), "T1.2": ("T1", "category", True),
        "T2": ("", "theme", False), "T2.1": ("T2", "category", True), "T2.2": ("T2", "category", True),
        "T3": ("", "theme", True)}
    assert project.codes["T1"].alt_labels == ["Leaders", "Management support"]
    assert [(a.code, a.attribute, a.value, a.confidence) for a in project.code_attributes] == [
        ("T2.1", "scope", "ward", "medium"), ("T2.1", "scope", "hospital", "low")]


def test_cfir_mappings_resolved_by_notation_slug_and_label(project):
    cfir = "https://w3id.org/imri/cfir2009/"
    assert [(m.code, m.predicate.rsplit("#", 1)[1], m.target.removeprefix(cfir)) for m in project.mappings] == [
        ("T1.1", "closeMatch", "leadership-engagement"),  # cfir2009:III.E.1, by notation
        ("T1.2", "exactMatch", "champions"),  # by slug
        ("T2.1", "broadMatch", "available-resources"),  # cfir2009:Available Resources, by label
        ("T3", "relatedMatch", "goals-and-feedback")]


def test_two_case_dimensions_with_their_studies_and_attributes(project):
    cases = project.cases
    assert {d.id: d.label for d in cases.dimensions.values()} == {"ward": "Ward type", "country": "Country"}
    assert {f"{d}:{c}": sorted(case.studies) for (d, c), case in cases.cases.items()} == {
        "ward:icu": ["ana2019", "ben2020"], "ward:surgical": ["cruz2021", "dahl2022"],
        "ward:paediatric": ["eze2023", "fox2018"], "country:uk": ["ana2019", "cruz2021", "eze2023"],
        "country:br": ["ben2020", "dahl2022", "fox2018"]}
    assert [(a.cases, a.attribute, a.value, a.datatype) for a in cases.attributes] == [
        ([("country", "uk"), ("ward", "icu")], "beds", "24", "integer"),
        ([("country", "br"), ("ward", "surgical")], "beds", "40", "integer"),
        ([("country", "uk")], "hospitals", "3", "integer")]


def test_excerpts_multi_citation_multi_code_multi_case_and_the_comment_row_skipped(project):
    got = {e.id: (e.codes, e.cases, e.studies, e.origin.row) for e in project.excerpts}
    hashed = excerpt_id("Monthly feedback posters raised compliance.", ["T3"], ["eze2023"])
    assert hashed == "d6617de0b11d"
    assert got == {
        "x1": (["T1.1"], [("ward", "icu"), ("country", "uk")], ["ana2019", "ben2020"], 4),  # 1;2
        "x2": (["T1.2", "T3"], [("ward", "surgical"), ("country", "br")], ["cruz2021", "dahl2022"], 5),  # [3, 4]
        "x3": (["T2.1"], [("ward", "paediatric"), ("ward", "icu"), ("country", "uk")], ["eze2023", "fox2018"], 6),
        "x4": (["T2.2"], [("ward", "surgical"), ("country", "br")], ["ben2020"], 7),  # labels: Surgery, Brazil
        hashed: (["T3"], [("ward", "icu"), ("country", "uk")], ["eze2023"], 8)}  # by DOI, any case
    assert "x0" not in got  # the '#x0' example row is a comment
    x1 = next(e for e in project.excerpts if e.id == "x1")
    assert (x1.location, x1.coder, x1.date, x1.language) == ("p. 4", "Ana Coder", "2024-03-01", "en")


def _problems(kb, folder):
    project = read_project(folder, store=kb)
    return [str(p) for p in project.problems.errors], project.problems.exit_code


def test_citation_key_not_in_the_bibliography(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "evidence" / "coded.csv", "Brazil,ben2020,", "Brazil,ben2021,")
    assert _problems(kb, folder) == ([
        ('evidence/coded.csv, row 7, column "studies": "ben2021" is neither a citation key nor a DOI of the '
        'bibliography. Did you mean "ben2020"?')], 1)


def test_a_row_citing_nothing(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "evidence" / "coded.csv", 'br,"[3, 4]",', "br,,")
    assert _problems(kb, folder) == ([
        ('evidence/coded.csv, row 5, column "studies": the row cites nothing; name the studies it comes from '
        "(citation key, DOI or reference number; several as 85;88 or [85, 88]).")], 1)


def test_an_unknown_reference_number(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "evidence" / "coded.csv", '"5, 6"', '"5, 60"')
    assert _problems(kb, folder) == ([
        ('evidence/coded.csv, row 6, column "studies": "60" is not the reference number of a study in the '
        "bibliography (numbers: 1, 2, 3, 4, 5, 6).")], 1)


def test_a_codebook_with_a_cycle(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "codebook.csv", "Support from hospital leaders.,,theme", "Support from hospital leaders.,T1.1,theme")
    assert _problems(kb, folder) == ([
        ('codebook.csv, row 3, column "parent": the codebook has a cycle: T1 -> T1.1 -> T1 (each code\'s parent is '
        "the next); a code cannot be its own ancestor.")], 1)


def test_duplicate_codes(kb, tmp_path):
    folder = copy_project(tmp_path)
    path = folder / "codebook.csv"
    path.write_text(path.read_text(encoding="utf-8") + "t2.1,Hand rub again,,,T2,category,,,\n", encoding="utf-8")
    assert _problems(kb, folder) == ([
        'codebook.csv, row 10, column "code": duplicate code "t2.1" (first in row 7); give each code its own id.'], 1)


def test_a_code_or_case_that_is_not_known_with_suggestions(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "evidence" / "coded.csv", "x1,Executive commitment,", "x1,Executive comitment,")
    edit(folder / "evidence" / "coded.csv", "T2.2,Surgery,", "T2.2,Surgicle,")
    assert _problems(kb, folder) == ([
        ('evidence/coded.csv, row 4, column "codes": "Executive comitment" is not a known code. '
        'Did you mean "Executive commitment"?'),
        ('evidence/coded.csv, row 7, column "ward": "Surgicle" is not a known case of dimension ward. '
        'Did you mean "Surgical wards"?')], 1)



def test_an_order_that_is_not_a_whole_number(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "codebook.csv", "notation,color,codable\n", "notation,color,codable,order\n")
    edit(folder / "codebook.csv", "theme,1,#1f77b4,false\n", "theme,1,#1f77b4,false,first\n")
    edit(folder / "cases.csv", "alt_labels,definition\n", "alt_labels,definition,order\n")
    edit(folder / "cases.csv", "ward,icu,Intensive care,ICU,\n", "ward,icu,Intensive care,ICU,,2.5\n")
    assert _problems(kb, folder) == ([
        ('cases.csv, row 3, column "order": "2.5" must be a whole number (the place of this row in the source\'s own '
         "order)."),
        ('codebook.csv, row 3, column "order": "first" must be a whole number (the place of this row in the '
         "source's own order).")], 1)

def test_a_case_attribute_for_an_unknown_case(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "case_attributes.csv", "ward:icu;country:uk,beds", "ward:icu;country:fr,beds")
    assert _problems(kb, folder) == ([
        ('case_attributes.csv, row 3, column "cases": "fr" is not a known case of dimension country. '
        "Known: br, uk.")], 1)


def test_a_mapping_to_an_unknown_construct(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "mappings.csv", "cfir2009:champions", "cfir2009:champion")
    assert _problems(kb, folder) == ([
        ('mappings.csv, row 4, column "target": "cfir2009:champion" is not a concept of cfir2009. '
        'Did you mean "cfir2009:champions"?')], 1)


def test_every_problem_is_collected_not_only_the_first(kb, tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "evidence" / "coded.csv", "Brazil,ben2020,", "Brazil,ben2021,")
    edit(folder / "codebook.csv", "Support from hospital leaders.,,theme", "Support from hospital leaders.,T1.1,theme")
    edit(folder / "case_attributes.csv", "ward:icu;country:uk,beds", "ward:icu;country:fr,beds")
    ris = folder / "bibliography" / "studies.ris"
    ris.write_bytes(ris.read_bytes().decode("utf-8").encode("latin-1"))
    problems, code = _problems(kb, folder)
    assert code == 2  # an unreadable file outranks data problems
    # the RIS studies (3, 4, cruz2021, dahl2022) are now unknown wherever they are cited, and each place is reported
    assert [p.split(":")[0] for p in problems] == [
        "bibliography/studies.ris, line 17", 'case_attributes.csv, row 3, column "cases"',
        'case_studies.csv, row 4, column "studies"', 'case_studies.csv, row 4, column "studies"',  # [3, 4]
        'case_studies.csv, row 6, column "studies"',  # 3
        'case_studies.csv, row 7, column "studies"',  # dahl2022's DOI
        'codebook.csv, row 3, column "parent"',
        'evidence/coded.csv, row 5, column "studies"', 'evidence/coded.csv, row 5, column "studies"',
        'evidence/coded.csv, row 7, column "studies"']


def test_a_date_a_spreadsheet_kept_as_its_serial_number_is_told_as_the_date_it_is(kb, tmp_path):
    """Excel writes a date cell formatted as General as its serial number (45352): the message now says so."""
    folder = copy_project(tmp_path)
    edit(folder / "evidence" / "coded.csv", "Ana Coder,2024-03-01,", "Ana Coder,45352,")
    edit(folder / "evidence" / "coded.csv", "Ana Coder,2024-03-02,", "Ana Coder,01/03/2024,")
    assert _problems(kb, folder) == ([
        ('evidence/coded.csv, row 4, column "date": "45352" is not an ISO date like 2024-05-31; as a spreadsheet\'s '
         "date number it is 2024-03-01: format the column as a date or as text (YYYY-MM-DD)."),
        'evidence/coded.csv, row 5, column "date": "01/03/2024" is not an ISO date like 2024-05-31.'], 1)


def test_cases_whose_parents_make_a_cycle(kb, tmp_path):
    """icu under surgical and surgical under icu conformed, and the matrix then counted each ward's excerpts twice."""
    folder = copy_project(tmp_path)
    edit(folder / "cases.csv", "dimension,case,label,alt_labels,definition", "dimension,case,label,alt_labels,definition,parent")
    edit(folder / "cases.csv", "ward,icu,Intensive care,ICU,", "ward,icu,Intensive care,ICU,,surgical")
    edit(folder / "cases.csv", "ward,surgical,Surgical wards,Surgery,", "ward,surgical,Surgical wards,Surgery,,icu")
    assert _problems(kb, folder) == ([
        ('cases.csv, row 3, column "parent": the cases of dimension ward have a cycle: icu -> surgical -> icu (each '
         "case's parent is the next); a case cannot be its own ancestor.")], 1)


def test_a_codebook_nested_deeper_than_64_levels(kb, tmp_path):
    """10,000 nested codes took validate over 5 minutes and import crashed (RecursionError in the shapes)."""
    folder = copy_project(tmp_path)
    path = folder / "codebook.csv"
    deep = "".join(f"D{i},Deep {i},,,{f'D{i - 1}' if i else 'T3'},,,,\n" for i in range(10_000))
    path.write_text(path.read_text(encoding="utf-8") + deep, encoding="utf-8")
    problems, code = _problems(kb, folder)
    assert code == 1 and problems == [
        ('codebook.csv, row 73, column "parent": code D63 is 65 levels deep (T3 > D0 > D1 > ... > D62 > D63); '
         "the codebook is taken with at most 64 levels.")]


def test_a_label_two_codes_or_two_cases_share_is_not_taken_for_either(kb, tmp_path):
    """"Other" under two themes is common; the evidence row "other" went to one of them in silence (the first)."""
    folder = copy_project(tmp_path)
    path = folder / "codebook.csv"
    path.write_text(path.read_text(encoding="utf-8") + "O1,Other,,,T1,category,,,\nO2,Other,,,T2,category,,,\n",
                    encoding="utf-8")
    path = folder / "cases.csv"
    path.write_text(path.read_text(encoding="utf-8") + "country,ie,Ireland,Brazil,\n", encoding="utf-8")
    path = folder / "evidence" / "coded.csv"
    path.write_text(path.read_text(encoding="utf-8") + "z1,other,icu,uk,1,Ambiguous label.,,,,\nz2,O2,icu,ie,1,By id.,,,,\n",
                    encoding="utf-8")
    assert _problems(kb, folder) == ([
        ('evidence/coded.csv, row 7, column "country": "Brazil" is a label of several cases of dimension country '
         "(br, ie); write the id of the one meant."),
        ('evidence/coded.csv, row 9, column "codes": "other" is a label of several codes (O1, O2); write the id of the '
         "one meant.")], 1)


def test_a_project_yaml_value_that_is_a_list_or_mapping_is_refused(kb, tmp_path):
    """YAML reads `title: [Hand hygiene]` as a list and `title: Hand: hygiene` as an error; a list or mapping where
    one value belongs was written into the graph as "['Hand hygiene']"."""
    folder = copy_project(tmp_path)
    yaml_file = folder / "project.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    yaml_file.write_text(text.replace(title, "title: [1, 2]").replace('version: "1.0"', "version: {major: 1}"),
                         encoding="utf-8")
    project = read_project(folder, store=kb)
    assert [str(p) for p in project.problems.errors] == [
        ('project.yaml, column "title": title must be one value, not a YAML list or mapping (put text holding [ ] { } '
        "or ': ' in quotes)."),
        ('project.yaml, column "version": version must be one value, not a YAML list or mapping (put text holding '
        "[ ] { } or ': ' in quotes)."),
    ]
