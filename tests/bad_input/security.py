"""Bad-input matrix of infra_lab.security (see tests/contract_matrix.py)."""

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract_matrix import Call, Count, Custom, Data, Num, Prob, Text

P = "infra_lab.security."
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
PUB = KEY.public_key().public_bytes_raw().hex()

ROLES = {"ana": "analyst", "eli": ["ml_engineer"]}
PERMS = {"model_registry": {"promote": ["ml_engineer"], "read": ["analyst", "ml_engineer"]}}
ROLES_BAD = [("wrong-type", "ana=analyst"), ("none", None), ("role-not-text", {"ana": 3}),
             ("user-not-text", {3: "analyst"}), ("empty-role", {"ana": ""})]
PERMS_BAD = [("wrong-type", ["model_registry"]), ("none", None), ("actions-not-mapping", {"model_registry": ["read"]}),
             ("role-not-text", {"model_registry": {"read": [3]}}), ("empty-resource", {"": {"read": ["analyst"]}})]
LOG_BAD = [("wrong-type", 3), ("string", "audit.log")]
ART_BAD = [("str", "weights"), ("none", None), ("number", 3), ("missing-file", Path("/no/such/artifact.bin"))]


def _signature():
    from infra_lab.security.signing import sign_artifact
    return sign_artifact(b"weights", KEY, "model-v1")


SIG = _signature()
SIG_BAD = [("wrong-type", "signature"), ("dict", {"signature_hex": "00"})]
TRUST_BAD = [("string", PUB), ("none", None), ("not-hex", ["zz" * 32]), ("short", [PUB[:10]]), ("number", [3])]
KEY_BYTES_BAD = [("str", "secret"), ("none", None), ("empty", b"")]

CASES = [
    Call(P + "access.check_access", user=Text("ana"), resource=Text("model_registry"), action=Text("read"),
         user_roles=Custom(ROLES, bad_values=ROLES_BAD), permissions=Custom(PERMS, bad_values=PERMS_BAD),
         audit_log=Custom(None, bad_values=LOG_BAD)),
    Call(P + "access.access_matrix", user_roles=Custom(ROLES, bad_values=ROLES_BAD + [("no-users", {})]),
         permissions=Custom(PERMS, bad_values=PERMS_BAD + [("no-actions", {})]),
         audit_log=Custom(None, bad_values=LOG_BAD)),
    Call(P + "signing.content_sha256", artifact=Custom(b"abc", bad_values=ART_BAD)),
    Call(P + "signing.public_key_hex", key=Custom(KEY, bad_values=[("bytes", bytes(32)), ("none", None),
                                                               ("string", PUB)])),
    Call(P + "signing.sign_artifact", artifact=Custom(b"weights", bad_values=ART_BAD),
         private_key=Custom(KEY, bad_values=[("public-key", KEY.public_key()), ("bytes", bytes(32)), ("none", None)]),
         artifact_name=Text("model-v1")),
    Call(P + "signing.verify_artifact", artifact=Custom(b"weights", bad_values=ART_BAD),
         signature=Custom(SIG, bad_values=SIG_BAD), trusted_public_keys=Custom([PUB], bad_values=TRUST_BAD)),
    Call(P + "signing.require_verified_artifact", artifact=Custom(b"weights", bad_values=ART_BAD + [("tampered", b"weights!")]),
         signature=Custom(SIG, bad_values=SIG_BAD + [("unsigned", None)]),
         trusted_public_keys=Custom([PUB], bad_values=TRUST_BAD + [("untrusted", [OTHER.public_key()])])),
    Call(P + "signing.hmac_tag", artifact=Custom(b"m", bad_values=ART_BAD), key=Custom(b"k", bad_values=KEY_BYTES_BAD)),
    Call(P + "signing.hmac_verify", artifact=Custom(b"m", bad_values=ART_BAD),
         tag_hex=Text("00" * 32), key=Custom(b"k", bad_values=KEY_BYTES_BAD)),
    Call(P + "supply_chain.audit_requirements",
         requirements_text=Custom("numpy==2.4.6\n", bad_values=[("none", None), ("bytes", b"numpy==2.4.6"),
                                                                ("path", Path("requirements.txt")),
                                                                ("nul-byte", "numpy\x00==1")])),
    Call(P + "abuse.token_bucket", arrival_times_s=Data([0.0, 0.1, 0.2, 1.5]),
         refill_rate_per_s=Num(1.0, low=0.0, low_open=True), burst=Count(2, minimum=1),
         clients=Custom(None, bad_values=[("string", "abc"), ("length-mismatch", ["a"]),
                                          ("2-d", [["a", "b"], ["c", "d"]]), ("missing-label", ["a", None, "b", "a"])])),
    Call(P + "abuse.poisoning_screen", reference_values=Data([0.0, 1.0, 2.0, 3.0, 4.0], min_size=3),
         candidate_values=Data([1.0, 2.0, 30.0]), reference_labels=Data([0.0, 1.0, 0.0, 0.0], low=0.0, high=1.0),
         candidate_labels=Data([1.0, 1.0, 0.0], low=0.0, high=1.0), z_threshold=Num(3.5, low=0.0, low_open=True),
         alpha=Prob(0.01, low_open=True, high_open=True)),
]

NOT_A_FORMULA = {
    "generate_signing_key": "draws a random key; no formula",
    "public_key_hex": "an encoding of a key, not a computation",
}
