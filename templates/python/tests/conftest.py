"""Fixtures shared by the unit tests and the BDD steps."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from main import Settings, create_server


@pytest.fixture
def running_service() -> Iterator[str]:
    """The service on a free loopback port, in a thread; yields its base URL."""
    server = create_server(Settings(host="127.0.0.1", port=0))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
