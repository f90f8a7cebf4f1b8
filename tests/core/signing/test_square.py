"""Vectors for square (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("square"))
def test_square_verify(case):
    check_verify("square", case)


@pytest.mark.parametrize("case", sign_params("square"))
def test_square_sign(case):
    check_sign("square", case)
