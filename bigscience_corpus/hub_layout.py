"""Writing a corpus folder in the Hub's own layout — what `push_to_hub` writes, so either path gives the same repo:
`<config>/<split>-NNNNN-of-NNNNN.parquet` and README YAML with `configs:` and `dataset_info`."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import datasets
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from datasets.utils.py_utils import convert_file_size_to_int
from huggingface_hub import DatasetCardData

DEFAULT_CONFIG = "all"


@dataclass
class WrittenSplit:
    config: str
    split: str
    rows: int
    files: list[str]
    num_bytes: int
    download_size: int


def write_split(ds: datasets.Dataset, root: Path, config: str, split: str, max_shard_size: str) -> WrittenSplit:
    """Parquet shards of one split of one config, named as `push_to_hub` names them."""
    folder = root / config
    folder.mkdir(parents=True, exist_ok=True)
    ds = ds.flatten_indices()  # so the size below is this split's, not the table it was selected from
    num_bytes = ds.data.nbytes
    shards = max(1, math.ceil(num_bytes / convert_file_size_to_int(max_shard_size)))
    files = []
    for index in range(shards):
        path = folder / f"{split}-{index:05d}-of-{shards:05d}.parquet"
        ds.shard(shards, index, contiguous=True).to_parquet(str(path))
        files.append(str(path.relative_to(root)))
    size = sum(os.path.getsize(root / f) for f in files)
    return WrittenSplit(config, split, len(ds), files, num_bytes, size)


def card_metadata(written: list[WrittenSplit], features: datasets.Features, extra: dict) -> DatasetCardData:
    """README YAML: `configs` (the default one marked) and `dataset_info` per config, plus `extra` keys."""
    card = DatasetCardData(**extra)
    infos, configs = {}, {}
    for config in dict.fromkeys(w.config for w in written):
        splits = [w for w in written if w.config == config]
        info = DatasetInfo(config_name=config, features=features, splits=SplitDict(),
                           download_size=sum(w.download_size for w in splits),
                           dataset_size=sum(w.num_bytes for w in splits))
        for w in splits:
            info.splits.add(SplitInfo(name=w.split, num_bytes=w.num_bytes, num_examples=w.rows))
        infos[config] = info
        configs[config] = {"data_files": [{"split": w.split, "path": f"{config}/{w.split}-*"} for w in splits]}
        if config == DEFAULT_CONFIG:
            configs[config]["default"] = True
    DatasetInfosDict(infos).to_dataset_card_data(card)
    MetadataConfigs(configs).to_dataset_card_data(card)
    return card
