"""CodeMirror, installed by the set-up (npm), served from this server's own origin; without it the editor is the
plain textarea with the package's own highlighter and completion."""

import os
import re

import pytest

from imri_kg import resources

CM_TAGS = ['<link rel="stylesheet" href="/ui/static/vendor/codemirror/lib/codemirror.css">',
           '<script src="/ui/static/vendor/codemirror/lib/codemirror.js" defer></script>',
           '<script src="/ui/static/vendor/codemirror/mode/sparql/sparql.js" defer></script>']


def test_the_codemirror_files_come_from_this_origin_with_their_types(client):
    if resources.CODEMIRROR_DIR is None and not os.environ.get("CI"):
        pytest.skip("CodeMirror is not installed: run `make` with npm present (npm ci --prefix web)")
    assert resources.CODEMIRROR_DIR is not None, "run `make` (npm ci --prefix web) to install CodeMirror"
    page = client.get("/ui/sparql").text
    assert all(tag in page for tag in CM_TAGS)
    assert re.findall(r'(?:src|href)="([^"]*codemirror[^"]*)"', page) == [  # same origin: no scheme, no host
        "/ui/static/vendor/codemirror/lib/codemirror.css", "/ui/static/vendor/codemirror/addon/hint/show-hint.css",
        "/ui/static/vendor/codemirror/lib/codemirror.js", "/ui/static/vendor/codemirror/mode/sparql/sparql.js",
        "/ui/static/vendor/codemirror/addon/hint/show-hint.js"]
    js = client.get("/ui/static/vendor/codemirror/lib/codemirror.js")
    assert js.status_code == 200 and js.headers["content-type"] == "text/javascript; charset=utf-8"
    assert js.text.startswith("// CodeMirror, copyright (c) by Marijn Haverbeke and others")
    css = client.get("/ui/static/vendor/codemirror/addon/hint/show-hint.css")
    assert css.status_code == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
    assert client.get("/ui/static/vendor/codemirror/LICENSE").text.splitlines()[0] == "MIT License"
    assert client.get("/ui/static/vendor/codemirror/package.json").status_code == 404  # only the listed files
    assert client.get("/ui/static/vendor/codemirror/../../../pyproject.toml").status_code == 404


def test_without_codemirror_the_page_is_the_textarea(client, monkeypatch):
    monkeypatch.setattr(resources, "CODEMIRROR_DIR", None)
    page = client.get("/ui/sparql", params={"query": "ASK { ?t a imri:Theme }"}).text
    assert "vendor/codemirror" not in page
    assert '<textarea id="query" name="query"' in page and '<script src="/ui/static/sparql.js" defer>' in page
    assert "The answer is <strong>yes</strong>." in page
    assert client.get("/ui/static/vendor/codemirror/lib/codemirror.js").status_code == 404


def test_when_codemirror_does_not_load_the_textarea_still_works_in_chromium(page, server_url):
    page.route("**/ui/static/vendor/**", lambda route: route.abort())
    page.goto(server_url + "/ui/sparql")
    editor = page.get_by_label("Query", exact=True)
    editor.fill("SELECT ?t WHERE { ?t a imri:Th")
    editor.press("End")
    editor.press_sequentially("e")  # the package's own completion list
    assert page.get_by_role("listbox", name="Suggestions").get_by_role("option").all_inner_texts() == [
        "imri:Theme", "imri:theme"]
    editor.press("Enter")
    editor.press_sequentially(" }")
    assert page.locator(".editor .tok-kw").all_inner_texts() == ["SELECT", "WHERE", "a"]
    assert page.locator(".CodeMirror").count() == 0
    editor.press("Control+Enter")
    page.wait_for_url("**/ui/sparql?query=*")
    assert page.locator(".count").inner_text() == "13 rows."
