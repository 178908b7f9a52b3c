"""Import into a project folder: exact files, GUID matching on re-import, the sources.csv loop, comments kept."""

import shutil
import zipfile

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.errors import InputError
from imri_kg.projects.refiqda import import_refiqda
from tests.projects.refiqda.helpers import DATA, csv_text, project, qdpx, snapshot


def test_nvivo_project_into_a_folder_exact_files(tmp_path):
    folder = project(tmp_path)
    plan = import_refiqda(qdpx("nvivo-style", tmp_path), folder)
    assert sorted(plan.files) == ["case_attributes.csv", "cases.csv", "codebook.csv", "dimensions.csv",
                                  "evidence/refiqda.csv", "notes.csv", "sources.csv",
                                  "sources/a1b2c3d4-0000-4000-8000-00000000000a.txt"]
    assert csv_text(folder, "evidence/refiqda.csv") == (
        "id,codes,case,studies,text,start,end,source_document,coder,date,notes\n"
        "5e100000-0000-4000-8000-000000000001,peer-support,participant-a,smith2019,The peer worker 🤝 listened.,"
        "44,71,smith2019 interview A,Ana Coder,2024-05-01,Clear example.\n"
        "5e100000-0000-4000-8000-000000000002,being-heard;peer-support,participant-a,smith2019,I felt 𝓗eard.,"
        "72,85,smith2019 interview A,BK,2024-05-02,\n"
        "5e100000-0000-4000-8000-000000000003,housing,participant-a,smith2019,Housing came later.,"
        "90,109,smith2019 interview A,,,\n")
    assert csv_text(folder, "codebook.csv") == (
        "code,label,definition,parent,color,codable,guid\n"
        "peer-support,Peer support,Support given by people with lived experience.,,#33AA77,true,"
        "{C0DE0000-0000-4000-8000-000000000001}\n"
        "being-heard,Being heard,Feeling listened to.,peer-support,#00AA44,true,{C0DE0000-0000-4000-8000-000000000002}\n"
        "housing,Housing,,,,true,{C0DE0000-0000-4000-8000-000000000003}\n")
    assert csv_text(folder, "cases.csv") == ("dimension,case,label,definition,guid\ncase,participant-a,Participant A,"
                                             "First participant (fictional).,{CA5E0000-0000-4000-8000-000000000001}\n")
    assert csv_text(folder, "case_attributes.csv") == (
        "cases,attribute,value,datatype\ncase:participant-a,age,34,integer\ncase:participant-a,site,Québec,string\n"
        "case:participant-a,peer worker,false,boolean\n")
    assert csv_text(folder, "notes.csv") == (
        "about,text,author,date,kind,guid\n"
        "code:peer-support,About peer support: check the 🤝 code against CHIME connectedness.,Ana Coder,2024-05-03,"
        "note,{40000000-0000-4000-8000-000000000001}\n"
        "excerpt:5e100000-0000-4000-8000-000000000002,Is 𝓗eard a typo or emphasis?,,,note,"
        "{40000000-0000-4000-8000-000000000002}\n"
        "project,Project log: coding finished (fictional).,,,note,{40000000-0000-4000-8000-000000000003}\n")
    # matched to smith2019 by the DOI in the source's description
    assert csv_text(folder, "sources.csv") == (
        "source_document,guid,study,file\nsmith2019 interview A,{A1B2C3D4-0000-4000-8000-00000000000A},"
        "smith2019,sources/a1b2c3d4-0000-4000-8000-00000000000a.txt\n")
    assert (folder / "sources/a1b2c3d4-0000-4000-8000-00000000000a.txt").read_bytes() == \
        (DATA / "nvivo-style/sources/A1B2C3D4-0000-4000-8000-00000000000A.txt").read_bytes()


def test_same_file_again_changes_nothing(tmp_path):
    folder = project(tmp_path)
    import_refiqda(qdpx("nvivo-style", tmp_path), folder)
    before = snapshot(folder)
    plan = import_refiqda(qdpx("nvivo-style", tmp_path), folder)
    assert plan.files == {}
    assert plan.counts == {"codes updated": 3, "cases updated": 1, "text sources": 1, "excerpts updated": 3,
                           "case attribute values": 3}
    assert snapshot(folder) == before


def _variant(tmp_path, name, edit):
    """The nvivo-style fixture with its project.qde edited, zipped as <tmp>/<name>.qdpx."""
    src = DATA / "nvivo-style"
    out = tmp_path / f"{name}.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(src.rglob("*")):
            if path.is_file():
                data = path.read_text(encoding="utf-8") if path.name == "project.qde" else path.read_bytes()
                archive.writestr(path.relative_to(src).as_posix(), edit(data) if path.name == "project.qde" else data)
    return out


def test_a_source_named_like_a_comment_is_kept_once(tmp_path):
    # a first cell starting with '#' is a comment row of sources.csv: the source was lost and re-added each import
    folder = project(tmp_path)
    file = _variant(tmp_path, "hash", lambda q: q.replace('name="smith2019 interview A"', 'name="# smith2019 interview A"'))
    import_refiqda(file, folder)
    assert csv_text(folder, "sources.csv") == (
        "source_document,guid,study,file\nsmith2019 interview A,{A1B2C3D4-0000-4000-8000-00000000000A},smith2019,"
        "sources/a1b2c3d4-0000-4000-8000-00000000000a.txt\n")
    before = snapshot(folder)
    assert import_refiqda(file, folder).files == {}
    assert snapshot(folder) == before


def test_values_that_do_not_fit_their_variable_are_reported_not_written(tmp_path):
    # they made a folder that the project check then refused; xsd:boolean 1/0 are true/false
    folder = project(tmp_path)
    file = _variant(tmp_path, "values", lambda q: q.replace("<IntegerValue>34</IntegerValue>",
                                                            "<IntegerValue>thirty</IntegerValue>")
                    .replace("<TextValue>Québec</TextValue>", "<TextValue></TextValue>")
                    .replace("<BooleanValue>false</BooleanValue>", "<BooleanValue>0</BooleanValue>"))
    plan = import_refiqda(file, folder)
    assert csv_text(folder, "case_attributes.csv") == (
        "cases,attribute,value,datatype\ncase:participant-a,peer worker,false,boolean\n")
    assert [str(i) for i in plan.report if "variable" in i.reason] == [
        ("not imported: <Case guid=\"{CA5E0000-0000-4000-8000-000000000001}\" name=\"Participant A\">: value "
         "'thirty' of variable 'age': not a integer value"),
        ("not imported: <Case guid=\"{CA5E0000-0000-4000-8000-000000000001}\" name=\"Participant A\">: value '' of "
         "variable 'site': empty")]
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output


def test_renamed_code_updates_its_row_and_keeps_its_id_and_mappings(tmp_path):
    folder = project(tmp_path)
    import_refiqda(DATA / "codebook.qdc", folder)
    (folder / "mappings.csv").write_text("code,predicate,target,justification\n"
                                         "hope,skos:closeMatch,chime:H,Fictional test mapping.\n", encoding="utf-8")
    mappings = (folder / "mappings.csv").read_bytes()
    renamed = tmp_path / "renamed.qdc"
    renamed.write_text((DATA / "codebook.qdc").read_text(encoding="utf-8").replace('name="Hope"', 'name="Hope again"'),
                       encoding="utf-8")
    plan = import_refiqda(renamed, folder)
    assert plan.counts == {"codes updated": 4}
    rows = csv_text(folder, "codebook.csv").splitlines()
    assert len(rows) == 5
    assert rows[2] == ("hope,Hope again,Hope and optimism about the future.,recovery-processes,#ffff00,true,"
                       "{d7aa29da-519b-4946-9b90-253b6db8fd02}")
    assert (folder / "mappings.csv").read_bytes() == mappings


def test_unmatched_source_kept_with_a_warning_then_matched_by_the_editable_table(tmp_path):
    folder = project(tmp_path)
    plan = import_refiqda(qdpx("atlas-style", tmp_path), folder)
    warnings = [str(i) for i in plan.report if i.kind == "warning"]
    assert warnings == [
        ('warning: <TextSource guid="bdf00000-0000-4000-8000-0000000000a1" name="Policy brief.pdf">: no study of the '
        "bibliography matches its name or DOI; its excerpts are kept without a study: write the study's key in "
        "sources.csv (column study) and import again"),
        ("warning: <Note guid=\"4e000000-0000-4000-8000-0000000000a1\">: its title 'Memo on attitudes' is not kept "
        "(notes.csv has no title)")]
    evidence = csv_text(folder, "evidence/refiqda.csv").splitlines()
    assert evidence[3] == ("5e100000-0000-4000-8000-0000000000a4,staff-attitudes,,recovery-oriented 𝐬ervices are "
                           "required.,13,53,Policy brief.pdf,,,")
    assert evidence[1].split(",")[2] == "doe2020"         # matched by the DOI in the source's name
    sources = csv_text(folder, "sources.csv").replace("Policy brief.pdf,bdf00000-0000-4000-8000-0000000000a1,,",
                                                       "Policy brief.pdf,bdf00000-0000-4000-8000-0000000000a1,roe2021,")
    (folder / "sources.csv").write_text(sources, encoding="utf-8")
    plan = import_refiqda(qdpx("atlas-style", tmp_path), folder)
    assert "evidence/refiqda.csv" in plan.files
    assert csv_text(folder, "evidence/refiqda.csv").splitlines()[3] == (
        "5e100000-0000-4000-8000-0000000000a4,staff-attitudes,roe2021,recovery-oriented 𝐬ervices are required.,"
        "13,53,Policy brief.pdf,,,")
    assert csv_text(folder, "notes.csv").splitlines()[1] == (
        "excerpt:5e100000-0000-4000-8000-0000000000a1,Attitudes shift only with contact.,Ben Reviewer,,note,"
        "4e000000-0000-4000-8000-0000000000a1")


def test_a_hand_written_codebook_keeps_its_comments_and_columns(tmp_path):
    folder = project(tmp_path, "handmade")
    import_refiqda(DATA / "codebook.qdc", folder)
    lines = csv_text(folder, "codebook.csv").splitlines()
    assert lines[0] == "# The codes of the fictional review (hand-written test data)."
    assert lines[1] == "code,label,alt_labels,definition,parent,level,color,codable,notes,guid"
    assert lines[5] == "#X1,An example row that is never imported,,,,,,,"
    assert lines[7] == "recovery-processes,Recovery processes,,CHIME-like processes (fictional).,,,,false,," \
                       "{5215cc69-b628-4e02-afb9-9beeaee55801}"
    assert len(lines) == 11


def test_coding_to_a_code_that_is_not_for_coding_is_warned(tmp_path):
    qde = (DATA / "nvivo-style" / "project.qde").read_text(encoding="utf-8")
    bad = tmp_path / "nvivo-style"
    (bad / "sources").mkdir(parents=True)
    (bad / "project.qde").write_text(qde.replace('name="Housing" isCodable="true"', 'name="Housing" isCodable="false"'),
                                     encoding="utf-8")
    for path in (DATA / "nvivo-style" / "sources").iterdir():
        (bad / "sources" / path.name).write_bytes(path.read_bytes())
    shutil.make_archive(str(tmp_path / "bad"), "zip", bad)
    plan = import_refiqda((tmp_path / "bad.zip").rename(tmp_path / "bad.qdpx"), project(tmp_path))
    assert [str(i) for i in plan.report if i.kind == "warning"] == [
        ("warning: <PlainTextSelection guid=\"{5E100000-0000-4000-8000-000000000003}\">: coded to 'housing', a code "
        "whose isCodable is false: the project check refuses the excerpt until it is recoded"),
        ("warning: <Note guid=\"{40000000-0000-4000-8000-000000000002}\">: its title 'Memo' is not kept (notes.csv has "
        "no title)")]


def test_a_code_the_reviewer_maps_joins_the_crosswalks(tmp_path):
    """A code of an imported .qdc, mapped to CFIR in mappings.csv, is in the project's SSSOM mapping set once the
    folder is imported; a second import of the codebook keeps the mapping attached."""
    from pyoxigraph import NamedNode

    from imri_kg.kb.build import build_store
    from imri_kg.namespaces import SKOS
    from imri_kg.projects.graph import project_graph
    from imri_kg.projects.loading import import_project

    folder = project(tmp_path)
    import_refiqda(DATA / "codebook.qdc", folder)
    (folder / "mappings.csv").write_text("code,predicate,target,justification\n"
                                         "Hope,skos:closeMatch,cfir2009:IV.C,Fictional test mapping.\n",
                                         encoding="utf-8")
    import_refiqda(DATA / "codebook.qdc", folder)
    store = build_store()
    result = import_project(store, folder)
    assert result.written, [str(p) for p in result.check.problems.errors]
    code = NamedNode("https://w3id.org/imri/project/fictional-refiqda/code/hope")
    found = list(store.quads_for_pattern(code, SKOS.closeMatch, None, project_graph("fictional-refiqda", "mappings")))
    # CFIR 2009 IV.C
    assert [q.object.value for q in found] == ["https://w3id.org/imri/cfir2009/individual-stage-of-change"]


@pytest.mark.parametrize(("name", "study"), [("ROE2021.pdf", "roe2021"),
                                             ("Recovery Colleges,  a fictional account.docx", "doe2020")])
def test_a_source_is_matched_by_citation_key_or_title(tmp_path, name, study):
    """Without a DOI, a source named by a study's citation key or title (any case, spaces tidied, the file
    extension dropped) is matched to that study."""
    qde = (DATA / "nvivo-style" / "project.qde").read_text(encoding="utf-8")
    qde = qde.replace('name="smith2019 interview A"', f'name="{name}"').replace(
        "<Description>doi:10.5555/fict.smith.2019</Description>", "")
    path = tmp_path / "renamed.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for member in (DATA / "nvivo-style" / "sources").iterdir():
            archive.write(member, f"sources/{member.name}")
    folder = project(tmp_path)
    plan = import_refiqda(path, folder)
    assert not [i for i in plan.report if "no study of the bibliography" in i.reason]
    rows = csv_text(folder, "evidence/refiqda.csv").splitlines()[1:]
    assert [r.split(",")[3] for r in rows] == [study] * 3


def test_a_file_that_cannot_be_written_leaves_the_folder_as_it_was(tmp_path):
    # sources/ taken by a file: the tables sorted before it were written, then the import stopped
    folder = project(tmp_path)
    (folder / "sources").write_text("not a folder", encoding="utf-8")
    before = snapshot(folder)
    with pytest.raises(InputError, match="nothing was written"):
        import_refiqda(qdpx("nvivo-style", tmp_path), folder)
    assert snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["bibliography", "project.yaml", "sources"]


def test_a_creation_date_that_is_no_day_is_left_empty(tmp_path):
    # "2024-13-45" was written to the date column, and the project check then refused the folder
    folder = project(tmp_path)
    file = _variant(tmp_path, "dates", lambda q: q.replace('creationDateTime="2024-05-01', 'creationDateTime="2024-13-45')
                    .replace('creationDateTime="2024-05-03', 'creationDateTime="2024-02-30'))
    import_refiqda(file, folder)
    assert [line.split(",")[9] for line in csv_text(folder, "evidence/refiqda.csv").splitlines()] == [
        "date", "", "2024-05-02", ""]
    assert "\ncode:peer-support,About peer support: check the 🤝 code against CHIME connectedness.,Ana Coder,,note," \
        in csv_text(folder, "notes.csv")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
