"""Vectors for standard_webhooks, standard_webhooks_v1a, svix (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("standard_webhooks"))
def test_standard_webhooks_verify(case):
    check_verify("standard_webhooks", case)


@pytest.mark.parametrize("case", sign_params("standard_webhooks"))
def test_standard_webhooks_sign(case):
    check_sign("standard_webhooks", case)


@pytest.mark.parametrize("case", verify_params("standard_webhooks_v1a"))
def test_standard_webhooks_v1a_verify(case):
    check_verify("standard_webhooks_v1a", case)


@pytest.mark.parametrize("case", sign_params("standard_webhooks_v1a"))
def test_standard_webhooks_v1a_sign(case):
    check_sign("standard_webhooks_v1a", case)


@pytest.mark.parametrize("case", verify_params("svix"))
def test_svix_verify(case):
    check_verify("svix", case)


@pytest.mark.parametrize("case", sign_params("svix"))
def test_svix_sign(case):
    check_sign("svix", case)
