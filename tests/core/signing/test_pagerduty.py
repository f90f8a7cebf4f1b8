"""Vectors for pagerduty (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("pagerduty"))
def test_pagerduty_verify(case):
    check_verify("pagerduty", case)


@pytest.mark.parametrize("case", sign_params("pagerduty"))
def test_pagerduty_sign(case):
    check_sign("pagerduty", case)
