"""Vectors for linear (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("linear"))
def test_linear_verify(case):
    check_verify("linear", case)


@pytest.mark.parametrize("case", sign_params("linear"))
def test_linear_sign(case):
    check_sign("linear", case)
