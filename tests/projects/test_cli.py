"""The project commands as a reviewer runs them: init, validate DIR, import DIR, remove, and their exit codes."""

import json

from click.testing import CliRunner

from imri_kg.cli import cli
from tests.projects.helpers import HAND_HYGIENE, copy_project, edit
from tests.projects.test_template import FILES


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_init_writes_a_documented_project_that_validates_empty(tmp_path):
    result = invoke("init", tmp_path / "mine", "--title", "My review")
    assert result.exit_code == 0
    names = sorted(p.relative_to(tmp_path / "mine").as_posix() for p in (tmp_path / "mine").rglob("*") if p.is_file())
    assert names == sorted(FILES)  # every file the reader accepts (tests/projects/test_template.py)
    assert "slug: mine\ntitle: My review\n" in (tmp_path / "mine" / "project.yaml").read_text(encoding="utf-8")
    codebook = (tmp_path / "mine" / "codebook.csv").read_text(encoding="utf-8").splitlines()
    assert codebook[0].startswith("# codebook.csv: one row per code.") and codebook[-1].startswith("#T1,Example theme")
    result = invoke("validate", tmp_path / "mine")
    assert result.exit_code == 0  # every example row is a comment: nothing is imported by mistake
    assert result.output == ("mine: conforms (0 codes, 0 dimensions, 0 cases, 0 case attributes, 0 studies, "
                             "0 excerpts, 0 mappings, 0 notes); 0 warning(s).\n")
    again = invoke("init", tmp_path / "mine")
    assert again.exit_code == 2 and "already has files" in again.output


def test_validate_the_fictional_project():
    result = invoke("validate", HAND_HYGIENE)
    assert result.exit_code == 0
    assert result.output == ("hand-hygiene: conforms (7 codes, 2 dimensions, 5 cases, 3 case attributes, "
                             "6 studies, 5 excerpts, 4 mappings, 1 notes); 0 warning(s).\n")


def test_validate_counts_the_views_and_the_triples_they_state():
    # examples/piat2022: 7 views stating 109 + 572 + 311 + 26 + 217 + 196 + 402 = 1,833 triples (each view's count is
    # checked by hand in test_example_piat2022.py)
    folder = HAND_HYGIENE.parents[3] / "examples" / "piat2022"
    result = invoke("validate", folder)
    assert result.exit_code == 0
    assert result.output == ("piat2022: conforms (23 codes, 3 dimensions, 18 cases, 101 case attributes, 1 studies, "
                             "24 excerpts, 0 mappings, 8 notes, 7 views stating 1833 triples); 0 warning(s).\n")
    report = json.loads(invoke("validate", folder, "--format", "json").output)
    assert report["views"] == {"files": 7, "triples": 1833}


def test_validate_reports_every_problem_located_and_exits_1(tmp_path):
    folder = copy_project(tmp_path)
    edit(folder / "evidence" / "coded.csv", "x1,Executive commitment,", "x1,Executive comitment,")
    edit(folder / "codebook.csv", "T2.2,Staffing levels", "T2.1,Staffing levels")
    result = invoke("validate", folder)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'codebook.csv, row 8, column "code": duplicate code "T2.1" (first in row 7); give each code its own id.',
        ('evidence/coded.csv, row 4, column "codes": "Executive comitment" is not a known code. '
        'Did you mean "Executive commitment"?'),
        # the duplicate row is not read, so T2.2 is gone; the closest ids are T2.1, T1.2 and T2
        ('evidence/coded.csv, row 7, column "codes": "T2.2" is not a known code. '
        'Did you mean "Alcohol rub availability" or "Ward champions" or "Resources"?'),
        "hand-hygiene: does not conform: 3 problem(s), 0 warning(s) in 2 file(s)."]
    report = json.loads(invoke("validate", folder, "--format", "json").output)
    assert (report["conforms"], report["exit_code"], len(report["problems"])) == (False, 1, 3)
    assert report["problems"][0] == {"file": "codebook.csv", "row": 8, "column": "code", "kind": "data",
                                     "severity": "Violation", "message": 'duplicate code "T2.1" (first in row 7); '
                                                                         "give each code its own id."}


def test_validate_exits_2_for_a_file_that_cannot_be_read(tmp_path):
    folder = copy_project(tmp_path)
    (folder / "project.yaml").write_text("slug: [unclosed\n", encoding="utf-8")
    result = invoke("validate", folder)
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith("project.yaml, line 2: is not valid YAML")


def test_import_replace_and_remove_through_the_cli(tmp_path):
    store = tmp_path / "store"
    assert invoke("build", "--store", store).exit_code == 0
    folder = copy_project(tmp_path)
    first = invoke("import", folder, "--store", store, "--by", "Tess")
    assert first.exit_code == 0
    assert first.output == ("hand-hygiene: imported (import 1): codes 7, cases 5, case attributes 3, studies 6, "
                            "excerpts 5, mappings 4, triples 1446; graphs <https://w3id.org/imri/graph/project/"
                            "hand-hygiene/>.\n")
    same = invoke("import", folder, "--store", store)
    assert same.output == f"hand-hygiene: already in the store as it is in {folder}; nothing changed.\n"
    edit(folder / "evidence" / "coded.csv", "Brazil,ben2020,", "Brazil,ben2021,")
    rejected = invoke("import", folder, "--store", store)
    assert rejected.exit_code == 1 and "rejected; nothing was written." in rejected.output
    edit(folder / "evidence" / "coded.csv", "Brazil,ben2021,", "Brazil,ben2020;ana2019,")
    second = invoke("import", folder, "--store", store, "--by", "Tess")
    assert second.exit_code == 0
    assert second.output.startswith("hand-hygiene: replaced the earlier version (import 2): codes 7 -> 7, ")
    query = tmp_path / "cites.rq"
    query.write_text('SELECT (COUNT(*) AS ?n) WHERE { ?x dcterms:identifier "x4" ; cito:cites ?s }', encoding="utf-8")
    assert invoke("query", query, "--store", store, "--format", "csv").output.splitlines() == ["n", "2"]
    edit(folder / "project.yaml", "title: Hand-hygiene", "title: Hand hygiene")  # another title: another project?
    clash = invoke("import", folder, "--store", store)
    assert clash.exit_code == 1 and 'holds another project under the slug "hand-hygiene"' in clash.output
    assert invoke("import", folder, "--store", store, "--replace").output.startswith(
        "hand-hygiene: replaced the earlier version (import 3): ")
    removed = invoke("remove", "hand-hygiene", "--store", store)
    assert removed.exit_code == 0 and removed.output.startswith("hand-hygiene: removed (codes 7, cases 5, ")
    assert invoke("remove", "hand-hygiene", "--store", store).exit_code == 2


def test_validate_of_a_single_sheet_still_works():
    sheet = HAND_HYGIENE.parents[1] / "sheets" / "coded-evidence-good.csv"
    result = invoke("validate", sheet)
    assert result.exit_code == 0 and "coded-evidence-good.csv: 3 rows checked: all conform." in result.output


def test_a_zipped_project_validates_as_its_folder_and_a_qdpx_is_pointed_to_import(tmp_path):
    import shutil

    folder = copy_project(HAND_HYGIENE, tmp_path / "hh")
    archive = shutil.make_archive(str(tmp_path / "hh"), "zip", tmp_path, "hh")
    zipped, plain = invoke("validate", archive), invoke("validate", str(folder))
    assert (zipped.exit_code, zipped.output) == (plain.exit_code, plain.output) == (0, plain.output)
    assert zipped.output.startswith("hand-hygiene: conforms (7 codes, 2 dimensions, 5 cases")
    qdpx = tmp_path / "hh.qdpx"
    qdpx.write_bytes(b"PK")
    pointed = invoke("validate", str(qdpx))
    assert pointed.exit_code == 2
    assert pointed.output == ("error: a REFI-QDA file becomes a review-project folder first: imri-kg import FILE "
                              "--project DIR, then imri-kg validate DIR.\n")


def test_import_into_a_store_that_is_not_there_creates_nothing(tmp_path):
    missing = tmp_path / "nostore"
    result = invoke("import", str(HAND_HYGIENE), "--store", str(missing))
    assert (result.exit_code, result.output) == (
        2, f"error: {missing}: no store is here; run: imri-kg build --store {missing}\n")
    assert not missing.exists()  # (only the lock file that waited for any writer is left beside it)


def test_init_quotes_a_title_yaml_would_misread_and_refuses_a_bad_slug(tmp_path):
    """init wrote `title: Has "quotes": and # a hash` as it came (project.yaml then failed to parse) and wrote a
    project with slug "Bad Slug", which validate then refused: both were accepted with exit 0."""
    title = 'Has "quotes": and # a hash'
    assert invoke("init", tmp_path / "a", "--title", title).exit_code == 0
    import yaml

    assert yaml.safe_load((tmp_path / "a" / "project.yaml").read_text(encoding="utf-8"))["title"] == title
    assert invoke("validate", tmp_path / "a").exit_code == 0
    bad = invoke("init", tmp_path / "b", "--slug", "Bad Slug")
    assert bad.exit_code == 2 and not (tmp_path / "b").exists()
    assert 'slug "Bad Slug" must be lowercase letters, digits and single hyphens' in bad.output
