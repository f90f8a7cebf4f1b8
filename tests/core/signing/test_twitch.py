"""Vectors for twitch (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_verify, verify_params


@pytest.mark.parametrize("case", verify_params("twitch"))
def test_twitch_verify(case):
    check_verify("twitch", case)
