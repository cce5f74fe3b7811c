"""A small interview workspace with two named speakers and an agent card, for answer tests."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from onrecord.cli import main

# A caption-segment interview: Speaker 1 asks, Speaker 2 (the owner) answers.
INTERVIEW = [
    ("Speaker 1", ">> Welcome back. Today I am with Noor Haddad, who runs a small bakery."),
    ("Speaker 1", ">> How did the bakery start?"),
    ("Speaker 2", ">> It started in my kitchen with one oven. Um, I sold sourdough to the neighbours on"),
    ("Speaker 2", "Saturdays, and the queue got longer every week."),
    ("Speaker 1", ">> Why sourdough and not yeasted bread?"),
    ("Speaker 2", ">> Sourdough keeps for days without any preservatives, and the long, the long"),
    ("Speaker 2", "fermentation makes it easier to digest. I never add commercial yeast."),
    ("Speaker 1", ">> What do you think about supermarket bread?"),
    ("Speaker 2", ">> Supermarket bread is made to sit on a shelf for two weeks. I think people"),
    ("Speaker 2", "deserve bread that was baked this morning, by someone they can talk to."),
    ("Speaker 1", ">> I always buy the cheap sliced loaf, I have to admit. It lasts forever and my"),
    ("Speaker 1", "kids like it toasted."),
    ("Speaker 1", ">> How do you price a loaf?"),
    ("Speaker 2", ">> I price by the hour. A loaf takes me two days from starter to oven, so a"),
    ("Speaker 2", "large loaf costs nine euros and I do not discount it."),
]

# A talk with voice tags and times: its citations carry a moment to link to.
TALK = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Noor Haddad>Thank you all for coming to the market day.

00:00:06.000 --> 00:00:14.000
<v Noor Haddad>Rye flour is what I bake with most in winter, because it holds water and keeps the crumb moist.

00:00:14.000 --> 00:00:22.000
<v Noor Haddad>I buy my rye from a mill forty kilometres away, and I visit the farmer every autumn.
"""

CARD = """
[agents.noor]
title = "Noor Haddad, baker (AI stand-in)"
speaks_as = ["Noor Haddad"]
disclosure = "I am an AI built from Noor Haddad's recorded interviews, not Noor herself."
no_answer = "I have not talked about that on the record."

[[agents.noor.avoid]]
topic = "my family and private life"
examples = ["Are you married?", "How old are your children?"]
reply = "I keep my family out of the bakery talk."

[agents.talk]
title = "Noor's market talk only"
speaks_as = ["Noor Haddad"]
sources = ["bakery talk"]

[agents.ada]
title = "Ada Brooks, host (AI stand-in)"
speaks_as = ["Ada Brooks"]

[agents.empty]
title = "Nothing yet"
speaks_as = ["Nobody Known"]
sources = ["nothing-matches-*"]
"""


def interview_segments() -> str:
    return json.dumps([{"i": i, "speaker": s, "text": t} for i, (s, t) in enumerate(INTERVIEW)])


def build(root: Path, url: str | None = "https://www.youtube.com/watch?v=abc123") -> Path:
    """A workspace at root/ws holding the interview (speakers named) and the agent cards."""
    path = root / "bakery-interview.json"
    path.write_text(interview_segments(), encoding="utf-8")
    ws = root / "ws"
    args = ["-w", str(ws), "add", str(path), "--speaker", "Speaker 1=Ada Brooks", "--speaker", "Speaker 2=Noor Haddad"]
    if url:
        args += ["--url", url]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    talk = root / "bakery-talk.vtt"
    talk.write_text(TALK, encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(ws), "add", str(talk), "--url", "https://youtu.be/talk42"])
    assert result.exit_code == 0, result.stderr
    config = ws / "onrecord.toml"
    config.write_text(config.read_text(encoding="utf-8") + CARD, encoding="utf-8")
    return ws
