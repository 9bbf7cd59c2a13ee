"""Unit tests of the service's settings, endpoints and shutdown."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest
from pytest_mock import MockerFixture

from main import Settings, create_server, serve
from tests.support import fetch

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def test_settings_default_to_port_8080_on_all_interfaces() -> None:
    assert Settings.from_env({}) == Settings(host="0.0.0.0", port=8080)


def test_settings_come_from_the_environment() -> None:
    text = (ASSETS / "test-environment.json").read_text(encoding="utf-8")
    environment = json.loads(text)
    assert Settings.from_env(environment) == Settings(host="127.0.0.1", port=9090)


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_settings_refuse_a_bad_port(port: str) -> None:
    with pytest.raises(ValueError, match="PORT"):
        Settings.from_env({"PORT": port})


def test_healthz_answers_ok(running_service: str) -> None:
    response = fetch(f"{running_service}/healthz")
    assert response.status == 200
    assert response.body == {"status": "ok"}


def test_unknown_path_is_not_found(running_service: str) -> None:
    assert fetch(f"{running_service}/nothing-here").status == 404


def test_sigterm_stops_the_server(mocker: MockerFixture) -> None:
    handlers: dict[int, Callable[[int, FrameType | None], object]] = {}

    def record(signum: int, handler: Callable[[int, FrameType | None], object]) -> None:
        handlers[signum] = handler

    mocker.patch("signal.signal", side_effect=record)
    server = create_server(Settings(host="127.0.0.1", port=0))
    thread = threading.Thread(target=serve, args=(server,))
    thread.start()
    try:
        assert fetch(f"http://127.0.0.1:{server.server_port}/healthz").status == 200
    finally:
        handlers[signal.SIGTERM](signal.SIGTERM, None)
        thread.join(timeout=5)
    assert not thread.is_alive()
