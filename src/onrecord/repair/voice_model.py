"""The two-voice model behind `voices`: who says each sentence of unlabelled speech, and how surely.

A hidden Markov model over sentences with two states, the host (who asks) and the guest
(who answers). Between two sentences the voice changes with a probability read from the
`dialogue` signs on both sides (a question before, an answer opener or a backchannel after,
a sentence cut off, two short sentences); each sentence leans to the host or the guest by
its own signs (questions and address lean host, long explanation and "we" lean guest).
Nothing is decided sentence by sentence: Viterbi finds the likeliest whole sequence, so a
host's statement that leads up to a question goes with the question even when the
statement alone looks like an answer.

Then the model adapts to the two people in this recording: the words each voice uses
(counted over the sentences, weighted by how likely each is that voice's) become a second
opinion on every sentence, and the sequence is decoded again. This is where most of the
accuracy comes from: one interviewer says "I'm curious" and "you", the guest "basically"
and "we", and no fixed list knows which habits a given pair has. Forward-backward gives
each sentence the probability that its voice is right: the confidence a turn is stored with.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from onrecord.repair.dialogue import Signs

HOST, GUEST = 0, 1
# Log-odds beyond this are certain enough; the cap keeps exp() finite.
_CAP = 30.0


@dataclass(frozen=True, slots=True)
class VoiceModel:
    """The weights, as log-odds (0: no evidence), chosen on development transcripts (see
    benchmarks/quality_voices.py and docs/decisions.md): seed 000 with its speakers stripped,
    three Changelog podcasts and the QMSum training committee hearings; never seed 003."""

    # A change of voice between two sentences.
    change: float = -1.1
    after_question: float = 1.65
    question_run: float = 2.16  # a question after a question: the same person asking on
    before_question: float = 0.5
    opener: float = 2.02
    backchannel: float = 0.54
    after_backchannel: float = 0.375
    response: float = 1.0  # a whole reply phrase ("Go for it."), and after it
    long: float = 0.55  # per median sentence length (up to 2) of each side: long ones sit inside turns
    contrast: float = 0.3  # per unit of difference in host lean between the two sentences
    cut: float = 1.0  # the sentence before broke off
    sound: float = 1.25  # a laugh or applause on either side
    chapter: float = 1.0  # a chapter title line before the sentence
    # In captions that mark changes of voice with `>>`: a marker before the sentence, and none.
    marker: float = 3.0
    unmarked: float = -2.0
    # How much each sentence leans to the host.
    host_question: float = 2.35
    host_address: float = 0.075
    host_ask: float = 1.45
    host_show: float = 0.75
    guest_monologue: float = 0.25
    guest_we: float = 0.3
    host_asks: float = 2.5  # the sentence asks (a question, or a request to the guest)
    host_first: float = 0.75  # the host usually opens the conversation
    # Adaptation to the two voices' own words.
    habits: float = 0.3  # weight of the word-habit log-likelihood ratio...
    habit_words: int = 1500  # ...in full from this many words on (a short text says little about habits)
    habit_rounds: int = 2
    habit_cap: float = 3.5  # at most this much log-odds per sentence from habits
    habit_smoothing: float = 0.5
    # A turn's confidence is the model's own, mapped by a logistic curve fitted on the same
    # transcripts to how often a turn's words are really that voice's (the model alone is
    # overconfident: it does not know the panels' third and fourth voices).
    calibration_slope: float = 0.602
    calibration_offset: float = -0.042


MODEL = VoiceModel()


def roles(
    signs: Sequence[Signs],
    chapters: Collection[int] = (),
    model: VoiceModel = MODEL,
    markers: Collection[int] | None = None,
) -> tuple[list[int], list[float]]:
    """The role (HOST or GUEST) of each sentence and the probability that it is right;
    `chapters`: the sentences that start a chapter; `markers`, in captions that mark voice
    changes with `>>`: the sentences a marker comes before."""
    if not signs:
        return [], []
    lean, change = potentials(signs, chapters, model, markers)
    lean = adapt(signs, lean, change, model)
    path = viterbi(lean, change, model.host_first)
    host = posteriors(lean, change, model.host_first)
    return path, [p if role == HOST else 1.0 - p for role, p in zip(path, host, strict=True)]


def potentials(
    signs: Sequence[Signs],
    chapters: Collection[int] = (),
    model: VoiceModel = MODEL,
    markers: Collection[int] | None = None,
) -> tuple[list[float], list[float]]:
    """(host lean of each sentence, change log-odds before each sentence after the first)."""
    m = model
    typical = max(sorted(sign.words for sign in signs)[len(signs) // 2], 1)
    pure = [_host_odds(sign, m) for sign in signs]
    lean = [odds + (m.host_asks if _asks(sign) else 0.0) for odds, sign in zip(pure, signs, strict=True)]
    change = []
    for i in range(1, len(signs)):
        before, sign = signs[i - 1], signs[i]
        # A long sentence sits inside a turn; a question hands over however long it was.
        lengths = (0.0 if before.question else min(before.words / typical, 2)) + min(sign.words / typical, 2)
        z = m.change - m.long * lengths
        if before.question:
            z += m.after_question - (m.question_run if sign.question else 0.0)
        elif sign.question:
            z += m.before_question
        z += m.contrast * abs(pure[i] - pure[i - 1])
        z += m.opener * sign.opener + m.backchannel * sign.backchannel + m.after_backchannel * before.backchannel
        z += m.response * (sign.response + before.response)
        z += m.cut * before.cut + m.sound * (before.sound or sign.sound)
        if i in chapters:
            z += m.chapter
        if markers is not None:
            z += m.marker if i in markers else m.unmarked
        change.append(z)
    return lean, change


def _host_odds(sign: Signs, m: VoiceModel) -> float:
    """Log-odds that the host, not the guest, says a sentence with these signs."""
    if sign.backchannel or sign.sound:
        return 0.0
    return (
        m.host_question * sign.question
        + m.host_address * min(sign.address, 3)
        + m.host_ask * sign.ask
        + m.host_show * sign.show
        - m.guest_monologue * min(sign.monologue, 4)
        - m.guest_we * min(sign.we, 3)
    )


def _asks(sign: Signs) -> bool:
    return sign.question or (sign.ask and sign.address > 0)


def adapt(signs: Sequence[Signs], lean: list[float], change: list[float], model: VoiceModel = MODEL) -> list[float]:
    """`lean` plus what each voice's own words say, learned from this text alone (EM rounds).

    Each round counts every word for the host and the guest, weighted by the current
    probability that its sentence is theirs, and scores each sentence by the log-likelihood
    ratio of its words under the two counts. A sentence's own words are left out of the
    counts it is scored by, so a word said once gives no evidence.
    """
    if model.habit_rounds <= 0 or model.habits == 0.0:
        return lean
    import numpy as np

    said = [token for sign in signs for token in sign.tokens]
    if not said:
        return lean
    ids = {token: i for i, token in enumerate(set(said))}
    tokens = np.array([ids[token] for token in said], dtype=np.intp)
    owner = np.repeat(np.arange(len(signs)), [len(sign.tokens) for sign in signs])
    k, size = model.habit_smoothing, len(ids)
    weight_of_habits = model.habits * min(1.0, len(said) / model.habit_words)
    base = np.array(lean)
    current = lean
    for _ in range(model.habit_rounds):
        host = np.array(posteriors(current, change, model.host_first))
        weight = host[owner]
        host_counts = np.bincount(tokens, weights=weight, minlength=size)
        guest_counts = np.bincount(tokens, weights=1.0 - weight, minlength=size)
        host_total, guest_total = host_counts.sum(), guest_counts.sum()
        # Leave the occurrence's own weight out of the counts it is judged by.
        ratio = np.log((host_counts[tokens] - weight + k) / (host_total + k * size)) - np.log(
            (guest_counts[tokens] - (1.0 - weight) + k) / (guest_total + k * size)
        )
        habit = np.bincount(owner, weights=ratio, minlength=len(signs)) * weight_of_habits
        current = (base + np.clip(habit, -model.habit_cap, model.habit_cap)).tolist()
    return current


def posteriors(lean: Sequence[float], change: Sequence[float], first: float) -> list[float]:
    """P(host) of each sentence given everything (forward-backward, scaled at each step)."""
    n = len(lean)
    emit = [math.exp(max(-_CAP, min(_CAP, x))) for x in lean]  # host : guest likelihood ratio
    moves = [1.0 / (1.0 + math.exp(-max(-_CAP, min(_CAP, z)))) for z in change]
    start = 1.0 / (1.0 + math.exp(-first))
    forward_host = [0.0] * n
    h, g = start * emit[0], 1.0 - start
    total = h + g
    h, g = h / total, g / total
    forward_host[0] = h
    for i in range(1, n):
        p = moves[i - 1]
        h, g = (h * (1.0 - p) + g * p) * emit[i], g * (1.0 - p) + h * p
        total = h + g
        h, g = h / total, g / total
        forward_host[i] = h
    out = [0.0] * n
    bh = bg = 1.0
    out[n - 1] = forward_host[n - 1]
    for i in range(n - 2, -1, -1):
        p = moves[i]
        e = emit[i + 1]
        bh, bg = (1.0 - p) * e * bh + p * bg, (1.0 - p) * bg + p * e * bh
        total = bh + bg
        bh, bg = bh / total, bg / total
        fh = forward_host[i]
        a, b = fh * bh, (1.0 - fh) * bg
        out[i] = a / (a + b)
    return out


def viterbi(lean: Sequence[float], change: Sequence[float], first: float) -> list[int]:
    """The likeliest role of every sentence, as one sequence."""
    n = len(lean)
    host, guest = (lean[0] + first) / 2, -(lean[0] + first) / 2
    back_host = [HOST] * n
    back_guest = [GUEST] * n
    for i in range(1, n):
        z = max(-_CAP, min(_CAP, change[i - 1]))
        move = -math.log1p(math.exp(-z))  # log P(change)
        stay = -math.log1p(math.exp(z))
        if host + stay >= guest + move:
            new_host = host + stay
        else:
            new_host, back_host[i] = guest + move, GUEST
        if guest + stay >= host + move:
            new_guest = guest + stay
        else:
            new_guest, back_guest[i] = host + move, HOST
        host, guest = new_host + lean[i] / 2, new_guest - lean[i] / 2
    role = HOST if host >= guest else GUEST
    path = [role] * n
    for i in range(n - 1, 0, -1):
        role = back_host[i] if role == HOST else back_guest[i]
        path[i - 1] = role
    return path


def calibrated(confidence: float, model: VoiceModel = MODEL) -> float:
    """The model's confidence in a turn mapped to how often such a turn is right."""
    p = min(max(confidence, 1e-6), 1 - 1e-6)
    z = model.calibration_slope * math.log(p / (1 - p)) + model.calibration_offset
    return 1.0 / (1.0 + math.exp(-max(-_CAP, min(_CAP, z))))
