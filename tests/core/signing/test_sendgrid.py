"""Vectors for sendgrid (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_verify, verify_params


@pytest.mark.parametrize("case", verify_params("sendgrid"))
def test_sendgrid_verify(case):
    check_verify("sendgrid", case)
