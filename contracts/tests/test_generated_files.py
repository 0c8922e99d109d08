from __future__ import annotations

import json
import subprocess
import sys

from contracts.events import event_types
from contracts.generate import ASYNCAPI_PATH, SCHEMA_DIR, differences, event_schema, render


def test_generated_schemas_and_asyncapi_on_disk_match_the_code() -> None:
    # A fresh interpreter sees only the catalog's event types, not the samples these tests register.
    result = subprocess.run(
        [sys.executable, "-m", "contracts.generate", "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"generated files are stale:\n{result.stderr}"


def test_check_lists_a_file_that_differs_from_what_the_code_generates() -> None:
    assert ASYNCAPI_PATH in differences({ASYNCAPI_PATH: "# not what the code says\n"})


def test_generation_is_deterministic() -> None:
    assert render(event_types()) == render(event_types())


def test_every_registered_event_gets_a_schema_file_with_its_contract_metadata() -> None:
    files = render(event_types())
    for cls in event_types():
        schema = json.loads(files[SCHEMA_DIR / f"{cls.event_type}.v{cls.schema_version}.json"])
        assert schema == json.loads(json.dumps(event_schema(cls)))
        assert schema["x-linkwell"]["topic"] == cls.topic
        assert schema["additionalProperties"] is False  # payloads refuse unknown fields
    assert (SCHEMA_DIR / "Envelope.json") in files
