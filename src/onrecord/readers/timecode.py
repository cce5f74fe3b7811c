"""Clock times as captions and transcripts write them (`01:02:03.456`, `1:02`, `00:00:01,000`), checked.

Every timed reader parses its stamps here, so an impossible time (61 seconds, an
end before its start) is refused the same way, naming where it was.
"""

from __future__ import annotations

import re

from onrecord.errors import InputError

# Hours are optional and unbounded; minutes and seconds are one or two digits (Teams writes
# `0:0:0.570`); the fraction may use a comma (SRT) and has at most three digits.
_CLOCK = re.compile(r"(?:(\d{1,9}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")

# The latest time any reader accepts, in seconds (a year): a larger one is a broken file, and
# beyond 2**63 it would not even fit the store's integers.
MAX_SECONDS = 366 * 24 * 3600


def check_seconds(value: float, where: str, what: str = "time") -> float:
    """`value` when it is a possible time in seconds (0 to MAX_SECONDS), else InputError."""
    if not 0 <= value <= MAX_SECONDS:
        raise InputError(f"impossible {what} {value:.6g} s: times must be between 0 and {MAX_SECONDS:,} s", where=where)
    return value


def parse_clock(text: str, where: str) -> float:
    """Seconds from `[h:]m:s[.fff]`; InputError naming `where` when it is not a possible time."""
    # The common `hh:mm:ss.fff` without a regex: word timings put one on every word.
    fields = (text[:2], text[3:5], text[6:8], text[9:])
    shaped = len(text) == 12 and text[2] == text[5] == ":" and text[8] in ".,"
    if shaped and all(f.isdigit() for f in fields) and text[3] < "6" and text[6] < "6":
        return check_seconds(
            int(fields[0]) * 3600 + int(fields[1]) * 60 + int(fields[2]) + int(fields[3]) / 1000, where
        )
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise InputError(f"not a timestamp: {text.strip()!r}", where=where)
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) >= 60:
        raise InputError(f"impossible timestamp {text.strip()!r}: minutes must be below 60", where=where)
    if int(seconds) >= 60:
        raise InputError(f"impossible timestamp {text.strip()!r}: seconds must be below 60", where=where)
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        value += int(fraction) / 10 ** len(fraction)
    return check_seconds(value, where)


def check_span(start: float, end: float, where: str) -> None:
    """An end before its start is a broken file, not a cue to guess about."""
    if end < start:
        raise InputError(f"ends ({clock(end)}) before it starts ({clock(start)})", where=where)


def clock(seconds: float) -> str:
    """`hh:mm:ss.fff`, for messages."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"
