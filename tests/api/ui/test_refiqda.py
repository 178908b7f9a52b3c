"""Uploading a REFI-QDA file on the validate page: what an import would take, what not; never written."""

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


def test_a_hostile_file_is_refused_and_import_goes_through_the_command_line(client, tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    r = upload(client, bad)
    assert r.status_code == 400 and "bad.qdpx: not a zip archive" in r.text
    assert str(tmp_path) not in r.text
    r = upload(client, DATA / "codebook.qdc", action="import", token="anything")
    assert r.status_code == 400 and "imri-kg import codebook.qdc --project DIR" in r.text
