"""Trains TRL's RewardTrainer, DPOTrainer, KTOTrainer and SFTTrainer two steps each on Ranklab's exports, as they are
downloaded, with a tiny randomly initialised model and a tokenizer made from the exports' own words (nothing is
downloaded). Usage: train.py EXPORT_DIR (holding trl.jsonl, kto.jsonl, sft.jsonl and an unpacked hf/ folder)."""
import glob
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import datasets  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
import trl  # noqa: E402
from datasets import load_dataset  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers, trainers  # noqa: E402
from transformers import (AutoModelForCausalLM, AutoModelForSequenceClassification, LlamaConfig,  # noqa: E402
                          PreTrainedTokenizerFast)
from trl import (DPOConfig, DPOTrainer, KTOConfig, KTOTrainer, RewardConfig, RewardTrainer, SFTConfig,  # noqa: E402
                 SFTTrainer)

TEMPLATE = ("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
            "{% if add_generation_prompt %}<|assistant|>{% endif %}")
SPECIAL = ["<pad>", "<unk>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>"]


def texts(path):
    """Every string in a JSON-lines file, for the tokenizer's vocabulary."""
    def walk(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for v in value:
                yield from walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                yield from walk(v)
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield from walk(json.loads(line))


def tiny(directory, corpus):
    """A word-level tokenizer over the exports and a two-layer Llama with random weights, saved to directory."""
    tokenizer = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(corpus, trainers.WordLevelTrainer(special_tokens=SPECIAL))
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>", unk_token="<unk>",
                                   eos_token="<|end|>", bos_token=None)
    fast.chat_template = TEMPLATE
    fast.save_pretrained(directory)
    config = LlamaConfig(vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=2048,
                         pad_token_id=fast.pad_token_id, eos_token_id=fast.eos_token_id, num_labels=1)
    torch.manual_seed(0)
    AutoModelForCausalLM.from_config(config).save_pretrained(directory)
    return fast


def args(kind, out):
    common = dict(output_dir=os.path.join(out, kind.__name__), max_steps=2, per_device_train_batch_size=2,
                  logging_steps=1, report_to=[], save_strategy="no", use_cpu=True, seed=0)
    return kind(**common)


def main(directory):
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, trl {trl.__version__}, "
          f"datasets {datasets.__version__}, {os.cpu_count()} CPUs, no GPU" if not torch.cuda.is_available()
          else f"torch {torch.__version__} with CUDA")
    out = tempfile.mkdtemp(prefix="ranklab-interop")
    model_dir = os.path.join(out, "tiny-llama")
    files = {name: os.path.join(directory, name + ".jsonl") for name in ("trl", "kto", "sft")}
    tokenizer = tiny(model_dir, (t for path in files.values() for t in texts(path)))
    load = lambda name: load_dataset("json", data_files=files[name], split="train")  # noqa: E731
    (hf_root,) = glob.glob(os.path.join(directory, "hf", "*"))
    hf = load_dataset(hf_root)
    runs = [
        ("RewardTrainer on trl", lambda: RewardTrainer(
            model=AutoModelForSequenceClassification.from_pretrained(model_dir, num_labels=1),
            args=args(RewardConfig, out), train_dataset=load("trl"), processing_class=tokenizer)),
        ("DPOTrainer on trl", lambda: DPOTrainer(
            model=model_dir, args=args(DPOConfig, out), train_dataset=load("trl"), processing_class=tokenizer)),
        ("DPOTrainer on the file=hf folder's train split", lambda: DPOTrainer(
            model=model_dir, args=args(DPOConfig, out), train_dataset=hf["train"], processing_class=tokenizer)),
        ("KTOTrainer on kto", lambda: KTOTrainer(
            model=model_dir, args=args(KTOConfig, out), train_dataset=load("kto"), processing_class=tokenizer)),
        ("SFTTrainer on sft", lambda: SFTTrainer(
            model=model_dir, args=args(SFTConfig, out), train_dataset=load("sft"), processing_class=tokenizer)),
    ]
    failed = 0
    for name, make in runs:
        start = time.time()
        try:
            trainer = make()
            result = trainer.train()
            losses = [round(entry["loss"], 4) for entry in trainer.state.log_history if "loss" in entry]
            print(f"OK   {name}: {result.global_step} steps, losses {losses}, "
                  f"{len(trainer.train_dataset)} rows, {time.time() - start:.1f} s")
        except Exception as e:  # each trainer is reported, and the others still run
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")
    print(f"RESULT trainers={len(runs)} failed={failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
