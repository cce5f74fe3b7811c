"""Word-level speaker error before and after repair, on diarised ASR words (DiarizationLM data).

    python benchmarks/quality_word_speakers.py DATA_JSON [--chunk 20]

DATA_JSON is DiarizationLM's format: {"utterances": [{hyp_text, hyp_spk, hyp_spk_oracle,
ref_text, ref_spk, ...}]} with one speaker per hypothesis word. The hypothesis words are fed to
the repair pipeline as WhisperX-like segments (`--chunk` words each, labelled with their majority
speaker, every word carrying its diarised speaker); the repaired turns give each word a speaker
again. Two measures, each under the best mapping of speaker labels:
- vs oracle: against `hyp_spk_oracle` (the reference speakers carried onto the hypothesis words
  by the DiarizationLM authors), over every hypothesis word;
- vs reference: DiarizationLM's WDER, over hypothesis words aligned to a reference word of the
  same spelling (difflib alignment, case and punctuation ignored).
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import string
from collections import Counter
from pathlib import Path

from onrecord.model import Cue, Reading, Word
from onrecord.repair import repair


def segments(words: list[str], speakers: list[str], size: int) -> list[Cue]:
    cues = []
    for at in range(0, len(words), size):
        chunk = [
            Word(text, speaker=spk) for text, spk in zip(words[at : at + size], speakers[at : at + size], strict=True)
        ]
        label = Counter(w.speaker for w in chunk).most_common(1)[0][0]
        cues.append(Cue(" ".join(w.text for w in chunk), speaker=label, words=chunk))
    return cues


def repaired(words: list[str], speakers: list[str], size: int) -> list[str]:
    """Each word's speaker after the repair pipeline; the words must come back unchanged."""
    transcript = repair(Reading(format="whisperx-json", cues=segments(words, speakers, size)))
    out: list[str] = []
    for turn in transcript.turns:
        out.extend([turn.speaker] * len(turn.text.split()))
    assert [w for t in transcript.turns for w in t.text.split()] == words
    return out


def lone_words_flipped(speakers: list[str]) -> list[str]:
    """The naive smoother, for comparison: every one-word island joins its neighbours."""
    out = list(speakers)
    for i in range(1, len(speakers) - 1):
        if speakers[i - 1] == speakers[i + 1] != speakers[i]:
            out[i] = speakers[i - 1]
    return out


def errors(guess: list[str], truth: list[str]) -> int:
    """Wrong words under the label mapping that makes the fewest."""
    labels, truths = sorted(set(guess)), sorted(set(truth))
    best = len(guess)
    for image in itertools.permutations(truths + [None] * max(0, len(labels) - len(truths)), len(labels)):
        mapping = dict(zip(labels, image, strict=True))
        best = min(best, sum(mapping[g] != t for g, t in zip(guess, truth, strict=True)))
    return best


def _norm(word: str) -> str:
    return word.lower().strip(string.punctuation)


def aligned(hyp_words: list[str], ref_words: list[str]) -> list[tuple[int, int]]:
    matcher = difflib.SequenceMatcher(
        None, [_norm(w) for w in hyp_words], [_norm(w) for w in ref_words], autojunk=False
    )
    return [(b.a + k, b.b + k) for b in matcher.get_matching_blocks() for k in range(b.size)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--chunk", type=int, default=20, help="words per segment fed to repair")
    args = parser.parse_args()
    data = json.loads(args.data.read_text(encoding="utf-8"))

    rows = []
    totals: Counter[str] = Counter()
    for utterance in data["utterances"]:
        if "hyp_spk_oracle" not in utterance:
            continue
        words = utterance["hyp_text"].split()
        hyp = utterance["hyp_spk"].split()
        oracle = utterance["hyp_spk_oracle"].split()
        ref_spk = utterance["ref_spk"].split()
        pairs = aligned(words, utterance["ref_text"].split())
        variants = {
            "hypothesis as given": hyp,
            "every lone word flipped": lone_words_flipped(hyp),
            "onrecord repair": repaired(words, hyp, args.chunk),
        }
        for name, guess in variants.items():
            vs_oracle = errors(guess, oracle)
            vs_ref = errors([guess[h] for h, _ in pairs], [ref_spk[r] for _, r in pairs])
            rows.append((utterance["utterance_id"], name, 100 * vs_oracle / len(words), 100 * vs_ref / len(pairs)))
            totals[name, "oracle"] += vs_oracle
            totals[name, "ref"] += vs_ref
        totals["words"] += len(words)
        totals["pairs"] += len(pairs)

    print("| conversation | speakers | WDER % vs oracle | WDER % vs reference |")
    print("| --- | --- | ---: | ---: |")
    for conversation, name, vs_oracle, vs_ref in rows:
        print(f"| {conversation} | {name} | {vs_oracle:.2f} | {vs_ref:.2f} |")
    for name in ("hypothesis as given", "every lone word flipped", "onrecord repair"):
        oracle_pct = 100 * totals[name, "oracle"] / totals["words"]
        ref_pct = 100 * totals[name, "ref"] / totals["pairs"]
        print(
            f"| all ({totals['words']} words, {totals['pairs']} aligned) | {name} | {oracle_pct:.2f} | {ref_pct:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
