"""The API pages come with the service: their scripts and styles are served by the service itself."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from linkwell_runtime.service import Services, create_service_app
from linkwell_runtime.settings import PlatformSettings


def client() -> TestClient:
    settings = PlatformSettings(environment="test")
    app = create_service_app(
        title="Probe",
        version="1.0.0",
        description="d",
        settings=settings,
        bootstrap=lambda: Services(settings, None),
        routers=[],
    )  # type: ignore[arg-type]
    return TestClient(app)


def test_docs_and_redoc_load_every_asset_from_the_service_itself():
    http = client()
    for page in ("/docs", "/redoc"):
        html = http.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/static/api-docs/") for a in assets), (page, assets)
        assert "https://" not in html.replace("https://github.com", "")
        for asset in assets:
            answer = http.get(asset)
            assert answer.status_code == 200 and len(answer.content) > 500, asset


def test_the_page_scripts_are_served_as_javascript_and_the_styles_as_css():
    http = client()
    assert (
        http.get("/static/api-docs/swagger-ui/swagger-ui-bundle.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
    assert http.get("/static/api-docs/swagger-ui/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert http.get("/static/api-docs/redoc/redoc.standalone.js").status_code == 200
