"""/docs and /redoc render in a browser with the network off: Swagger UI and ReDoc come from this server
(the `page` fixture aborts, and fails on, any request to another host, and fails on any JavaScript error)."""


def test_swagger_ui_renders_offline(page, server_url):
    page.goto(server_url + "/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "imri-kg" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/sparql")


def test_redoc_renders_offline(page, server_url):
    page.goto(server_url + "/redoc")
    page.wait_for_selector("h1")
    assert "imri-kg" in page.inner_text("h1")
