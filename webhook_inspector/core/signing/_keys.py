"""Key formats (how a secret or key is written) and algorithms (HMAC, Ed25519, ECDSA P-256)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from webhook_inspector.core.errors import UsageError


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A signature algorithm over already-loaded keys.

    `expected` recomputes the signature (None for public-key algorithms, where a verifier
    cannot); `verify` checks one decoded signature in constant time where it compares.
    """

    name: str
    symmetric: bool
    sign: Callable[[Any, bytes], bytes]
    verify: Callable[[Any, bytes, bytes], bool]
    expected: Callable[[Any, bytes], bytes | None]


def _hmac(digest: str) -> Algorithm:
    def sign(key: bytes, message: bytes) -> bytes:
        return hmac.new(key, message, digest).digest()

    def verify(key: bytes, message: bytes, signature: bytes) -> bool:
        return hmac.compare_digest(sign(key, message), signature)

    return Algorithm(f"HMAC-{digest.upper()}", True, sign, verify, sign)


def _token_verify(key: bytes, message: bytes, signature: bytes) -> bool:
    # Hash both sides first so the comparison time does not depend on the secret's length.
    return hmac.compare_digest(hashlib.sha256(key).digest(), hashlib.sha256(signature).digest())


def _ed25519_verify(key: ed25519.Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _ecdsa_verify(key: ec.EllipticCurvePublicKey, message: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


ALGORITHMS: dict[str, Algorithm] = {
    algorithm.name: algorithm
    for algorithm in (
        _hmac("sha256"),
        _hmac("sha1"),
        Algorithm("token", True, lambda key, _m: key, _token_verify, lambda _k, _m: None),
        Algorithm(
            "Ed25519", False, lambda key, m: key.sign(m), _ed25519_verify, lambda _k, _m: None
        ),
        Algorithm(
            "ECDSA-P256-SHA256",
            False,
            lambda key, m: key.sign(m, ec.ECDSA(hashes.SHA256())),
            _ecdsa_verify,
            lambda _k, _m: None,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class KeyFormat:
    """How a scheme's keys are written: loaders for signing and verifying, and a generator.

    `load_signing(text)` and `load_verifying(text)` raise UsageError with the expected form;
    `generate()` returns (signing key text, verifying key text). For shared secrets both
    are the same text.
    """

    name: str
    description: str
    load_signing: Callable[[str], Any]
    load_verifying: Callable[[str], Any]
    generate: Callable[[], tuple[str, str]]
    public_key: bool = False


def _utf8(text: str) -> bytes:
    if not text:
        raise UsageError("the secret is empty")
    return text.encode("utf-8")


def _random_secret() -> tuple[str, str]:
    value = secrets.token_hex(24)
    return value, value


RAW = KeyFormat("raw", "the secret as shown by the provider, used as is", _utf8, _utf8,
                _random_secret)  # fmt: skip


def _whsec(text: str) -> bytes:
    value = text.strip().removeprefix("whsec_")
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise UsageError(
            "a Standard Webhooks secret is 'whsec_' followed by base64 (e.g. whsec_MfKQ9r8G…)"
        ) from None
    if not key:
        raise UsageError("the secret is empty")
    return key


def _new_whsec() -> tuple[str, str]:
    value = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    return value, value


WHSEC = KeyFormat("whsec", "'whsec_' + base64; the HMAC key is the decoded bytes", _whsec, _whsec,
                  _new_whsec)  # fmt: skip


def _decode_text(text: str, encoding: str, what: str) -> bytes:
    try:
        if encoding == "hex":
            return bytes.fromhex(text.strip())
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise UsageError(f"{what} must be {encoding}") from None


def _ed25519_private(raw: bytes, what: str) -> ed25519.Ed25519PrivateKey:
    # libsodium writes the 64-byte form (seed + public key); the seed is the first half.
    if len(raw) not in (32, 64):
        raise UsageError(f"{what} must hold 32 bytes (a seed) or 64 (seed + public key)")
    return ed25519.Ed25519PrivateKey.from_private_bytes(raw[:32])


def _ed25519_public(raw: bytes, what: str) -> ed25519.Ed25519PublicKey:
    if len(raw) != 32:
        raise UsageError(f"{what} must hold 32 bytes, got {len(raw)}")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw)


def _raw_public(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _new_ed25519_hex() -> tuple[str, str]:
    key = ed25519.Ed25519PrivateKey.generate()
    return _raw_private(key).hex(), _raw_public(key).hex()


ED25519_HEX = KeyFormat(
    "ed25519-hex",
    "Ed25519: verify with the 32-byte public key in hex (Discord's 'Public Key'); "
    "sign with the 32-byte private seed in hex",
    lambda text: _ed25519_private(_decode_text(text, "hex", "the private key"), "the private key"),
    lambda text: _ed25519_public(_decode_text(text, "hex", "the public key"), "the public key"),
    _new_ed25519_hex,
    public_key=True,
)


def _prefixed(text: str, prefix: str, what: str) -> bytes:
    value = text.strip()
    if not value.startswith(prefix):
        raise UsageError(f"{what} must start with {prefix!r} followed by base64")
    return _decode_text(value.removeprefix(prefix), "base64", what)


def _new_ed25519_wh() -> tuple[str, str]:
    key = ed25519.Ed25519PrivateKey.generate()
    private = base64.b64encode(_raw_private(key) + _raw_public(key)).decode()
    return "whsk_" + private, "whpk_" + base64.b64encode(_raw_public(key)).decode()


ED25519_WH = KeyFormat(
    "ed25519-whsk",
    "Ed25519: verify with 'whpk_' + base64 public key; sign with 'whsk_' + base64 secret key",
    lambda text: _ed25519_private(_prefixed(text, "whsk_", "the secret key"), "the secret key"),
    lambda text: _ed25519_public(_prefixed(text, "whpk_", "the public key"), "the public key"),
    _new_ed25519_wh,
    public_key=True,
)


def _pem_or_der(text: str, what: str) -> bytes:
    value = text.strip()
    if value.startswith("-----BEGIN"):
        return value.encode()
    return _decode_text("".join(value.split()), "base64", what)


def _ecdsa_private(text: str) -> ec.EllipticCurvePrivateKey:
    data = _pem_or_der(text, "the private key")
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_der_private_key(data, password=None)
    except (ValueError, TypeError):
        raise UsageError("the private key must be a P-256 key in PEM or base64 DER") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise UsageError("the private key must be an ECDSA P-256 key")
    return key


def _ecdsa_public(text: str) -> ec.EllipticCurvePublicKey:
    data = _pem_or_der(text, "the public key")
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        else:
            key = serialization.load_der_public_key(data)
    except (ValueError, TypeError):
        raise UsageError(
            "the public key must be a P-256 key in base64 DER (as SendGrid shows it) or PEM"
        ) from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise UsageError("the public key must be an ECDSA P-256 key")
    return key


def _new_ecdsa() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


ECDSA_P256 = KeyFormat(
    "ecdsa-p256",
    "ECDSA P-256: verify with the base64 DER public key (SendGrid's verification key) or PEM; "
    "sign with a PKCS#8 private key in base64 DER or PEM",
    _ecdsa_private,
    _ecdsa_public,
    _new_ecdsa,
    public_key=True,
)


ENCODINGS: dict[str, tuple[Callable[[bytes], str], Callable[[str], bytes | None]]] = {}


def _hex_decode(text: str) -> bytes | None:
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


def _b64_decode(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


ENCODINGS["hex"] = (bytes.hex, _hex_decode)
ENCODINGS["base64"] = (lambda data: base64.b64encode(data).decode(), _b64_decode)
ENCODINGS["text"] = (lambda data: data.decode("utf-8", "replace"), lambda text: text.encode())
