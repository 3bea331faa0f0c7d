"""Bad-input matrix of infra_lab.governance (store, records, queries)."""

import numpy as np
import pandas as pd

from contract_matrix import Call, Count, Custom, Data, Flag, Frame, Fresh, Num, Option, Text
from infra_lab.mlops import build_example_store

G = "infra_lab.governance."


def store():
    # A new store for every call, so one writer's baseline call never changes another's start.
    return Custom(Fresh(lambda: build_example_store(":memory:")), bad_values=[("wrong-type", "store.db"), ("none", None)])


def an_id(valid=1):
    return Count(valid, minimum=1)


def optional_id():
    return Count(None, minimum=1, none_ok=True)


def json_dict(valid, numbers_only=False):
    bad = [("wrong-type", "l2=1"), ("non-str-key", {3: 1.0}), ("non-utf8-key", {"\udcff": 1.0})]
    bad.append(("nan-value", {"auc": float("nan")}) if numbers_only else ("non-json-value", {"f": object()}))
    return Custom(valid, bad_values=bad)


HOSTILE_TEXT = [("non-utf8", "\udcff")]


def name(valid="x", allow_empty=False):
    # Text's bad values plus a lone surrogate (not storable as UTF-8): each must name the parameter.
    return Custom(valid, bad_values=[("wrong-type", 3), ("none", None), ("bytes", b"x")]
                  + ([] if allow_empty else [("empty", "")]) + HOSTILE_TEXT)


CASES = [
    Call(G + "store.open_store", path=Custom(":memory:", bad_values=[("wrong-type", 3), ("empty", ""), ("nul", "a\x00b"),
                                                                     ("none", None)]),
         timeout_s=Num(5.0, low=0.0, high=86_400.0, low_open=True), actor=name("course")),
    Call(G + "records.dataset_content_hash", df=Frame(pd.DataFrame({"x": [1, 2]}))),
    Call(G + "records.record_dataset_version", store=store(), dataset_name=name("flights"), version=name("v1"),
         content_hash=name("ab12"), rows=Count(100), documentation=name("", allow_empty=True),
         derived_from_id=optional_id()),
    Call(G + "records.record_feature_set", store=store(), name=name("fs"),
         dataset_version_ids=Custom([1, 2], bad_values=[("empty", []), ("wrong-type", "1"), ("fraction", [1.5]),
                                                        ("zero", [0]), ("missing-row", [999_999])]),
         features=Custom(["x"], bad_values=[("empty", []), ("wrong-type", "x"), ("duplicate", ["x", "x"]),
                                            ("non-string", [3]), ("non-utf8", ["\udcff"])]),
         definition=name("", allow_empty=True)),
    Call(G + "records.record_training_run", store=store(), feature_set_id=an_id(), code_version=name("abc"),
         parameters=json_dict({"l2": 1.0}), metrics=json_dict({"auc": 0.6}, numbers_only=True),
         environment=Custom(None, bad_values=[("wrong-type", "py3.11"), ("non-json-value", {"f": object()})])),
    Call(G + "registry.register_model_version", store=store(), model_name=name("delay"), run_id=an_id(),
         artifact_hash=name("sha256:00")),
    Call(G + "registry.record_evaluation", store=store(), model_version_id=an_id(), metric=name("auc"),
         value=Num(0.7), threshold=Num(0.6), higher_is_better=Flag(True), dataset_version_id=optional_id()),
    Call(G + "registry.record_approval", store=store(), model_version_id=an_id(), approver=name("risk"),
         decision=Option("approved"), note=name("", allow_empty=True)),
    Call(G + "registry.record_deployment", store=store(), model_version_id=an_id(), environment=name("shadow"),
         traffic_share=Num(0.0, low=0.0, high=1.0), rollback_target_id=optional_id()),
    Call(G + "operations.record_predictions", store=store(), deployment_id=an_id(),
         scores=Data(np.array([0.1, 0.9]), low=0.0, high=1.0),
         request_ids=Custom(None, bad_values=[("wrong-type", "r1"), ("wrong-length", ["a"]),
                                              ("non-string", [1, 2]), ("non-utf8", ["\udcff", "b"])])),
    Call(G + "operations.record_monitoring_report", store=store(), deployment_id=an_id(), kind=name("drift"),
         metrics=json_dict({"psi": 0.01}, numbers_only=True), passed=Flag(True)),
    Call(G + "operations.record_incident", store=store(), severity=Option("high"), description=name("bad feed"),
         dataset_version_id=optional_id(), model_version_id=optional_id(), deployment_id=optional_id()),
    Call(G + "operations.log_access", store=store(), actor=name("alice"), action=name("read"),
         resource=name("model_version:1"), allowed=Flag(True), detail=name("", allow_empty=True)),
    Call(G + "queries.prediction_lineage", store=store(), prediction_id=Custom(1, bad_values=[
        ("fraction", 1.5), ("bool", True), ("zero", 0), ("missing-row", 10**9), ("numeric-string", "1"),
        ("huge", 2**70)])),
    Call(G + "queries.dataset_impact", store=store(), dataset_version_id=Custom(2, bad_values=[
        ("fraction", 1.5), ("bool", True), ("zero", 0), ("missing-row", 10**9), ("numeric-string", "1")])),
    Call(G + "queries.audit_completeness", store=store(), model_version_id=Custom(None, bad_values=[
        ("fraction", 1.5), ("bool", True), ("zero", 0), ("missing-row", 10**9), ("numeric-string", "1")])),
    Call(G + "queries.read_audit_log", store=store(),
         resource=Custom(None, bad_values=[("wrong-type", 3), ("empty", ""), ("non-utf8", "\udcff")])),
    Call(G + "queries.table_counts", store=store()),
    Call(G + "queries.schema_foreign_keys", store=store()),
]

_WRITER = "a writer: it records evidence; there is no formula to state"
NOT_A_FORMULA = {
    "open_store": "opens a file", "record_dataset_version": _WRITER, "record_feature_set": _WRITER,
    "record_training_run": _WRITER, "register_model_version": _WRITER, "record_approval": _WRITER,
    "record_deployment": _WRITER, "record_predictions": _WRITER, "record_monitoring_report": _WRITER,
    "record_incident": _WRITER, "log_access": _WRITER, "read_audit_log": "a reader",
    "table_counts": "a reader", "schema_foreign_keys": "a reader of the schema",
}
