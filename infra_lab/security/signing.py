r"""Artifact integrity: SHA-256 content hashes, Ed25519 signatures, and HMAC as the contrast.

A model artifact is signed by whoever builds it (a private key) and verified where it is
deployed (only the public key): :math:`Verify(pk, SHA256(artifact), \sigma)`. The deploy
gate :func:`require_verified_artifact` refuses a tampered, unsigned or wrongly signed
artifact. An HMAC uses one shared secret for both tagging and checking, so every verifier
could also forge a tag — fine inside one trust boundary, wrong across a supply chain.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from infra_lab._checks import text
from infra_lab._results import Result

__all__ = [
    "content_sha256", "generate_signing_key", "public_key_hex", "ArtifactSignature", "sign_artifact",
    "SignatureCheck", "verify_artifact", "ArtifactVerificationError", "require_verified_artifact",
    "hmac_tag", "hmac_verify",
]

ALGORITHM = "ed25519-over-sha256-hex"


def _artifact_bytes(name: str, artifact: Any) -> bytes:
    if isinstance(artifact, (bytes, bytearray, memoryview)):
        return bytes(artifact)
    if isinstance(artifact, Path):
        if not artifact.is_file():
            raise ValueError(f"{name}={str(artifact)!r}: is not a file")
        return artifact.read_bytes()
    raise TypeError(f"{name}={artifact!r:.80}: must be bytes (the artifact's content) or a pathlib.Path "
                    "to the file; a str is ambiguous — encode it or wrap it in Path()")


def content_sha256(artifact) -> str:
    r"""SHA-256 content hash of an artifact, as 64 hex digits.

    .. math:: h = \mathrm{SHA256}(artifact)

    Parameters
    ----------
    artifact : bytes or pathlib.Path
        The artifact's content, or the path of its file.

    Returns
    -------
    str

    See Also
    --------
    sign_artifact : signs this hash.

    References
    ----------
    NIST FIPS 180-2, *Secure Hash Standard*, 2002, Appendix B.1 (SHA-256 of "abc").

    Examples
    --------
    >>> content_sha256(b"abc")
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    return hashlib.sha256(_artifact_bytes("artifact", artifact)).hexdigest()


def generate_signing_key() -> Ed25519PrivateKey:
    """A new random Ed25519 private key (keep it secret; publish its public key).

    Parameters
    ----------
    None.

    Returns
    -------
    cryptography.hazmat.primitives.asymmetric.ed25519.Ed25519PrivateKey

    See Also
    --------
    public_key_hex : the public half, to distribute to verifiers.
    sign_artifact : uses it.

    References
    ----------
    Josefsson & Liusvaara, RFC 8032 "Edwards-Curve Digital Signature Algorithm (EdDSA)",
    2017, §5.1.5 (key generation).

    Examples
    --------
    >>> len(public_key_hex(generate_signing_key()))
    64
    """
    return Ed25519PrivateKey.generate()


def public_key_hex(key) -> str:
    """The raw 32-byte Ed25519 public key as 64 hex digits (from a private or public key).

    Parameters
    ----------
    key : Ed25519PrivateKey or Ed25519PublicKey

    Returns
    -------
    str

    See Also
    --------
    generate_signing_key : makes a key.
    verify_artifact : trusts public keys given this way.

    References
    ----------
    RFC 8032, §7.1, TEST 1 (secret key 9d61…7f60 has public key d75a…511a).

    Examples
    --------
    >>> sk = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(
    ...     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    >>> public_key_hex(sk)[:16]
    'd75a980182b10ab7'
    """
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise TypeError(f"key={key!r:.80}: must be an Ed25519 private or public key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


@dataclass(frozen=True)
class ArtifactSignature(Result):
    """A detached signature of an artifact, as shipped next to it.

    Attributes
    ----------
    artifact_name : str
        A label for the artifact (a file name, a model version).
    artifact_sha256 : str
        The signed content hash (64 hex digits).
    signature_hex : str
        Ed25519 signature over the ASCII hex hash (128 hex digits).
    public_key_hex : str
        The signer's public key (64 hex digits).
    algorithm : str
        ``"ed25519-over-sha256-hex"``.

    See Also
    --------
    sign_artifact : returns it.
    """

    artifact_name: str
    artifact_sha256: str
    signature_hex: str
    public_key_hex: str
    algorithm: str


def sign_artifact(artifact, private_key, artifact_name="artifact") -> ArtifactSignature:
    r"""Sign an artifact's SHA-256 content hash with an Ed25519 private key.

    .. math:: \sigma = \mathrm{Sign}_{sk}(\mathrm{hex}(\mathrm{SHA256}(artifact)))

    Parameters
    ----------
    artifact : bytes or pathlib.Path
        The artifact's content, or its file.
    private_key : Ed25519PrivateKey
        The signer's private key.
    artifact_name : str, default "artifact"
        A label stored with the signature.

    Returns
    -------
    ArtifactSignature

    See Also
    --------
    verify_artifact : checks it.
    hmac_tag : the shared-secret contrast.

    References
    ----------
    RFC 8032, §5.1.6 (Ed25519 signing); NIST FIPS 180-4, §6.2 (SHA-256).

    Examples
    --------
    >>> key = generate_signing_key()
    >>> sig = sign_artifact(b"weights", key, "model-v1")
    >>> verify_artifact(b"weights", sig, [public_key_hex(key)]).valid
    True
    """
    data = _artifact_bytes("artifact", artifact)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError(f"private_key={private_key!r:.80}: must be an Ed25519PrivateKey (generate_signing_key())")
    name = text("artifact_name", artifact_name)
    digest = hashlib.sha256(data).hexdigest()
    signature = private_key.sign(digest.encode("ascii"))
    return ArtifactSignature(name, digest, signature.hex(), public_key_hex(private_key), ALGORITHM)


@dataclass(frozen=True)
class SignatureCheck(Result):
    """The outcome of checking an artifact against its signature.

    Attributes
    ----------
    valid : bool
        ``True`` only if the hash matches, the signer is trusted and the signature verifies.
    reason : str
        ``"ok"``, ``"unsigned"``, ``"untrusted signer"``, ``"tampered"`` or ``"bad signature"``,
        with details.
    artifact_sha256 : str
        Hash of the artifact as received.
    signed_sha256 : str
        Hash the signature claims ('' when unsigned).

    See Also
    --------
    verify_artifact : returns it.
    """

    valid: bool
    reason: str
    artifact_sha256: str
    signed_sha256: str


def _trusted(trusted_public_keys: Any) -> set[str]:
    if isinstance(trusted_public_keys, (str, bytes)) or not isinstance(trusted_public_keys, Iterable):
        raise TypeError(f"trusted_public_keys={trusted_public_keys!r:.80}: must be a list of public keys "
                        "(hex strings or Ed25519PublicKey)")
    out = set()
    for k in trusted_public_keys:
        if isinstance(k, (Ed25519PublicKey, Ed25519PrivateKey)):
            out.add(public_key_hex(k))
        elif isinstance(k, str) and len(k) == 64 and all(c in "0123456789abcdefABCDEF" for c in k):
            out.add(k.lower())
        else:
            raise ValueError(f"trusted_public_keys={trusted_public_keys!r:.80}: {k!r:.40} is not a 64-hex-digit "
                             "Ed25519 public key")
    return out


def verify_artifact(artifact, signature, trusted_public_keys) -> SignatureCheck:
    r"""Check an artifact against its detached signature and a list of trusted signers.

    .. math:: valid \iff pk \in trusted \wedge h(artifact) = h_\sigma \wedge
              \mathrm{Verify}_{pk}(h_\sigma, \sigma)

    Never raises for a bad artifact — it says why in ``reason``; the deploy gate
    :func:`require_verified_artifact` raises.

    Parameters
    ----------
    artifact : bytes or pathlib.Path
        The artifact as received.
    signature : ArtifactSignature or None
        Its signature (``None``: unsigned).
    trusted_public_keys : iterable of str or Ed25519PublicKey
        Public keys whose signatures are accepted (hex strings of 64 digits).

    Returns
    -------
    SignatureCheck

    See Also
    --------
    sign_artifact : makes the signature.
    require_verified_artifact : the deploy gate.

    References
    ----------
    RFC 8032, §5.1.7 (Ed25519 verification); SLSA v1.0, "Verifying artifacts" section
    (check provenance and signer before use).

    Examples
    --------
    >>> key = generate_signing_key()
    >>> sig = sign_artifact(b"weights", key)
    >>> verify_artifact(b"weights!", sig, [key.public_key()]).reason[:8]
    'tampered'
    """
    data = _artifact_bytes("artifact", artifact)
    trusted = _trusted(trusted_public_keys)
    actual = hashlib.sha256(data).hexdigest()
    if signature is None:
        return SignatureCheck(False, "unsigned: no signature accompanies the artifact", actual, "")
    if not isinstance(signature, ArtifactSignature):
        raise TypeError(f"signature={signature!r:.80}: must be an ArtifactSignature (sign_artifact()) or None")
    if signature.public_key_hex.lower() not in trusted:
        return SignatureCheck(False, f"untrusted signer: key {signature.public_key_hex[:16]}… is not trusted",
                              actual, signature.artifact_sha256)
    if actual != signature.artifact_sha256:
        return SignatureCheck(False, f"tampered: content hash {actual[:16]}… differs from the signed "
                              f"{signature.artifact_sha256[:16]}…", actual, signature.artifact_sha256)
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(signature.public_key_hex))
        key.verify(bytes.fromhex(signature.signature_hex), signature.artifact_sha256.encode("ascii"))
    except (InvalidSignature, ValueError):
        return SignatureCheck(False, "bad signature: it does not verify under the signer's key",
                              actual, signature.artifact_sha256)
    return SignatureCheck(True, "ok", actual, signature.artifact_sha256)


class ArtifactVerificationError(ValueError):
    """Raised by the deploy gate when an artifact fails verification (a ``ValueError``).

    See Also
    --------
    require_verified_artifact : raises it.
    """


def require_verified_artifact(artifact, signature, trusted_public_keys) -> SignatureCheck:
    r"""Deploy gate: return the check if the artifact verifies, raise otherwise.

    .. math:: deploy \iff valid(artifact, \sigma, trusted)

    Parameters
    ----------
    artifact : bytes or pathlib.Path
        The artifact about to be deployed.
    signature : ArtifactSignature or None
        Its signature.
    trusted_public_keys : iterable of str or Ed25519PublicKey
        Public keys of trusted signers.

    Returns
    -------
    SignatureCheck
        Always ``valid``.

    Raises
    ------
    ArtifactVerificationError
        Tampered, unsigned, untrusted or badly signed; the message says which.

    See Also
    --------
    verify_artifact : the check without raising.

    References
    ----------
    SLSA v1.0, "Verifying artifacts" section; RFC 8032, §5.1.7.

    Examples
    --------
    >>> require_verified_artifact(b"weights", None, [])
    Traceback (most recent call last):
    ...
    infra_lab.security.signing.ArtifactVerificationError: signature=None: refused at deploy time — unsigned: no signature accompanies the artifact
    """
    check = verify_artifact(artifact, signature, trusted_public_keys)
    if not check.valid:
        # Name the input to fix: the artifact (tampered), the key list (untrusted), else the signature.
        if check.reason.startswith("tampered"):
            culprit = f"artifact (sha256 {check.artifact_sha256[:16]}…)"
        elif check.reason.startswith("untrusted"):
            culprit = "trusted_public_keys"
        else:
            culprit = f"signature={signature!r:.40}"
        raise ArtifactVerificationError(f"{culprit}: refused at deploy time — {check.reason}")
    return check


def _key_bytes(key: Any) -> bytes:
    if not isinstance(key, (bytes, bytearray)):
        raise TypeError(f"key={key!r:.40}: must be bytes (the shared secret)")
    if len(key) == 0:
        raise ValueError("key=b'': must not be empty")
    return bytes(key)


def hmac_tag(artifact, key) -> str:
    r"""HMAC-SHA256 tag of an artifact under a shared secret key, as hex.

    .. math:: tag = \mathrm{HMAC}_{K}(m) = H((K \oplus opad) \| H((K \oplus ipad) \| m))

    Parameters
    ----------
    artifact : bytes or pathlib.Path
        The message.
    key : bytes
        The shared secret (non-empty). Whoever holds it can both check and forge tags.

    Returns
    -------
    str

    See Also
    --------
    hmac_verify : checks a tag.
    sign_artifact : the public-key alternative.

    References
    ----------
    RFC 2104 §2 (the HMAC construction); RFC 4231 §4.3, Test Case 2 (key "Jefe").

    Examples
    --------
    >>> hmac_tag(b"what do ya want for nothing?", b"Jefe")[:16]
    '5bdcc146bf60754e'
    """
    data = _artifact_bytes("artifact", artifact)
    return hmac.new(_key_bytes(key), data, hashlib.sha256).hexdigest()


def hmac_verify(artifact, tag_hex, key) -> bool:
    r"""Check an HMAC-SHA256 tag in constant time.

    .. math:: valid \iff tag = \mathrm{HMAC}_K(m)

    Parameters
    ----------
    artifact : bytes or pathlib.Path
        The message.
    tag_hex : str
        The tag received (hex).
    key : bytes
        The shared secret.

    Returns
    -------
    bool

    See Also
    --------
    hmac_tag : makes the tag.
    verify_artifact : the public-key alternative.

    References
    ----------
    RFC 2104 §2; Python documentation, ``hmac.compare_digest`` (constant-time comparison).

    Examples
    --------
    >>> hmac_verify(b"m", hmac_tag(b"m", b"k"), b"k"), hmac_verify(b"m2", hmac_tag(b"m", b"k"), b"k")
    (True, False)
    """
    data = _artifact_bytes("artifact", artifact)
    tag = text("tag_hex", tag_hex)
    return hmac.compare_digest(hmac.new(_key_bytes(key), data, hashlib.sha256).hexdigest(), tag.lower())
