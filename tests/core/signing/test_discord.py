"""Vectors for discord (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("discord"))
def test_discord_verify(case):
    check_verify("discord", case)


@pytest.mark.parametrize("case", sign_params("discord"))
def test_discord_sign(case):
    check_sign("discord", case)
