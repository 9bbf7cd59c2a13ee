"""A tiny HTTP client for the tests (standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class Response:
    status: int
    body: dict[str, str]


def fetch(url: str) -> Response:
    """GET a URL of the local test server; HTTP errors are responses too."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return Response(answer.status, json.loads(answer.read()))
    except urllib.error.HTTPError as error:
        return Response(error.code, json.loads(error.read()))
