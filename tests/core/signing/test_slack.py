"""Vectors for slack (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("slack"))
def test_slack_verify(case):
    check_verify("slack", case)


@pytest.mark.parametrize("case", sign_params("slack"))
def test_slack_sign(case):
    check_sign("slack", case)
