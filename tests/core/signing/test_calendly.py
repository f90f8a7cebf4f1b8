"""Vectors for calendly (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("calendly"))
def test_calendly_verify(case):
    check_verify("calendly", case)


@pytest.mark.parametrize("case", sign_params("calendly"))
def test_calendly_sign(case):
    check_sign("calendly", case)
