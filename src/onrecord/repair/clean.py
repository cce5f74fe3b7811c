"""Clean verbatim, repair's last step: fillers, stutters and false starts removed, meaning kept.

The clean text only ever *drops* words of the verbatim text (and moves punctuation or
capitalises a first letter around what it dropped), so its words are always an in-order
subsequence of the verbatim words: a quote in clean form maps back to the verbatim text
and to its time (`verbatim_span`). When in doubt a word stays: a stutter left in is ugly,
a meaningful word taken out puts words in the owner's mouth.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from itertools import compress, repeat
from operator import contains, eq

# Hesitation sounds. "er" is one too, but not "ER", and "err" is a verb ("err on the side").
_FILLERS = frozenset(
    {"u" * a + "m" * b for a in range(1, 4) for b in range(1, 4)}
    | {"u" * a + "h" * b for a in range(1, 4) for b in range(1, 4)}
    | {"uhm", "uhmm", "erm", "ermm", "er", "ah", "ahh", "ahhh", "hmm", "hmmm", "hm"}
)
# Words whose immediate repeat can be grammatical: "I had had enough", "I said that that was
# wrong", "what it is is", "what they do do". Said twice with a comma between, they stutter.
_GRAMMATICAL_REPEATS = frozenset(["had", "that", "is", "was", "do", "does", "did"])
# Repeats that are emphasis or idiom ("very very", "no, no", "bye bye", "so-so", "there
# there"): never collapsed.
# fmt: off
_EMPHATIC_REPEATS = frozenset(
    {
        "very", "really", "so", "much", "many", "far", "way", "long", "too", "more", "super", "big",
        "little", "tiny", "no", "yes", "yeah", "yep", "bye", "ha", "haha", "blah", "yada", "knock",
        "chop", "tut", "night", "now", "there", "well", "can", "ho", "hey", "go", "again", "over",
        "round", "through", "on", "off",
    }
)
_NUMBER_WORDS = frozenset(
    {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        "hundred", "thousand", "million", "billion",
    }
)
# fmt: on
# A token: leading punctuation, the word (from its first to its last letter or digit, so
# "don't", "U.S" and "2.5" stay whole) and trailing punctuation. Clean text changes only the
# punctuation around a word, so this same split finds the same words in both texts.
_TOKEN = re.compile(r"([^\w\s]*)(\w(?:\S*\w)?|)([^\w\s]*)(?:\s+|\Z)")
# The same split for one token, and the punctuation at the edges of the tokens of a text.
_PARTS = re.compile(r"([^\w\s]*)(\w(?:\S*\w)?|)([^\w\s]*)")
_PUNCT = "".join(sorted(set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘…—–«»¿¡")))
# Words that mark where a filler may be: a hesitation sound, "y'know", "like", and the second
# words of "you know" and "I mean" (far rarer than "you" and "I").
_FILLER_MARKS = _FILLERS | {"y'know", "like", "know", "mean"}
_OPENERS_CLOSERS = {"(": ")", "[": "]", "{": "}", '"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_CLAUSE_END = re.compile(r"[.?!…]")
_ELLIPSIS = re.compile(r"^,?(?:\.{2,}|…),?$")
# Repeated phrases longer than this are left alone: rare as disfluencies, and costly to look for.
MAX_REPEAT = 4


def clean(text: str) -> str:
    """`text` without fillers, stutters and immediate false starts; the words otherwise verbatim."""
    tokens = text.split()
    if not tokens:
        return ""
    edit = _Edit(text, tokens)
    return edit.render(edit.drop_repeats(edit.drop_fillers()))


def words(text: str) -> list[str]:
    """The words of `text` as compared between verbatim and clean: lower case, no punctuation."""
    return [word for _, _, word in _spans(text)]


def verbatim_span(text: str, clean_text: str, begin: int, end: int) -> tuple[int, int]:
    """The span of `text` (verbatim) that holds the words of `clean_text[begin:end]`.

    Each clean word is matched to the earliest verbatim word it can be (the clean words are
    an in-order subsequence of the verbatim ones), so the span covers everything said from
    the quote's first word to its last, stutters included. Raises ValueError when
    `clean_text` is not a cleaning of `text`, or the span holds no word.
    """
    verbatim = list(_spans(text))
    position = 0
    first = last = None
    for c_begin, c_end, word in _spans(clean_text):
        while position < len(verbatim) and verbatim[position][2] != word:
            position += 1
        if position == len(verbatim):
            raise ValueError("clean_text is not a cleaning of text")
        if c_end > begin and c_begin < end:
            if first is None:
                first = verbatim[position][0]
            last = verbatim[position][1]
        position += 1
    if first is None or last is None:
        raise ValueError("the span holds no word")
    return first, last


def _spans(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _TOKEN.finditer(text):
        word = match.group(2).lower().replace("’", "'")
        if word:
            yield match.start(), match.start() + len(match.group(0).rstrip()), word


class _Edit:
    """The tokens of one turn, and the edits that drop some of them.

    Most tokens are never looked at closely: candidates (hesitation sounds, words said
    again within a few words) are found with C-level scans over the lower-cased words, and
    only they and their neighbours are split into leading punctuation, word and trailing
    punctuation. Punctuation and capitals of dropped tokens are handed to their neighbours
    so that the result still reads as sentences.
    """

    __slots__ = ("has_hyphen", "norms", "parts", "pending_cap", "pending_lead", "tokens")

    def __init__(self, text: str, tokens: list[str]) -> None:
        self.tokens = tokens
        # The words without edge punctuation, lower case. They only pick what to drop (what is
        # kept is split exactly, by _PARTS), so a cheap strip does, where a regex would be 2x slower.
        self.norms = [word.strip(_PUNCT) for word in text.lower().replace("’", "'").split()]
        self.has_hyphen = "-" in text
        self.parts: dict[int, list[str]] = {}
        self.pending_lead = ""
        self.pending_cap = False

    # -- the parts of a token, split on demand ---------------------------------------------

    def _parts(self, i: int) -> list[str]:
        parts = self.parts.get(i)
        if parts is None:
            token = self.tokens[i]
            match = _PARTS.fullmatch(token)
            assert match is not None  # every token splits: the word part may be empty
            # Punctuation set apart ("we went , um , home .") trails the word before it.
            parts = self.parts[i] = list(match.groups()) if match.group(2) else ["", "", token]
        return parts

    def lead(self, i: int) -> str:
        return self._parts(i)[0]

    def core(self, i: int) -> str:
        return self._parts(i)[1]

    def trail(self, i: int) -> str:
        return self._parts(i)[2]

    def render(self, kept: list[int]) -> str:
        out = list(map(self.tokens.__getitem__, kept))
        for i, (lead, core, trail) in self.parts.items():
            at = bisect_left(kept, i)
            if at < len(kept) and kept[at] == i:
                out[at] = lead + core + trail
        # A detached comma that lost its reason to be is now empty.
        return " ".join(filter(None, out))

    # -- fillers -------------------------------------------------------------------------

    def drop_fillers(self) -> list[int]:
        """Indices of the tokens that are not fillers."""
        norms = self.norms
        n = len(norms)
        kept: list[int] = []
        done = 0  # tokens before this are decided
        tokens = self.tokens
        for i in compress(range(n), map(_FILLER_MARKS.__contains__, norms)):
            norm = norms[i]
            if norm == "know" or norm == "mean":
                i -= 1
                if i < 0 or norms[i] != ("you" if norm == "know" else "i"):
                    continue
            elif norm == "like" and not tokens[i].endswith(","):
                continue
            if i < done:
                continue
            self._keep_range(done, i, kept)
            prev = kept[-1] if kept else None
            span = self._filler_width(i, prev)
            if span:
                self._drop(i, i + span - 1, prev, filler=True)
                done = i + span
            else:
                self._keep_range(i, i + 1, kept)
                done = i + 1
        self._keep_range(done, n, kept)
        return kept

    def _filler_width(self, i: int, prev: int | None) -> int:
        """How many tokens from `i` on are a filler (0: none)."""
        norms = self.norms
        norm = norms[i]
        if norm in _FILLERS:
            trail, core, width = self.trail(i), self.core(i), 1
            if not trail and i + 1 < len(norms) and not norms[i + 1] and self.tokens[i + 1][0] in ",.?!…":
                # "um ," in transcripts that set punctuation apart: the comma goes with it.
                trail, width = self.trail(i + 1), 2
            # "Hmm?" asks something; "UM" and "ER" are names.
            return 0 if "?" in trail or "!" in trail or (len(core) > 1 and core.isupper()) else width
        if norm == "you" or norm == "y'know":
            return self._you_know(i, prev)
        if norm == "i":
            # "I mean," opening a sentence; mid-sentence it often corrects ("red, I mean, blue").
            if i + 1 < len(norms) and norms[i + 1] == "mean" and not self.trail(i) and self._opens(prev):
                return 2 if self.trail(i + 1) == "," else 0
            return 0
        if norm == "like" and self.trail(i) == ",":
            # Only "..., like, ..." and a sentence opening "Like, ...": elsewhere "like" means something.
            return 1 if prev is None or self._opens(prev) or self.trail(prev).endswith(",") else 0
        return 0

    def _you_know(self, i: int, prev: int | None) -> int:
        """2 (or 1 for "y'know") when "you know" is a filler: set off by commas or ending a clause."""
        norms = self.norms
        width = 1 if norms[i] == "y'know" else 2
        if width == 2 and (i + 1 >= len(norms) or norms[i + 1] != "know" or self.trail(i)):
            return 0
        after = self.trail(i + width - 1)
        if not (after.startswith(",") or after == "."):
            return 0
        if prev is None or self._opens(prev) or self.trail(prev).endswith(","):
            return width
        return 0

    def _opens(self, prev: int | None) -> bool:
        """Whether the token after `prev` opens a sentence."""
        return prev is None or bool(_CLAUSE_END.search(self.trail(prev)))

    # -- repeats -------------------------------------------------------------------------

    def drop_repeats(self, kept: list[int]) -> list[int]:
        """`kept` without stutters ("the the", "I I'm", "th- the") and repeated phrases."""
        norms = self.norms if len(kept) == len(self.norms) else list(map(self.norms.__getitem__, kept))
        starts = self._repeat_starts(kept, norms)
        if not starts:
            return kept
        out: list[int] = []
        self.pending_lead, self.pending_cap = "", False
        done = 0  # positions in `kept` before this are decided
        for i in sorted(starts):
            if i < done:
                continue
            self._keep_range(done, i, out, kept)
            width = self._repeat_width(kept, norms, i, out[-1] if out else None)
            if width:
                self._drop(kept[i], kept[i + width - 1], out[-1] if out else None, filler=False)
                done = i + width
            else:
                self._keep_range(i, i + 1, out, kept)
                done = i + 1
        self._keep_range(done, len(kept), out, kept)
        return out

    def _repeat_starts(self, kept: list[int], norms: list[str]) -> set[int]:
        """Positions in `kept` where a repeat could start: a word said again within MAX_REPEAT
        words, a word and the contraction it began, a word cut off with a hyphen."""
        total = len(norms)
        starts = set(compress(range(total - 1), map(eq, norms, norms[1:])))
        for distance in range(2, MAX_REPEAT + 1):
            # A phrase said twice: its first two words each recur `distance` words on.
            again = set(compress(range(total - distance), map(eq, norms, norms[distance:])))
            starts.update(i for i in again if i + 1 in again)
        for i in compress(range(1, total), map(contains, norms[1:], repeat("'"))):
            if norms[i].startswith(norms[i - 1] + "'"):
                starts.add(i - 1)
        if self.has_hyphen:
            tokens = self.tokens
            starts.update(i for i, k in enumerate(kept) if tokens[k].endswith("-"))
        return starts

    def _repeat_width(self, kept: list[int], norms: list[str], i: int, prev: int | None) -> int:
        """How many tokens from `i` on are a first copy that the next tokens say again (0: none)."""
        first = norms[i]
        if not first:
            return 0
        total = len(norms)
        if i + 1 < total and first not in _EMPHATIC_REPEATS:
            nxt = norms[i + 1]
            trail = self.trail(kept[i])
            if not _stops(trail) and first not in _NUMBER_WORDS and not first.isdigit():
                # "had had" and "that that's" can be grammatical; "that, that's" is not.
                may_stutter = (
                    first not in _GRAMMATICAL_REPEATS or trail[:1] in (",", "-", "—", "–") or self._opens(prev)
                )
                if nxt == first and may_stutter and not self._names(kept[i], kept[i + 1], prev):
                    return 1
                # "I I'm", "we we're": a start, then the contraction it began.
                if may_stutter and nxt.startswith(first + "'"):
                    return 1
                # "th- the": a word cut off and said in full.
                if trail.endswith("-") and nxt.startswith(first) and len(nxt) > len(first):
                    return 1
        for width in range(2, MAX_REPEAT + 1):
            if i + 2 * width > total:
                break
            if norms[i + width] != first or norms[i : i + width] != norms[i + width : i + 2 * width]:
                continue
            phrase = kept[i : i + width]
            if any(_stops(self.trail(k)) for k in phrase) or any(not norms[j] for j in range(i, i + width)):
                continue
            if self._names(kept[i], kept[i + width], prev):
                continue
            return width
        return 0

    def _names(self, a: int, b: int, prev: int | None) -> bool:
        """Whether both copies start with a capital mid-sentence: a name ("Duran Duran", "New York New York")."""
        ca, cb = self.core(a), self.core(b)
        if not (ca[:1].isupper() and cb[:1].isupper()) or self.norms[a] == "i" or self.norms[a].startswith("i'"):
            return False
        return not self._opens(prev)

    # -- editing -------------------------------------------------------------------------

    def _keep_range(self, begin: int, end: int, out: list[int], kept: list[int] | None = None) -> None:
        """Keep positions begin..end-1 (of `kept`, or token indices); a pending edit goes to the first."""
        if begin >= end:
            return
        first = kept[begin] if kept is not None else begin
        if self.pending_lead or self.pending_cap:
            parts = self._parts(first)
            if self.pending_lead:
                parts[0] = self.pending_lead + parts[0]
                self.pending_lead = ""
            if self.pending_cap:
                core = parts[1]
                # Capitalise "we" but not "iPhone" or "eBay".
                if core[:1] in _ASCII_LOWER and core[1:] == core[1:].lower():
                    parts[1] = core[0].upper() + core[1:]
                self.pending_cap = False
        out.extend(kept[begin:end] if kept is not None else range(begin, end))

    def _drop(self, first: int, last: int, prev: int | None, *, filler: bool) -> None:
        """Drop tokens first..last; hand their punctuation and capital to the neighbours."""
        lead, trail = self.lead(first), self.trail(last)
        if lead and not all(_OPENERS_CLOSERS.get(ch, ch) in trail for ch in lead):
            # An opening quote or bracket belongs to the words that follow.
            self.pending_lead += lead
        opens = self._opens(prev)
        if opens and self.core(first)[:1].isupper():
            self.pending_cap = True
        if prev is None:
            return
        before = self._parts(prev)
        if filler and _CLAUSE_END.search(trail) and not opens:
            # "it was, um." -> "it was."
            before[2] = before[2].rstrip(",;:-—–") + trail.lstrip(",;:-—– ")
        # Otherwise a comma before the filler stays. "I went, um, home" -> "I went, home" reads
        # oddly, but "design, um, the interface" -> "design the interface" would merge two items
        # of a list: an odd comma is better than a changed meaning.


def _stops(trail: str) -> bool:
    """Whether punctuation ends a sentence here (a pause "..." does not)."""
    return bool(_CLAUSE_END.search(trail)) and not _ELLIPSIS.match(trail)
