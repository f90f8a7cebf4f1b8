"""Vectors for intercom (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("intercom"))
def test_intercom_verify(case):
    check_verify("intercom", case)


@pytest.mark.parametrize("case", sign_params("intercom"))
def test_intercom_sign(case):
    check_sign("intercom", case)
