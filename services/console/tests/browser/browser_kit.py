"""Screenshots as test artefacts and the axe-core check, for the browser tests."""

from __future__ import annotations

from pathlib import Path

from console_testkit import REPO

ARTEFACTS = REPO / ".local" / "test-artefacts" / "console"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in result if v.get("impact") in ("serious", "critical")]
