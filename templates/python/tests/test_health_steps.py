"""Steps of features/health.feature (pytest-bdd)."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tests.support import Response, fetch

scenarios("health.feature")


@given("the service is running", target_fixture="base_url")
def the_service_is_running(running_service: str) -> str:
    return running_service


@when(parsers.parse('a client requests "{path}"'), target_fixture="response")
def a_client_requests(base_url: str, path: str) -> Response:
    return fetch(f"{base_url}{path}")


@then(parsers.parse("the response status is {status:d}"))
def the_response_status_is(response: Response, status: int) -> None:
    assert response.status == status


@then(parsers.parse('the response reports "{state}"'))
def the_response_reports(response: Response, state: str) -> None:
    assert response.body == {"status": state}
