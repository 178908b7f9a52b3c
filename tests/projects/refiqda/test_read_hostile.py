"""Hostile or broken REFI-QDA files are refused with a located error, exit 2, and nothing written."""

import zipfile

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.errors import InputError
from imri_kg.projects.refiqda import _archive, import_refiqda
from tests.projects.refiqda.helpers import DATA, project, snapshot

QDE = (DATA / "nvivo-style" / "project.qde").read_text(encoding="utf-8")
SOURCE = "sources/A1B2C3D4-0000-4000-8000-00000000000A.txt"


def _zip(tmp_path, members: dict[str, bytes | str], name: str = "bad.qdpx"):
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return out


def _good_members(qde: str = QDE) -> dict[str, bytes | str]:
    return {"project.qde": qde, SOURCE: (DATA / "nvivo-style" / SOURCE).read_bytes()}


def _patched(tmp_path, edit):
    """The good archive, stored (not deflated), with its bytes edited as `edit` says."""
    out = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for member, data in _good_members().items():
            archive.writestr(member, data)
    data = bytearray(out.read_bytes())
    edit(data)
    out.write_bytes(bytes(data))
    return out


def _flip_text(data: bytearray) -> None:      # a byte of project.qde changed: its CRC-32 no longer matches
    data[data.find(b"<Project") + 1] ^= 0x20


def _headers(data: bytearray, local: int, central: int, value: int) -> None:
    """Set a 2-byte field of every local (at offset `local`) and central (`central`) file header of the zip."""
    for signature, offset in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset:at + offset + 2] = value.to_bytes(2, "little")
            at = data.find(signature, at + 4)


def _write(path, text):
    path.write_text(text)
    return path


XXE = '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' \
      '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'
LAUGHS = '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">' \
         '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>'

CASES = {
    "not a zip": (lambda t: _write(t / "x.qdpx", "not a zip"), "not a zip archive"),
    "no project.qde": (lambda t: _zip(t, {"sources/a.txt": "x"}), "no project.qde"),
    "external entity": (lambda t: _zip(t, {"project.qde": XXE}), "refused: the XML declares a DTD or entities"),
    "entity expansion": (lambda t: _zip(t, {"project.qde": LAUGHS}), "refused: the XML declares a DTD"),
    "selection outside its source": (
        lambda t: _zip(t, _good_members(QDE.replace('startPosition="90" endPosition="109"',
                                                    'startPosition="90" endPosition="110"'))),
        ('<PlainTextSelection guid="{5E100000-0000-4000-8000-000000000003}" name="Housing">: positions 90-110 fall '
        "outside its source 'smith2019 interview A', which has 109 code points")),
    "CodeRef to a missing code": (
        lambda t: _zip(t, _good_members(QDE.replace('<CodeRef targetGUID="{C0DE0000-0000-4000-8000-000000000003}"/>\n'
                                                    '        </Coding>',
                                                    '<CodeRef targetGUID="{C0DE0000-0000-4000-8000-0000000000FF}"/>\n'
                                                    '        </Coding>'))),
        ('<Coding guid="{C0D10000-0000-4000-8000-000000000004}">: <CodeRef> names code '
        "'{C0DE0000-0000-4000-8000-0000000000FF}', which is not in the codebook")),
    "member climbing out": (lambda t: _zip(t, {**_good_members(), "../evil.txt": "x"}),
                            "member '../evil.txt' climbs out of the archive"),
    "source path climbing out": (
        lambda t: _zip(t, _good_members(QDE.replace("internal://A1B2C3D4-0000-4000-8000-00000000000A.txt",
                                                    "internal://../../etc/passwd"))),
        "plainTextPath 'internal://../../etc/passwd' climbs out of sources/"),
    "zip bomb": (lambda t: _zip(t, {"project.qde": QDE + " " * 20_000_000}),
                 "project.qde: compressed"),
    "source missing from the archive": (lambda t: _zip(t, {"project.qde": QDE}), "no such file in the archive"),
    "codes nested without end": (
        lambda t: _zip(t, {"project.qde": '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>'
                           + "".join(f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="c" isCodable="true">'
                                     for i in range(5000)) + "</Code>" * 5000 + "</Codes></CodeBook></Project>"}),
        "codes nested more than 100 deep"),
    "two selections with one GUID": (
        lambda t: _zip(t, _good_members(QDE.replace("5E100000-0000-4000-8000-000000000003",
                                                    "5E100000-0000-4000-8000-000000000002"))),
        ('<PlainTextSelection guid="{5E100000-0000-4000-8000-000000000002}" name="Housing">: a second source or selection with '
        "this GUID")),
    "not UTF-8": (lambda t: _zip(t, {"project.qde": QDE, SOURCE: "caf\xe9".encode("latin-1")}), "is not UTF-8"),
    "a bad checksum": (lambda t: _patched(t, _flip_text), "project.qde: cannot be read (BadZipFile: Bad CRC-32"),
    "an encrypted member": (lambda t: _patched(t, lambda d: _headers(d, 6, 8, 1)),
                            "project.qde: encrypted; save the project again without a password"),
    "an unknown compression method": (
        lambda t: _patched(t, lambda d: _headers(d, 8, 10, 99)),
        "project.qde: cannot be read (NotImplementedError: That compression method is not supported)"),
    "two cases with one GUID": (
        lambda t: _zip(t, _good_members(QDE.replace("</Cases>", '<Case guid="{ca5e0000-0000-4000-8000-000000000001}" '
                                                    'name="Participant B"/></Cases>'))),
        '<Case guid="{ca5e0000-0000-4000-8000-000000000001}" name="Participant B">: a second <Case> with this GUID'),
    "two variables with one GUID": (
        lambda t: _zip(t, _good_members(QDE.replace("</Variables>", '<Variable guid="{7A000000-0000-4000-8000-'
                                                    '000000000002}" name="site2" typeOfVariable="Integer"/>'
                                                    "</Variables>"))),
        '<Variable guid="{7A000000-0000-4000-8000-000000000002}" name="site2">: a second <Variable> with this GUID'),
    "two variables with one name": (
        lambda t: _zip(t, _good_members(QDE.replace('name="site" typeOfVariable="Text"',
                                                    'name="age" typeOfVariable="Text"'))),
        '<Variable guid="{7A000000-0000-4000-8000-000000000002}" name="age">: a second variable with this name'),
    "a variable without a name": (
        lambda t: _zip(t, _good_members(QDE.replace('name="age" typeOfVariable', 'name=" " typeOfVariable'))),
        '<Variable guid="{7A000000-0000-4000-8000-000000000001}" name=" ">: the variable has no name'),
    "a case and a code with one GUID": (
        lambda t: _zip(t, _good_members(QDE.replace("</Cases>", '<Case guid="{C0DE0000-0000-4000-8000-000000000003}" '
                                                    'name="Participant B"/></Cases>'))),
        ('<Case guid="{C0DE0000-0000-4000-8000-000000000003}" name="Participant B"> has the GUID of <Code '
         'guid="{C0DE0000-0000-4000-8000-000000000003}" name="Housing">: each element needs a GUID of its own')),
    "a note and a case with one GUID": (
        lambda t: _zip(t, _good_members(QDE.replace("40000000-0000-4000-8000-000000000003",
                                                    "CA5E0000-0000-4000-8000-000000000001"))),
        ('<Note guid="{CA5E0000-0000-4000-8000-000000000001}" name="Project log"> has the GUID of <Case '
         'guid="{CA5E0000-0000-4000-8000-000000000001}" name="Participant A">: each element needs a GUID of its own')),
    "a code named by blanks": (
        lambda t: _zip(t, _good_members(QDE.replace('name="Housing" isCodable', 'name="  " isCodable'))),
        '<Code guid="{C0DE0000-0000-4000-8000-000000000003}" name="  ">: the code has no name'),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_located_exit_2_nothing_written(tmp_path, case):
    make, message = CASES[case]
    bad = make(tmp_path)
    folder = project(tmp_path)
    before = snapshot(folder)
    result = CliRunner().invoke(cli, ["import", str(bad), "--project", str(folder)])
    assert result.exit_code == 2, result.output
    assert str(bad) in result.output and message in result.output
    assert snapshot(folder) == before
    assert not (tmp_path / "new").exists()
    with pytest.raises(InputError):
        import_refiqda(bad, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_very_large_archive_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(_archive, "MAX_TOTAL_BYTES", 1000)
    bad = _zip(tmp_path, _good_members())
    with pytest.raises(InputError, match="inflates to .* more than the 1000 allowed"):
        import_refiqda(bad, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_qdc_with_a_dtd_refused(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text(XXE.replace("Project", "CodeBook").replace("project", "codebook"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(bad), "--project", str(tmp_path / "new")])
    assert result.exit_code == 2 and "refused: the XML declares a DTD" in result.output
    assert not (tmp_path / "new").exists()


def test_one_member_named_by_many_sources_counts_each_time(tmp_path, monkeypatch):
    # 8 sources naming one 200 MB member (1.4 MB compressed) took 1.9 GB and wrote 1.6 GB: each read counts
    again = QDE.replace("</Sources>", '<TextSource guid="{A1B2C3D4-0000-4000-8000-00000000000B}" name="again" '
                        'plainTextPath="internal://A1B2C3D4-0000-4000-8000-00000000000A.txt"/></Sources>')
    source = len((DATA / "nvivo-style" / SOURCE).read_bytes())
    monkeypatch.setattr(_archive, "MAX_READ_TOTAL", len(again.encode()) + 2 * source + 200, raising=False)
    assert import_refiqda(_zip(tmp_path, _good_members(again), "twice.qdpx"), tmp_path / "twice").counts[
        "text sources"] == 2
    thrice = again.replace("</Sources>", '<TextSource guid="{A1B2C3D4-0000-4000-8000-00000000000C}" name="thrice" '
                           'plainTextPath="internal://A1B2C3D4-0000-4000-8000-00000000000A.txt"/></Sources>')
    with pytest.raises(InputError, match=r"A1B2C3D4-0000-4000-8000-00000000000A.txt: the files the project reads .* "
                                         r"come to more than the \d+ bytes read at most"):
        import_refiqda(_zip(tmp_path, _good_members(thrice), "thrice.qdpx"), tmp_path / "thrice")
    assert not (tmp_path / "thrice").exists()
