"""Uploading a REFI-QDA file on the validate page: what an import would take, what not; never written."""

from pyoxigraph import RdfFormat

from tests.api.conftest import TOKEN
from tests.projects.refiqda.helpers import DATA, qdpx


def upload(client, path, **form):
    with path.open("rb") as f:
        return client.post("/ui/validate", files={"sheet": (path.name, f, "application/octet-stream")}, data=form)


def test_a_project_is_read_and_its_report_shown(client, tmp_path):
    r = upload(client, qdpx("nvivo-style", tmp_path))
    assert r.status_code == 200
    text = r.text.replace("&quot;", '"')
    assert ("nvivo-style.qdpx</strong>: readable REFI-QDA; an import would take 3 codes, 1 cases, 1 text sources, "
            "3 excerpts, 3 case attribute values, 3 notes. 4 item(s) reported below.") in text
    assert '<PictureSource guid="{91C70000-0000-4000-8000-000000000001}" name="ward photo.jpg">' in \
        text.replace("&lt;", "<").replace("&gt;", ">")


def test_a_hostile_file_is_refused(client, tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    r = upload(client, bad)
    assert r.status_code == 400 and "bad.qdpx: not a zip archive" in r.text
    assert str(tmp_path) not in r.text


def test_a_read_only_server_checks_and_says_nothing_was_written(client):
    before = client.app.state.pool.local.dump(format=RdfFormat.N_QUADS)
    r = upload(client, DATA / "codebook.qdc", action="import", token="anything")
    assert r.status_code == 403
    assert "This server is read-only: the file was checked, and nothing was written." in r.text
    assert "codebook.qdc</strong>: readable REFI-QDA; an import would take 4 codes." in r.text
    assert client.app.state.pool.local.dump(format=RdfFormat.N_QUADS) == before


def test_the_form_imports_with_the_write_token(patient_writable, tmp_path):
    before = patient_writable.app.state.pool.local.dump(format=RdfFormat.N_QUADS)
    assert upload(patient_writable, DATA / "codebook.qdc", action="import", token="wrong").status_code == 401
    bad = tmp_path / "bad.qdc"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')
    r = upload(patient_writable, bad, action="import", token=TOKEN)
    assert r.status_code == 400 and "refused: the XML declares a DTD or entities" in r.text
    assert patient_writable.app.state.pool.local.dump(format=RdfFormat.N_QUADS) == before
    r = upload(patient_writable, DATA / "codebook.qdc", action="import", token=TOKEN)
    assert r.status_code == 200
    assert ("codebook.qdc: imported as project codebook (import 1 of its history), 4 codes, 0 cases, 0 case "
            "attributes, 0 studies, 0 excerpts, 0 mappings, 76 triples.") in r.text
    assert "<code>https://w3id.org/imri/graph/project/codebook/data</code>" in r.text
