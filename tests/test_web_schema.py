"""Schemathesis over the server's own OpenAPI spec: generated requests cause no server error,
and every response (status, media type, body) is one the spec describes."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from sitroom.api import analyze
from sitroom.config import Config
from sitroom.pipeline import Resources
from sitroom.web import create_app
from sitroom.web.hosts import LOOPBACK_NAMES

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports"
EXAMPLE = EXAMPLES / "05_idlib_strikes_monitor.txt"


@pytest.fixture(scope="module")
def web_schema(tmp_path_factory: pytest.TempPathFactory, resources: Resources) -> object:
    path = tmp_path_factory.mktemp("schema") / "schema.db"
    analyze([EXAMPLE], db=path, config=Config())
    # schemathesis calls the app as "testserver"; the server answers only the names it is given.
    app = create_app(path, allowed_hosts=[*LOOPBACK_NAMES, "testserver"])
    return schemathesis.openapi.from_asgi("/openapi.json", app)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def operations(schema: object) -> list[schemathesis.APIOperation]:
    return [result.ok() for result in schema.get_all_operations()]  # type: ignore[attr-defined]


def test_the_spec_lists_every_operation(web_schema: object) -> None:
    paths = {op.path for op in operations(web_schema)}
    assert {"/api/events", "/api/events/{event_id}", "/api/reports", "/api/control"} <= paths


# schemathesis's pytest plugin does not run under pytest 9 here ("'Function' object has no
# attribute '_nodeid'"), so each operation's strategy is driven with Hypothesis directly.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_causes_a_server_error(
    web_schema: object, mode: GenerationMode
) -> None:
    for operation in operations(web_schema):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case: schemathesis.Case) -> None:
            # Every response is one the spec describes: its status, media type and body.
            response = case.call_and_validate(checks=CHECKS)
            if response.status_code >= 400:
                body = response.json()
                assert set(body) == {"error"}, body
                assert body["error"]["status"] == response.status_code

        try:
            check()
        except Unsatisfiable:
            # An operation without parameters or body has no invalid request to generate.
            assert mode is GenerationMode.NEGATIVE, operation.path
