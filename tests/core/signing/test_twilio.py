"""Vectors for twilio (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("twilio"))
def test_twilio_verify(case):
    check_verify("twilio", case)


@pytest.mark.parametrize("case", sign_params("twilio"))
def test_twilio_sign(case):
    check_sign("twilio", case)
