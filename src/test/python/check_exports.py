"""Loads Ranklab's exports the way researchers do, and fails loudly when a reader cannot.

Usage: check_exports.py CASES_JSON. The file (written by ExportInteropTest) names the exports, schemas, Hugging Face
archives and signed links to check, relative to its own folder. Exits 1 listing every failure.
"""
import json
import os
import sys
import tempfile
import traceback
import zipfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")

import datasets  # noqa: E402
import jsonschema  # noqa: E402
import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from datasets import DatasetDict, concatenate_datasets, load_dataset  # noqa: E402

datasets.logging.set_verbosity_error()
FAILURES = []
CHECKS = [0]


def check(name, fn):
    CHECKS[0] += 1
    try:
        fn()
    except Exception:  # every failure is reported, with its traceback, and the next check still runs
        FAILURES.append(f"{name}:\n{traceback.format_exc()}")


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main(cases_path):
    base = os.path.dirname(os.path.abspath(cases_path))
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    cache = tempfile.mkdtemp(prefix="ranklab-hf-cache")
    path = lambda name: os.path.join(base, name)  # noqa: E731
    schemas = {name: json.load(open(path(file), encoding="utf-8")) for name, file in cases["schemas"].items()}
    exports = {export["name"]: export for export in cases["exports"]}

    def load_json(files, features=None):
        return load_dataset("json", data_files=[path(f) for f in files], features=features, split="train",
                            cache_dir=cache)

    def load_parquet(files):
        return load_dataset("parquet", data_files=[path(f) for f in files], split="train", cache_dir=cache)

    for export in cases["exports"]:
        name, jsonl, parquet = export["name"], export["jsonl"], export["parquet"]
        schema = schemas[export["schema"]]

        def validates():
            validator = jsonschema.Draft202012Validator(schema)
            rows = lines(path(jsonl))
            assert rows, "no lines"
            for number, row in enumerate(rows, 1):
                errors = sorted(validator.iter_errors(row), key=lambda e: list(e.path))
                assert not errors, f"line {number}: {errors[0].message} at {list(errors[0].path)}"
                assert list(row) == schema["required"] + [k for k in schema["properties"] if k in row
                                                          and k not in schema["required"]], f"line {number} keys"

        def every_reader_loads():
            expected = len(lines(path(jsonl)))
            parquet_ds = load_parquet([parquet])
            json_ds = load_json([jsonl])
            assert len(parquet_ds) == len(json_ds) == expected, (len(parquet_ds), len(json_ds), expected)
            assert list(json_ds.features) == list(parquet_ds.features)
            inferred = pl.read_ndjson(path(jsonl))  # polars infers types from the first 100 rows
            assert inferred.height == expected and inferred.columns == list(parquet_ds.features), inferred.columns
            assert pl.read_parquet(path(parquet)).height == expected
            assert len(pd.read_json(path(jsonl), lines=True)) == expected
            assert len(pd.read_parquet(path(parquet))) == expected
            assert pq.read_table(path(parquet)).num_rows == expected

        def jsonl_and_parquet_make_one_table():
            parquet_ds = load_parquet([parquet])
            json_ds = load_json([jsonl], features=parquet_ds.features)
            both = concatenate_datasets([parquet_ds, json_ds])
            assert len(both) == 2 * len(parquet_ds)
            assert json_ds.to_list() == parquet_ds.to_list(), "JSON lines and Parquet rows differ"
            from_parquet = pl.read_parquet(path(parquet))
            from_json = pl.read_ndjson(path(jsonl), schema=from_parquet.schema)
            assert from_json.equals(from_parquet), "polars: JSON lines and Parquet differ"
            assert pl.concat([from_parquet, from_json]).height == 2 * from_parquet.height

        check(f"{name}: every line validates against the published schema", validates)
        check(f"{name}: datasets, polars, pandas and pyarrow load JSON lines and Parquet", every_reader_loads)
        check(f"{name}: JSON lines and Parquet of one export make one table", jsonl_and_parquet_make_one_table)

    for first, second in cases["concatenations"]:
        a, b = exports[first], exports[second]

        def concatenates():
            parquet_ds = load_parquet([a["parquet"], b["parquet"]])
            features = parquet_ds.features
            json_ds = load_json([a["jsonl"], b["jsonl"]], features=features)
            assert len(parquet_ds) == len(json_ds) == len(lines(path(a["jsonl"]))) + len(lines(path(b["jsonl"])))
            separately = concatenate_datasets([load_parquet([a["parquet"]]), load_parquet([b["parquet"]])])
            assert len(separately) == len(parquet_ds)
            schema = pl.read_parquet_schema(path(a["parquet"]))
            frames = [pl.read_ndjson(path(x["jsonl"]), schema=schema) for x in (a, b)]
            assert pl.concat(frames + [pl.read_parquet(path(x["parquet"])) for x in (a, b)]).height == 2 * len(json_ds)

        check(f"{first} + {second}: two campaigns' exports concatenate", concatenates)

    late = cases.get("late")
    if late:
        def late_keys_survive():
            export = exports[late["export"]]
            rows = lines(path(export["jsonl"]))
            size = os.path.getsize(path(export["jsonl"]))
            assert size > 10 * 1024 * 1024, f"the file has {size} bytes, not over 10 MB"
            assert len(rows) > 100
            assert any(late["metadataKey"] in json.loads(row["metadata"]) for row in rows), "no late key to check"
            ds = load_json([export["jsonl"]])
            loaded = [json.loads(row["metadata"]) for row in ds]
            assert loaded == [json.loads(row["metadata"]) for row in rows], "datasets changed some metadata"
            # polars infers types from the first 100 rows by default, where every flag list is empty: it is told to
            # look at all of them, as the export docs say.
            flagged = pl.read_ndjson(path(export["jsonl"]), infer_schema_length=None)["flags"].to_list()
            expected = [row["flags"] for row in rows]
            assert flagged == expected, "polars changed the flags of some rows"
            assert any(row and row[late["flaggedResponse"]] for row in expected[100:]), "no late flag to check"

        check("a >10 MB file whose keys vary late loads whole", late_keys_survive)

    for hf in cases["hf"]:
        def hf_folder_loads(hf=hf):
            folder = tempfile.mkdtemp(prefix="ranklab-hf")
            with zipfile.ZipFile(path(hf["zip"])) as archive:
                archive.extractall(folder)
            (root,) = os.listdir(folder)
            root = os.path.join(folder, root)
            dataset = load_dataset(root, cache_dir=cache)
            assert isinstance(dataset, DatasetDict), type(dataset)
            assert set(dataset) <= {"train", "validation", "test"} and "train" in dataset, list(dataset)
            assert set(dataset) == set(hf["splits"]), (list(dataset), hf["splits"])
            owner = {}
            key = hf["promptColumn"]
            for split, rows in dataset.items():
                for row in rows:
                    assert row["split"] == split, (row["split"], split)
                    prompt = json.dumps(row[key][:-1] if key == "messages" else row[key], sort_keys=True)
                    assert owner.setdefault(prompt, split) == split, f"a prompt is in {owner[prompt]} and {split}"
            expected = lines(path(hf["jsonl"]))
            assert sum(len(rows) for rows in dataset.values()) == len(expected)
            by_split = {split: [row for row in expected if row["split"] == split] for split in dataset}
            for split, rows in dataset.items():
                assert rows.to_list() == by_split[split], f"the {split} split differs from the export's lines"
            card = datasets.load_dataset_builder(root, cache_dir=cache).info
            assert card.features is not None and list(card.features) == list(dataset["train"].features)
            with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
                readme = f.read()
            for words in hf["cardMentions"]:
                assert words in readme, f"the card does not mention {words!r}"

        check(f"{hf['zip']}: the Hugging Face folder loads as a DatasetDict, no prompt in two splits", hf_folder_loads)

    for link in cases["links"]:
        def fetched_without_headers(link=link):
            local = pl.read_parquet(path(link["parquet"]))
            assert pl.read_parquet(link["url"]).equals(local), "polars read another table through the link"
            assert pd.read_parquet(link["url"]).shape == local.shape

        check(f"a signed link to {link['parquet']} reads without headers", fetched_without_headers)

    print(f"{CHECKS[0]} checks, {len(FAILURES)} failed (datasets {datasets.__version__}, polars {pl.__version__}, "
          f"pandas {pd.__version__}, jsonschema {jsonschema.__version__})")
    for failure in FAILURES:
        print("FAILED " + failure)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
