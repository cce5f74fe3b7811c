"""A small example archive that onrecord writes itself, for the README's first command.

Dana Reyes, a furniture maker with a podcast, has four things on the record, each in a
format found in the wild: an interview as WebVTT with voice tags, a listener Q&A as
caption segments with `>>` voice markers and lagging labels, a talk as SRT, and a FAQ in
Markdown. Everything here is invented for the example.
"""

from __future__ import annotations

import json
from pathlib import Path

WORDS_PER_SECOND = 2.6

INTERVIEW = [
    (
        "Sam Ortiz",
        "Welcome back to Maker Hours. Today I'm talking with Dana Reyes, who builds furniture "
        "from reclaimed wood in a one-room workshop. Dana, how did you get started?",
    ),
    (
        "Dana Reyes",
        "Um, honestly it started with a broken chair. My grandfather's chair split at the back "
        "leg and nobody would fix it, so I took a night class in joinery to do it myself. "
        "I fixed the chair in about three weeks, and I never really stopped after that.",
    ),
    ("Sam Ortiz", "And when did it turn into a business?"),
    (
        "Dana Reyes",
        "About six years ago. I was building tables for friends, and a cafe down the street "
        "asked for twelve of them. That order paid for my first real bench and a proper dust "
        "collector, and that's when I signed the lease on the workshop.",
    ),
    ("Sam Ortiz", "Why reclaimed wood and not new lumber?"),
    (
        "Dana Reyes",
        "Old wood has already moved. Beams from a barn or a warehouse have dried for decades, "
        "so they are stable, and the grain is tighter than anything you can buy new. "
        "I also like that every board has a history. A nail hole or a saw mark tells you "
        "where it has been, and customers love hearing that story.",
    ),
    ("Sam Ortiz", "Is there a downside?"),
    (
        "Dana Reyes",
        "Metal. You have to find every nail and every screw before a blade touches the board. "
        "I run a metal detector over each piece, twice, and I still lose a planer knife "
        "about once a year.",
    ),
    ("Sam Ortiz", "What would you tell someone who wants to start woodworking at home?"),
    (
        "Dana Reyes",
        "Start with hand tools and one good project. Buy a decent chisel, a block plane and a "
        "saw, and build a small box with real joints. You'll learn more from one box "
        "than from a garage full of machines you are afraid of.",
    ),
    ("Sam Ortiz", "Dana Reyes, thank you for coming on."),
    ("Dana Reyes", "Thanks for having me, Sam."),
]

# Caption segments cut at a fixed width; `>>` marks the real voice change, while the
# labels lag it by a segment, as auto-captions often do.
QA_SEGMENTS = [
    ("Speaker 1", "Okay, first listener question. Priya asks how you price a commissioned table."),
    ("Speaker 1", ">> I price by the hours and the wood. I keep a log of every hour I spend on a piece,"),
    ("Speaker 2", "and a dining table takes me between sixty and eighty hours. Then I add the cost of the "),
    ("Speaker 2", "wood and about twenty percent for the shop. I never price by what I think people "),
    ("Speaker 2", "will pay, because that is how makers burn out."),
    ("Speaker 2", ">> Next one is from Tom. What finish do you use on tables that kids will use?"),
    ("Speaker 1", ">> Hardwax oil. It soaks into the wood, it is easy to repair when someone drags a toy "),
    ("Speaker 2", "truck across it, and you can fix a scratch without sanding the whole top. Varnish "),
    ("Speaker 2", "looks great for a year and then it chips, and a chipped varnish is hard to fix."),
    ("Speaker 2", ">> Last one. Do you ever turn down work?"),
    ("Speaker 1", ">> Yes, all the time. I turn down anything that needs tropical hardwood, because I "),
    ("Speaker 2", "can't be sure where it came from. And I say no when a client wants it in two weeks. "),
    ("Speaker 2", "Good furniture takes the time it takes. >> Fair enough. >> Thanks for the questions, everyone."),
]

TALK = [
    "Thank you all for coming. I want to talk about why old wood is worth the trouble.",
    "Every year, thousands of barns and warehouses come down, and most of that timber is burned or buried.",
    "It is some of the best wood we will ever have, grown slowly in old forests that are gone now.",
    "When I bring a beam into the workshop, the first job is to clean it and find the metal.",
    "Then it sits in the shop for a month so it can settle to our air before I cut it.",
    "People ask me if reclaimed wood is stronger. It is not magic, but old growth has tight rings, "
    "and that makes it stable.",
    "The real reason I use it is that it keeps a story. A table made from a school's gym floor "
    "still has the court lines on the underside.",
    "If you take one thing home tonight, let it be this: ask where your wood came from.",
]

FAQ = """\
---
title: Workshop FAQ
---

# Workshop FAQ

## Do you ship furniture?

I ship within the country by freight, crated. Shipping is quoted separately and usually
costs between five and ten percent of the piece.

## How long is the waiting list?

Commissions take four to six months from deposit to delivery. I build one large piece at
a time, so the list moves slowly.

## Do you teach classes?

I teach a weekend joinery class four times a year, for six people at a time. We build a
small box with dovetail joints, and everyone takes theirs home.
"""


def _timestamp(seconds: float, sep: str = ".") -> str:
    ms = round(seconds * 1000)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _timed(texts: list[str], gap: float = 0.4) -> list[tuple[float, float, str]]:
    timed, clock = [], 0.0
    for text in texts:
        duration = max(1.0, len(text.split()) / WORDS_PER_SECOND)
        timed.append((clock, clock + duration, text))
        clock += duration + gap
    return timed


def interview_vtt() -> str:
    cues = _timed([text for _, text in INTERVIEW])
    lines = ["WEBVTT", "", "NOTE Maker Hours, episode 41: an interview with Dana Reyes", ""]
    for (start, end, text), (speaker, _) in zip(cues, INTERVIEW, strict=True):
        lines += [f"{_timestamp(start)} --> {_timestamp(end)}", f"<v {speaker}>{text}", ""]
    return "\n".join(lines)


def qa_segments() -> str:
    timed = _timed([text for _, text in QA_SEGMENTS], gap=0.0)
    segments = [
        {"i": i, "speaker": speaker, "text": text.strip(), "start": round(start, 2), "end": round(end, 2)}
        for i, ((speaker, text), (start, end, _)) in enumerate(zip(QA_SEGMENTS, timed, strict=True))
    ]
    return json.dumps(segments, indent=1)


def talk_srt() -> str:
    blocks = []
    for n, (start, end, text) in enumerate(_timed(TALK), start=1):
        blocks.append(f"{n}\n{_timestamp(start, ',')} --> {_timestamp(end, ',')}\n{text}\n")
    return "\n".join(blocks)


def write_archive(folder: str | Path) -> list[Path]:
    """Write the example archive into `folder`; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "maker-hours-41-interview.vtt": interview_vtt(),
        "listener-questions.json": qa_segments(),
        "talk-old-wood.srt": talk_srt(),
        "workshop-faq.md": FAQ,
    }
    written = []
    for name, content in files.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
