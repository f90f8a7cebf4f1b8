"""Vectors for zoom (tests/data/signing/<scheme>.json)."""

from __future__ import annotations

import pytest
from signing_vectors import check_sign, check_verify, sign_params, verify_params


@pytest.mark.parametrize("case", verify_params("zoom"))
def test_zoom_verify(case):
    check_verify("zoom", case)


@pytest.mark.parametrize("case", sign_params("zoom"))
def test_zoom_sign(case):
    check_sign("zoom", case)
