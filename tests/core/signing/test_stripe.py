"""Vectors for stripe (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("stripe"))
def test_stripe_verify(case):
    check_verify("stripe", case)


@pytest.mark.parametrize("case", sign_params("stripe"))
def test_stripe_sign(case):
    check_sign("stripe", case)
