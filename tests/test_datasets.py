"""Bundled data: every file loads, matches its manifest, and damage is reported by name."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from infra_lab import datasets
from infra_lab.datasets import DataFileError

# Row counts as published in data/SOURCES.md (its table of files, "rows" column).
SOURCES_MD_ROWS = {
    "azure_llm_conv": 19_366,
    "azure_llm_code": 8_819,
    "mooncake_trace": 12_031,
    "epoch_models": 1_892,
    "epoch_hardware": 161,
    "epoch_hardware_prices": 591,
    "pai_minibatch_time": 29_720,
    "pai_minibatch_cov": 100,
    "zeus_power": 1_609,
    "zeus_train": 3_759,
    "acme_cluster_summary": 5,
    "lingjun_topology": 847,
    "flights": 33_678,
    "weather": 26_115,
    "airlines": 16,
    "vm_noise": 92_569,
}


def loader(name):
    return getattr(datasets, f"load_{name}")


@pytest.mark.parametrize("name, rows", SOURCES_MD_ROWS.items())
def test_each_loader_returns_the_published_row_count(name, rows):
    assert len(loader(name)()) == rows


def test_there_is_one_loader_per_bundled_file_and_each_is_documented():
    manifest = (datasets.data_dir() / "MANIFEST.sha256").read_text().split("\n")
    data_files = {line.split(maxsplit=1)[1] for line in manifest if line.strip()}
    data_files = {f for f in data_files if f.endswith((".csv", ".csv.gz", ".json"))}
    assert {d.path for d in datasets.DATASETS.values()} == data_files
    for name, meta in datasets.DATASETS.items():
        fn = loader(name)
        assert fn.__doc__ and meta.licence and meta.citation and meta.columns, name


def test_manifest_checksums_match_the_published_ones_in_sources_md():
    # data/SOURCES.md prints each file's sha256; the manifest must agree with it.
    sources = (datasets.data_dir() / "SOURCES.md").read_text()
    manifest = dict(reversed(line.split(maxsplit=1)) for line in
                    (datasets.data_dir() / "MANIFEST.sha256").read_text().splitlines() if line.strip())
    for rel in ["azure_llm_inference_2023_conv.csv", "nycflights13_weather.csv", "azure_vm_noise_pgbench_rw25.csv.gz"]:
        assert manifest[rel] in sources, rel


def test_timestamps_are_parsed_and_units_documented():
    flights = datasets.load_flights()
    assert str(flights["time_hour"].dt.tz) == "UTC"
    assert pd.api.types.is_datetime64_any_dtype(datasets.load_azure_llm_conv()["TIMESTAMP"])
    assert datasets.load_h200_llm_machine()["kv_bytes_per_token"] == 524288


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(datasets.data_dir(), copy)
    monkeypatch.setenv("INFRA_LAB_DATA", str(copy))
    return copy


def test_a_damaged_file_is_refused_by_name_with_how_to_restore(data_copy):
    target = data_copy / "nycflights13_airlines.csv"
    target.write_text(target.read_text().replace("Endeavor", "Endeavour"))
    with pytest.raises(DataFileError) as err:
        datasets.load_airlines()
    assert "data/nycflights13_airlines.csv is damaged" in str(err.value)
    assert "git checkout -- data/nycflights13_airlines.csv" in str(err.value)


def test_a_missing_file_is_refused_by_name(data_copy):
    (data_copy / "measured_h200" / "llm_decode.csv").unlink()
    with pytest.raises(DataFileError, match="data/measured_h200/llm_decode.csv is missing"):
        datasets.load_h200_llm_decode()


def test_unknown_dataset_name_lists_the_valid_ones():
    with pytest.raises(KeyError, match="choose one of"):
        datasets.info("flight")
