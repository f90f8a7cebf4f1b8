"""Vectors for paddle (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("paddle"))
def test_paddle_verify(case):
    check_verify("paddle", case)


@pytest.mark.parametrize("case", sign_params("paddle"))
def test_paddle_sign(case):
    check_sign("paddle", case)
