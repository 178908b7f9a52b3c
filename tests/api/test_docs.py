"""/docs (Swagger UI) and /redoc work offline: their scripts, styles and icon come from the installed
fastapi-offline package, served by this server, and the pages name no other host."""

import re

import pytest

ASSETS = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.parametrize(("path", "assets"), [
    ("/docs", {"/docs-static/swagger-ui.css", "/docs-static/swagger-ui-bundle.js", "/docs-static/favicon.png"}),
    ("/redoc", {"/docs-static/redoc.standalone.js", "/docs-static/favicon.png"})])
def test_documentation_pages_load_only_from_this_server(client, path, assets):
    page = client.get(path)
    assert page.status_code == 200
    assert "://" not in page.text  # no URL of another host: no CDN, no web fonts
    assert set(ASSETS.findall(page.text)) == assets
    for asset in assets:
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 1000, asset
    assert "/openapi.json" in page.text


def test_swagger_ui_does_not_call_the_online_validator(client):
    assert "validatorUrl" in client.get("/docs").text
    assert '"validatorUrl": null' in client.get("/docs").text
