"""Vectors for gitlab_token (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("gitlab_token"))
def test_gitlab_token_verify(case):
    check_verify("gitlab_token", case)


@pytest.mark.parametrize("case", sign_params("gitlab_token"))
def test_gitlab_token_sign(case):
    check_sign("gitlab_token", case)
