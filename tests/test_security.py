"""infra_lab.security: access decisions, audit logging, tamper detection, pinning audit, rate limits.

References: RFC 8032 §7.1 TEST 1 (Ed25519 keys and signature); NIST FIPS 180-2 Appendix B.1
(SHA-256 of "abc"); RFC 4231 §4.3 Test Case 2 (HMAC-SHA-256, key "Jefe"); PEP 440 "Version
matching"; the token bucket's bound A(t, t+Δ) ≤ b + rΔ (Tanenbaum & Wetherall §5.4.2),
checked over every window; NIST e-Handbook §1.3.5.17 (modified z-score, 3.5).
"""

import hashlib
from pathlib import Path

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.security import (
    AUDIT_LOG, AccessDecision, ArtifactSignature, ArtifactVerificationError, AuditLog, PoisoningScreen,
    RateLimitResult, RequirementsAudit, SignatureCheck, access_matrix, audit_requirements, check_access,
    content_sha256, generate_signing_key, hmac_tag, hmac_verify, poisoning_screen, public_key_hex,
    require_verified_artifact, sign_artifact, token_bucket, verify_artifact,
)

ROLES = {"ana": "analyst", "eli": ["ml_engineer"], "sam": ["sre", "analyst"]}
PERMS = {"model_registry": {"read": ["analyst", "ml_engineer"], "promote": ["ml_engineer"]},
         "serving": {"rollback": ["sre"]}}

RFC8032_SK = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
RFC8032_PK = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
RFC8032_SIG = ("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25"
               "bf5f0595bbe24655141438e7a100b")


# ------------------------------------------------------------------ access
def test_access_is_allowed_only_through_a_permitted_role_and_every_decision_is_logged():
    log = AuditLog()
    cases = {("ana", "model_registry", "read"): True, ("ana", "model_registry", "promote"): False,
             ("eli", "model_registry", "promote"): True, ("sam", "serving", "rollback"): True,
             ("eli", "serving", "rollback"): False, ("mallory", "model_registry", "read"): False,
             ("ana", "feature_store", "read"): False, ("eli", "model_registry", "delete"): False}
    for (user, resource, action), expected in cases.items():
        d = check_access(user, resource, action, ROLES, PERMS, log)
        assert isinstance(d, AccessDecision)
        assert d.allowed is expected, (user, resource, action)
        assert (d.user, d.resource, d.action) == (user, resource, action)
        assert (d.role != "") is expected
        assert ("denied by default" in d.reason) == (user == "mallory" or resource == "feature_store"
                                                     or action == "delete")
    assert len(log) == len(cases)
    frame = log.to_frame()
    assert frame["allowed"].tolist() == list(cases.values())
    assert list(frame.columns) == ["time_utc", "user", "resource", "action", "allowed", "role", "reason"]


def test_audit_records_cannot_be_edited_or_removed():
    log = AuditLog()
    check_access("ana", "model_registry", "read", ROLES, PERMS, log)
    with pytest.raises(TypeError):
        log[0]["allowed"] = False  # read-only mapping
    assert not hasattr(log, "remove") and not hasattr(log, "clear") and not hasattr(log, "__delitem__")


def test_the_audit_log_is_an_interface_a_list_or_a_callable():
    sink, calls = [], []
    check_access("ana", "model_registry", "read", ROLES, PERMS, sink)
    check_access("ana", "model_registry", "read", ROLES, PERMS, calls.append)
    assert sink[0]["user"] == "ana" and calls[0]["allowed"] is True
    before = len(AUDIT_LOG)
    check_access("ana", "model_registry", "read", ROLES, PERMS)  # default: in-memory AUDIT_LOG
    assert len(AUDIT_LOG) == before + 1


def test_access_fails_closed_when_the_audit_log_refuses_the_record():
    def broken(record):
        raise OSError("disk full")
    with pytest.raises(OSError):
        check_access("eli", "model_registry", "promote", ROLES, PERMS, broken)


def test_access_matrix_is_every_decision():
    log = AuditLog()
    m = access_matrix(ROLES, PERMS, log)
    assert list(m.columns) == ["model_registry:read", "model_registry:promote", "serving:rollback"]
    assert m.loc["eli"].tolist() == [True, True, False]
    assert m.loc["sam"].tolist() == [True, False, True]
    assert len(log) == m.size


# ----------------------------------------------------------------- signing
def test_sha256_of_abc_is_the_fips_value():
    # NIST FIPS 180-2, Appendix B.1.
    assert content_sha256(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_content_hash_of_a_file_equals_the_hash_of_its_bytes(tmp_path):
    p = tmp_path / "model.bin"
    p.write_bytes(b"\x00\x01weights")
    assert content_sha256(p) == hashlib.sha256(b"\x00\x01weights").hexdigest()


def test_ed25519_keys_match_rfc_8032_test_1():
    sk = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(RFC8032_SK))
    assert public_key_hex(sk) == RFC8032_PK == public_key_hex(sk.public_key())
    # Ed25519 is deterministic: the library's primitive reproduces the RFC's signature of "".
    assert sk.sign(b"").hex() == RFC8032_SIG


def test_a_signed_artifact_verifies_and_every_kind_of_tampering_is_refused():
    key, other = generate_signing_key(), generate_signing_key()
    sig = sign_artifact(b"model weights v1", key, "risk-model-1")
    assert isinstance(sig, ArtifactSignature)
    assert sig.artifact_name == "risk-model-1" and sig.algorithm == "ed25519-over-sha256-hex"
    assert sig.artifact_sha256 == hashlib.sha256(b"model weights v1").hexdigest()
    assert sig.public_key_hex == public_key_hex(key) and len(sig.signature_hex) == 128
    # An independent check with the cryptography package itself.
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(sig.public_key_hex)).verify(
        bytes.fromhex(sig.signature_hex), sig.artifact_sha256.encode())
    trusted = [public_key_hex(key)]
    ok = require_verified_artifact(b"model weights v1", sig, trusted)
    assert isinstance(ok, SignatureCheck) and ok.valid and ok.reason == "ok"
    assert ok.artifact_sha256 == ok.signed_sha256 == sig.artifact_sha256

    flipped = bytearray(b"model weights v1")
    flipped[0] ^= 1
    forged_hash = sig.__class__(sig.artifact_name, hashlib.sha256(bytes(flipped)).hexdigest(), sig.signature_hex,
                                sig.public_key_hex, sig.algorithm)
    wrong_key = sign_artifact(b"model weights v1", other)
    for artifact, signature, keys, reason in [
        (bytes(flipped), sig, trusted, "tampered"), (b"model weights v1", None, trusted, "unsigned"),
        (b"model weights v1", wrong_key, trusted, "untrusted signer"),
        (bytes(flipped), forged_hash, trusted, "bad signature"),
    ]:
        check = verify_artifact(artifact, signature, keys)
        assert not check.valid and check.reason.startswith(reason)
        with pytest.raises(ArtifactVerificationError, match="refused at deploy time"):
            require_verified_artifact(artifact, signature, keys)


def test_hmac_matches_rfc_4231_test_case_2_and_anyone_who_verifies_can_forge():
    tag = hmac_tag(b"what do ya want for nothing?", b"Jefe")
    assert tag == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert hmac_verify(b"what do ya want for nothing?", tag, b"Jefe")
    # The verifier holds the same key, so it can tag a tampered artifact that then verifies.
    forged = hmac_tag(b"tampered", b"Jefe")
    assert hmac_verify(b"tampered", forged, b"Jefe")
    assert not hmac_verify(b"tampered", tag, b"Jefe")


# ------------------------------------------------------------ supply chain
def test_requirements_audit_follows_pep_440():
    text = ("# runtime\nnumpy==2.4.6\npandas>=2,<3\nscipy\nmatplotlib==3.*\nnumpy==2.0  # twice\n"
            "-r other.txt\nrequests @ https://example.org/r.whl\nflask===3.0.0 \\\n    --hash=sha256:00\n"
            "not a requirement!!\n")
    a = audit_requirements(text)
    assert isinstance(a, RequirementsAudit)
    assert a.table["status"].tolist() == ["pinned", "loose", "unpinned", "loose", "duplicate", "option", "loose",
                                          "pinned", "invalid"]
    assert a.table["line_number"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9, 11]
    assert a.table.loc[a.table["name"] == "flask", "hashed"].item()
    assert (a.pinned, a.loose, a.unpinned, a.duplicate, a.invalid) == (2, 3, 1, 1, 1)
    assert a.pinned_share == pytest.approx(2 / 8)


def test_the_courses_own_requirements_are_all_pinned():
    a = audit_requirements((Path(__file__).resolve().parents[1] / "requirements.txt").read_text())
    assert a.pinned > 10 and a.pinned_share == 1.0


# ---------------------------------------------------------------- abuse
@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=1, max_size=120), st.floats(0.1, 20), st.integers(1, 10))
def test_token_bucket_never_admits_more_than_burst_plus_rate_times_window(times, rate, burst):
    t = np.sort(np.asarray(times))
    res = token_bucket(t, rate, burst)
    ok = t[res.admitted]
    for i in range(ok.size):  # every window that starts and ends at admitted requests
        in_window = np.arange(i, ok.size) + 1 - i
        assert np.all(in_window <= burst + rate * (ok[i:] - ok[i]) + 1e-9)


def test_token_bucket_matches_a_hand_count_and_isolates_clients():
    # A burst of 10 at t=0 against b=3, r=1/s, then one request each second: 3 + 1 + 1 admitted.
    res = token_bucket([0] * 10 + [1.0, 2.0], 1.0, 3)
    assert isinstance(res, RateLimitResult)
    assert res.admitted.tolist() == [True] * 3 + [False] * 7 + [True, True]
    assert (res.admitted_count, res.rejected_count) == (5, 7)
    assert res.admitted_share == pytest.approx(5 / 12)
    # An abusive client does not drain a well-behaved one's bucket.
    t = np.r_[np.linspace(0, 10, 500), np.arange(0, 10, 1.0)]
    clients = np.r_[["abuser"] * 500, ["normal"] * 10]
    order = np.argsort(t, kind="stable")
    res = token_bucket(t[order], 2.0, 5, clients[order])
    per = res.per_client.set_index("client")
    assert per.loc["normal", "admitted"] == 10 and per.loc["normal", "rejected"] == 0
    assert per.loc["abuser", "admitted"] <= 5 + 2.0 * 10 + 1
    assert per.loc["abuser", "requests"] == 500 and per.loc["abuser", "admitted_share"] < 0.06


def test_poisoning_screen_flags_flips_and_outliers_but_not_a_clean_batch():
    rng = np.random.default_rng(11)
    ref_x, ref_y = rng.normal(size=5000), (rng.random(5000) < 0.2).astype(int)
    clean = poisoning_screen(ref_x, rng.normal(size=2000), ref_y, (rng.random(2000) < 0.2).astype(int))
    assert isinstance(clean, PoisoningScreen) and not clean.flagged
    # NIST §1.3.5.17: |M| > 3.5 ⇔ |x − median| > 3.5 · MAD / 0.6745 — recomputed here.
    med, mad = np.median(ref_x), np.median(np.abs(ref_x - np.median(ref_x)))
    assert clean.reference_outlier_share == pytest.approx(np.mean(np.abs(ref_x - med) > 3.5 * mad / 0.6745))
    assert clean.reference_positive_share == pytest.approx(ref_y.mean())
    flipped = (rng.random(2000) < 0.2).astype(int)
    flipped[rng.choice(2000, 200, replace=False)] = 1  # label flips toward 1
    poisoned = poisoning_screen(ref_x, np.r_[rng.normal(size=1960), np.full(40, 8.0)], ref_y, flipped)
    assert poisoned.flagged
    assert poisoned.outlier_pvalue < 1e-6 and poisoned.label_pvalue < 1e-3
    assert poisoned.candidate_outlier_share >= 40 / 2000
    assert poisoned.candidate_positive_share > clean.candidate_positive_share
    assert clean.outlier_pvalue > 0.01 and clean.label_pvalue > 0.01


def test_a_bare_url_is_loose_and_a_malformed_line_is_invalid():
    a = audit_requirements("git+https://example.org/pkg.git\nflask = 3\n")
    assert a.table["status"].tolist() == ["loose", "invalid"]
