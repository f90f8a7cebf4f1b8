"""Vectors for bitbucket, jira (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("bitbucket"))
def test_bitbucket_verify(case):
    check_verify("bitbucket", case)


@pytest.mark.parametrize("case", sign_params("bitbucket"))
def test_bitbucket_sign(case):
    check_sign("bitbucket", case)


@pytest.mark.parametrize("case", verify_params("jira"))
def test_jira_verify(case):
    check_verify("jira", case)


@pytest.mark.parametrize("case", sign_params("jira"))
def test_jira_sign(case):
    check_sign("jira", case)
