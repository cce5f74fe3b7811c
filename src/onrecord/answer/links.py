"""Deep links: a source's URL that opens at the moment a quote was said."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_YOUTUBE = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtu.be")


def moment(url: str | None, start: float | None) -> str | None:
    """`url` opened at `start` seconds: `t=123s` for YouTube, a media fragment otherwise."""
    if not url:
        return None
    if start is None:
        return url
    seconds = max(0, int(start))
    parts = urlsplit(url)
    if parts.hostname in _YOUTUBE:
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        query.append(("t", f"{seconds}s"))
        return urlunsplit(parts._replace(query=urlencode(query)))
    # The W3C media fragment (#t=123) is what audio and video players and pages understand.
    return urlunsplit(parts._replace(fragment=f"t={seconds}"))
