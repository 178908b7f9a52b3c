"""/api/queries: the library listed and documented in OpenAPI, questions run with IRIs or labels, in every format,
and parameters that cannot inject SPARQL."""

import csv
import io

import pytest

from imri_kg.questions import library

B = "https://w3id.org/imri/"


def test_list_of_questions(client):
    listed = client.get("/api/queries").json()
    assert [q["name"] for q in listed] == list(library())
    span = next(q for q in listed if q["name"] == "cross-cutting-themes")
    assert span["topic"] == "themes and groups"
    assert span["params"] == [{"name": "minGroups", "label": "Least number of groups", "type": "integer",
                               "default": "4", "description": "the least number of groups a theme must span"},
                              {"name": "project", "label": "Project", "type": "string", "default": None,
                               "description": "one project, by its slug (the review, Piat et al. 2021, is piat2021); "
                                              "empty for every project"}]
    assert span["url"].endswith("/api/queries/cross-cutting-themes")


def test_openapi_documents_every_question_and_its_parameters(client):
    paths = client.get("/openapi.json").json()["paths"]
    for q in library().values():
        operation = paths[f"/api/queries/{q.name}"]["get"]
        assert operation["summary"] == q.title
        names = [p["name"] for p in operation.get("parameters", [])]
        assert names == [p.name for p in q.params] + ["format"]
    assert "/sparql" in paths and "/api/queries" in paths


def test_run_with_defaults(client):
    r = client.get("/api/queries/cross-cutting-themes")
    rows = r.json()["results"]["bindings"]
    assert [b["groups"]["value"] for b in rows] == ["6", "5", "4", "4"]


@pytest.mark.parametrize("value", ["Staff training", "staff training", B + "group/staff-training",
                                   "group/staff-training"])
def test_a_parameter_is_an_iri_or_a_label(client, value):
    r = client.get("/api/queries/themes-by-innovation-group", params={"group": value, "format": "csv"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["themeLabel"] for row in rows] == [
        "Lack of resources to support personal recovery goals", "Staff turnover",
        "The importance of organizational and policy commitment to recovery-transformation",
        "Traditional biomedical vs. recovery-oriented approach"]


@pytest.mark.parametrize(("fmt", "accept", "marker"), [
    ("json", None, b'"bindings"'), ("xml", None, b"<sparql"), ("csv", None, b"groupLabel,"),
    ("tsv", None, b"?groupLabel\t"), (None, "text/csv", b"groupLabel,"),
    (None, "application/sparql-results+xml", b"<sparql")])
def test_every_result_format(client, fmt, accept, marker):
    params = {"theme": "Staff turnover"} | ({"format": fmt} if fmt else {})
    r = client.get("/api/queries/groups-for-theme", params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and marker in r.content
    assert r.content.count(b"group/") >= 3


def test_unknown_label_is_400_with_the_known_ones(client):
    r = client.get("/api/queries/groups-for-theme", params={"theme": "Staff churn"})
    assert r.status_code == 400
    assert 'parameter theme: "Staff churn" is not a known Theme' in r.text and "Staff turnover" in r.text


def test_bad_values_are_400(client):
    assert client.get("/api/queries/cross-cutting-themes", params={"minGroups": "four"}).status_code == 400
    assert client.get("/api/queries/cross-cutting-themes", params={"nope": "1"}).status_code == 400
    assert client.get("/api/queries/no-such-question").status_code == 404
    assert client.get("/api/queries/interview-guide", params={"format": "png"}).status_code == 406


@pytest.mark.parametrize(("name", "param", "attack"), [
    ("groups-for-theme", "theme", 'Staff turnover" } UNION { ?s ?p ?o } #'),
    ("groups-for-theme", "theme", f"{B}theme/staff-turnover> ?p ?o }} UNION {{ ?s ?p ?o"),
    ("groups-for-theme", "theme", "Staff turnover'; DROP ALL; #"),
    ("cross-cutting-themes", "minGroups", "1) } UNION { SELECT * WHERE { ?s ?p ?o } } #"),
    ("cross-cutting-themes", "minGroups", "0 || true"),
])
def test_a_parameter_cannot_inject_sparql(client, name, param, attack):
    r = client.get(f"/api/queries/{name}", params={param: attack})
    assert r.status_code == 400
    # The store is untouched and the question still gives its exact answer.
    assert len(client.get("/api/queries/groups-for-theme").json()["results"]["bindings"]) == 6


def test_a_missing_required_parameter_is_400_not_all(client):
    r = client.get("/api/queries/crosswalk-constructs-in-two-projects")
    assert r.status_code == 400
    assert "crosswalk-constructs-in-two-projects needs the parameter projectA (ReviewProject)" in r.text
