"""The findings router and pages over a store with the fictional project imported."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app
from imri_kg.kb.build import build_store
from imri_kg.projects.loading import import_project
from tests.findings.conftest import PROJECT
from tests.findings.test_tables import APPRAISALS, PROFILE, SOQF


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "store"
    from imri_kg.store import open_store

    store = open_store(path)
    build_store(store)
    assert import_project(store, PROJECT, by="test", now=dt.datetime(2024, 6, 1, tzinfo=dt.UTC)).written
    del store
    with TestClient(create_app(Settings(store_dir=path, workers=1))) as c:
        yield c


@pytest.mark.parametrize("kind,expected", [("soqf", SOQF), ("profile", PROFILE), ("appraisals", APPRAISALS)])
def test_tables_as_csv(client, kind, expected):
    response = client.get(f"/api/findings/hand-hygiene/{kind}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(response.text))) == expected


def test_xlsx_download(client):
    response = client.get("/api/findings/hand-hygiene/profile?format=xlsx")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="hand-hygiene-profile.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [c or "" for c in rows[1]] == PROFILE[0]


def test_unknown_project_and_kind(client):
    assert client.get("/api/findings/no-such-project/soqf").status_code == 404
    assert client.get("/api/findings/hand-hygiene/summary").status_code == 422
    assert client.get("/api/findings/Hand_Hygiene/soqf").status_code == 422


def test_pages(client):
    index = client.get("/ui/findings")
    assert index.status_code == 200
    assert '<a href="/ui/findings/hand-hygiene">Hand-hygiene programmes in hospitals (fictional test review)</a> ' \
           "(4 findings)" in index.text
    page = client.get("/ui/findings/hand-hygiene")
    assert page.status_code == 200
    assert page.text.count("<table") == 3
    assert "<td>Moderate concerns: Two studies with brief data.</td>" in page.text
    assert '<a href="/api/findings/hand-hygiene/appraisals?format=xlsx">XLSX</a>' in page.text
    assert client.get("/ui/findings/no-such-project").status_code == 404
