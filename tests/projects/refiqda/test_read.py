"""read_qdc and read_qdpx on fixtures in the shapes NVivo, ATLAS.ti, QualCoder and MAXQDA write."""

from imri_kg.projects.refiqda import read_qdc, read_qdpx
from tests.projects.refiqda.helpers import DATA, qdpx


def _excerpts(project):
    return [(s.name, sel.start, sel.end, sel.text) for s in project.sources for sel in s.selections]


def test_nvivo_shape_cut_by_code_points(tmp_path):
    p = read_qdpx(qdpx("nvivo-style", tmp_path))
    assert p.origin == "NVivo 14 (fictional fixture)"
    assert _excerpts(p) == [
        ("smith2019 interview A", 44, 71, "The peer worker 🤝 listened."),
        ("smith2019 interview A", 72, 85, "I felt 𝓗eard."),
        ("smith2019 interview A", 90, 109, "Housing came later."),
    ]
    text = p.sources[0].text
    # the file has CRLF line ends and a character outside the BMP before 72: UTF-16 would say 73, not 72
    assert text[39:41] == "\r\n"
    assert len(text[:72].encode("utf-16-le")) // 2 == 73
    assert [(c.name, parent.name if parent else None, c.codable, c.color) for c, parent in p.codebook.walk()] == [
        ("Peer support", None, True, "#33AA77"), ("Being heard", "Peer support", True, "#00AA44"),
        ("Housing", None, True, "")]
    assert p.users == {"11111111-0000-4000-8000-000000000001": "Ana Coder",
                       "11111111-0000-4000-8000-000000000002": "BK"}
    assert [v for _, v in p.cases[0].values] == ["34", "Québec", "false"]
    assert [str(i) for i in p.report] == [
        ('not imported: <PictureSource guid="{91C70000-0000-4000-8000-000000000001}" name="ward photo.jpg">: '
        "picture source with 1 picture selection(s): the graph holds text excerpts only"),
        ('not imported: <AudioSource guid="{A0D10000-0000-4000-8000-000000000001}" name="interview A.m4a">: '
        "audio source with 1 audio selection(s): the graph holds text excerpts only")]


def test_atlas_shape_inline_text_pdf_representation_links(tmp_path):
    p = read_qdpx(qdpx("atlas-style", tmp_path))
    assert _excerpts(p) == [
        ("10.5555/fict.doe.2020.txt", 20, 64, "Recovery colleges 🎓 changed staff attitudes."),
        ("10.5555/fict.doe.2020.txt", 67, 89, "Funding ended in 2021."),
        ("10.5555/fict.doe.2020.txt", 0, 10, "Doe (2020)"),
        ("Policy brief.pdf", 13, 53, "recovery-oriented 𝐬ervices are required."),
    ]
    assert p.links == [("4e000000-0000-4000-8000-0000000000a1", "5e100000-0000-4000-8000-0000000000a1")]
    kinds = [(i.kind, i.element.split(" ")[0]) for i in p.report]
    assert kinds == [("not imported", "<TextSource"), ("not imported", "<PDFSelection"),
                     ("not imported", "<Set")]


def test_qualcoder_shape_internal_paths_and_external_sources(tmp_path):
    p = read_qdpx(qdpx("qualcoder-style", tmp_path))
    assert _excerpts(p) == [("roe2021.txt", 12, 37, "training 📚 was too short."),
                            ("roe2021.txt", 38, 69, "Managers 👩\u200d💼 backed the change.")]
    assert [str(i) for i in p.report] == [
        ('not imported: <TextSource guid="b0000000-0000-4000-8000-00000000000c" name="field notes.txt">: its text '
        "is outside the archive (relative:///notes/field notes.txt), so its 1 selection(s) cannot be cut"),
        ('not imported: <TextSource guid="b0000000-0000-4000-8000-00000000000d" name="diary.txt">: its text is '
        "outside the archive (absolute:///C:/Users/x/diary.txt), so its 0 selection(s) cannot be cut")]


def test_qdc_hierarchy_colours_and_sets():
    p = read_qdc(DATA / "codebook.qdc")
    assert [(c.name, parent.name if parent else None, c.codable, c.color) for c, parent in p.codebook.walk()] == [
        ("Recovery processes", None, False, ""), ("Hope", "Recovery processes", True, "#ffff00"),
        ("Identité", "Recovery processes", True, "#33cc33"), ("Barriers", None, True, "#0000FF")]
    assert [i.kind for i in p.report] == ["not imported"]


def test_the_specification_example_codebook():
    p = read_qdc(DATA / "spec-example-1.qdc")
    assert [c.name for c, _ in p.codebook.walk()] == ["Topics", "Economy", "Health care", "Values",
                                                      "Conservatives", "Liberals"]
    assert p.report == []


def test_a_colour_that_is_not_rgb_is_reported_and_left_out(tmp_path):
    # kept as it was, it made a codebook.csv row that the project check refuses (the web import answered 422)
    book = tmp_path / "colours.qdc"
    book.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                    '<Code guid="00000000-0000-4000-8000-000000000001" name="a" isCodable="true" color="#ff0000ff"/>'
                    '<Code guid="00000000-0000-4000-8000-000000000002" name="b" isCodable="true" color="#0f0"/>'
                    "</Codes></CodeBook>", encoding="utf-8")
    project = read_qdc(book)
    assert [code.color for code, _ in project.codebook.walk()] == ["", "#00ff00"]
    assert [str(item) for item in project.report] == [
        'not imported: <Code guid="00000000-0000-4000-8000-000000000001" name="a">: colour \'#ff0000ff\': not #RRGGBB']
