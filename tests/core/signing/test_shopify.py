"""Vectors for shopify (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("shopify"))
def test_shopify_verify(case):
    check_verify("shopify", case)


@pytest.mark.parametrize("case", sign_params("shopify"))
def test_shopify_sign(case):
    check_sign("shopify", case)
