"""Key formats load what they generate; algorithms sign and verify."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.signing._keys import (
    ALGORITHMS,
    ECDSA_P256,
    ED25519_HEX,
    ED25519_WH,
    ENCODINGS,
    RAW,
    WHSEC,
)

PAIRS = [(ED25519_HEX, "Ed25519"), (ED25519_WH, "Ed25519"), (ECDSA_P256, "ECDSA-P256-SHA256"),
         (WHSEC, "HMAC-SHA256"), (RAW, "HMAC-SHA1")]  # fmt: skip


@pytest.mark.parametrize(("key_format", "algorithm"), PAIRS)
def test_generated_keys_sign_and_verify(key_format, algorithm):
    private, public = key_format.generate()
    algo = ALGORITHMS[algorithm]
    signature = algo.sign(key_format.load_signing(private), b"message")
    verifying = key_format.load_verifying(public)
    assert algo.verify(verifying, b"message", signature)
    assert not algo.verify(verifying, b"messagE", signature)


def test_whsec_accepts_the_prefix_or_not():
    assert WHSEC.load_verifying("whsec_AAEC") == WHSEC.load_verifying("AAEC") == b"\x00\x01\x02"
    with pytest.raises(UsageError, match="base64"):
        WHSEC.load_verifying("whsec_not base64!")


def test_public_keys_are_checked():
    with pytest.raises(UsageError, match="32 bytes"):
        ED25519_HEX.load_verifying("abcd")
    with pytest.raises(UsageError, match="whpk_"):
        ED25519_WH.load_verifying("AAAA")
    with pytest.raises(UsageError, match="P-256"):
        ECDSA_P256.load_verifying("AAAA")


def test_token_comparison():
    token = ALGORITHMS["token"]
    assert token.verify(b"secret", b"", b"secret")
    assert not token.verify(b"secret", b"", b"secret2")
    assert token.expected(b"secret", b"") is None


def test_encodings_reject_bad_text():
    assert ENCODINGS["hex"][1]("zz") is None
    assert ENCODINGS["base64"][1]("!!") is None
    assert ENCODINGS["hex"][1]("0aFF") == b"\x0a\xff"
