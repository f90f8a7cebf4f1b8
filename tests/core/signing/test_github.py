"""Vectors for github_sha256, github_sha1 (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("github_sha256"))
def test_github_sha256_verify(case):
    check_verify("github_sha256", case)


@pytest.mark.parametrize("case", sign_params("github_sha256"))
def test_github_sha256_sign(case):
    check_sign("github_sha256", case)


@pytest.mark.parametrize("case", verify_params("github_sha1"))
def test_github_sha1_verify(case):
    check_verify("github_sha1", case)


@pytest.mark.parametrize("case", sign_params("github_sha1"))
def test_github_sha1_sign(case):
    check_sign("github_sha1", case)
