"""Clean verbatim, repair's last step: fillers, stutters and false starts removed, meaning kept.

The clean text only ever *drops* words of the verbatim text (and moves punctuation or
capitalises a first letter around what it dropped), so its words are always an in-order
subsequence of the verbatim words: a quote in clean form maps back to the verbatim text
and to its time (`verbatim_span`). When in doubt a word stays: a stutter left in is ugly,
a meaningful word taken out puts words in the owner's mouth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
# After these a comma is the speaker's own ("Yes, um, I agree" -> "Yes, I agree"); after
# other words a comma before a bracketed filler only bracketed it ("I went, um, home").
_DISCOURSE = frozenset(
    {
        "yes", "yeah", "no", "so", "well", "okay", "ok", "oh", "right", "and", "but", "alright",
        "sure", "now",
    }
)
_CLAUSE_STARTERS = frozenset(
    {
        "i", "we", "you", "they", "he", "she", "it", "there", "that", "this", "and", "but", "so",
        "because", "if", "when", "which", "who", "what", "then",
    }
)
# fmt: on
# A token: leading punctuation, the word (from its first to its last letter or digit, so
# "don't", "U.S" and "2.5" stay whole) and trailing punctuation. Clean text changes only the
# punctuation around a word, so this same split finds the same words in both texts.
_TOKEN = re.compile(r"([^\w\s]*)(\w(?:\S*\w)?|)([^\w\s]*)(?:\s+|\Z)")
# Words that are fillers only in some places ("you know,", "I mean,", ", like,").
_CONTEXT_FILLERS = frozenset({"know", "mean", "like", "y'know"})
_FILLER_STARTS = _FILLERS | {"you", "y'know", "i", "like"}
_OPENERS_CLOSERS = {"(": ")", "[": "]", "{": "}", '"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_CLAUSE_END = re.compile(r"[.?!…]")
_ELLIPSIS = re.compile(r"^,?(?:\.{2,}|…),?$")
# Repeated phrases longer than this are left alone: rare as disfluencies, and costly to look for.
MAX_REPEAT = 4


def clean(text: str) -> str:
    """`text` without fillers, stutters and immediate false starts; the words otherwise verbatim."""
    edit = _Edit(text.strip())
    if not edit.worth_a_look():
        return " ".join(text.split())
    kept = edit.drop_repeats(edit.drop_fillers())
    leads, cores, trails = edit.leads, edit.cores, edit.trails
    return " ".join([leads[i] + cores[i] + trails[i] for i in kept])


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
    """The tokens of one turn split into leading punctuation, word and trailing punctuation.

    Passes drop tokens by index; punctuation and capitals of dropped tokens are handed to
    their neighbours so the result still reads as sentences.
    """

    __slots__ = ("cores", "leads", "norms", "pending_cap", "pending_lead", "trails")

    def __init__(self, text: str) -> None:
        parts = _TOKEN.findall(text)
        if parts and not any(parts[-1]):
            parts.pop()  # the empty match at the very end
        self.leads = [lead for lead, _, _ in parts]
        self.cores = [core for _, core, _ in parts]
        self.trails = [trail for _, _, trail in parts]
        self.norms = [core.lower().replace("’", "'") for core in self.cores]
        self.pending_lead = ""
        self.pending_cap = False

    def worth_a_look(self) -> bool:
        """Whether any token could be a filler or the start of a repeat (most spoken turns: yes)."""
        norms = self.norms
        if not _FILLERS.isdisjoint(norms) or not _CONTEXT_FILLERS.isdisjoint(norms):
            return True
        return len(set(norms)) < len(norms) or "-" in "".join(self.trails) or "'" in "".join(norms)

    # -- fillers -------------------------------------------------------------------------

    def drop_fillers(self) -> list[int]:
        """Indices of the tokens that are not fillers."""
        norms, trails, cores = self.norms, self.trails, self.cores
        kept: list[int] = []
        n = len(norms)
        i = 0
        while i < n:
            norm = norms[i]
            if norm not in _FILLER_STARTS:
                if self.pending_lead or self.pending_cap:
                    self._keep(i, kept)
                else:
                    kept.append(i)
                i += 1
                continue
            prev = kept[-1] if kept else None
            span = 0
            if norm in _FILLERS:
                if "?" not in trails[i] and "!" not in trails[i] and not (len(cores[i]) > 1 and cores[i].isupper()):
                    span = 1
            elif norm == "you" or norm == "y'know":
                span = self._you_know(i, prev)
            elif norm == "i":
                # "I mean," opening a sentence; mid-sentence it often corrects ("red, I mean, blue").
                if i + 1 < n and norms[i + 1] == "mean" and not trails[i] and self._opens(prev):
                    span = 2 if trails[i + 1] == "," else 0
            elif norm == "like" and trails[i] == ",":
                # Only "..., like, ..." and a sentence opening "Like, ...": elsewhere "like" means something.
                span = 1 if prev is None or self._opens(prev) or trails[prev].endswith(",") else 0
            if span:
                self._drop(i, i + span - 1, prev, filler=True)
                i += span
            else:
                if self.pending_lead or self.pending_cap:
                    self._keep(i, kept)
                else:
                    kept.append(i)
                i += 1
        return kept

    def _you_know(self, i: int, prev: int | None) -> int:
        """2 (or 1 for "y'know") when "you know" is a filler: set off by commas or ending a clause."""
        norms, trails = self.norms, self.trails
        width = 1 if norms[i] == "y'know" else 2
        if width == 2 and (i + 1 >= len(norms) or norms[i + 1] != "know" or trails[i]):
            return 0
        after = trails[i + width - 1]
        if not (after.startswith(",") or after == "."):
            return 0
        if prev is None or self._opens(prev) or trails[prev].endswith(","):
            return width
        return 0

    def _opens(self, prev: int | None) -> bool:
        """Whether the token after `prev` opens a sentence."""
        return prev is None or bool(_CLAUSE_END.search(self.trails[prev]))

    # -- repeats -------------------------------------------------------------------------

    def drop_repeats(self, kept: list[int]) -> list[int]:
        """`kept` without stutters ("the the", "I I'm", "th- the") and repeated phrases."""
        norms = [self.norms[k] for k in kept]
        starts = self._repeat_starts(kept, norms)
        if not starts:
            return kept
        out: list[int] = []
        self.pending_lead, self.pending_cap = "", False
        total = len(kept)
        i = 0
        while i < total:
            width = self._repeat_width(kept, norms, i, out[-1] if out else None) if i in starts else 0
            if width:
                self._drop(kept[i], kept[i + width - 1], out[-1] if out else None, filler=False)
                i += width
            else:
                if self.pending_lead or self.pending_cap:
                    self._keep(kept[i], out)
                else:
                    out.append(kept[i])
                i += 1
        return out

    def _repeat_starts(self, kept: list[int], norms: list[str]) -> set[int]:
        """Positions in `kept` where a repeat could start: a word said again within MAX_REPEAT words,
        a word and the contraction it began, a word cut off with a hyphen."""
        starts: set[int] = set()
        last: dict[str, int] = {}
        for i, norm in enumerate(norms):
            j = last.get(norm)
            if j is not None and i - j <= MAX_REPEAT:
                starts.add(j)
            last[norm] = i
            if "'" in norm and i and norm.startswith(norms[i - 1] + "'"):
                starts.add(i - 1)
        if "-" in "".join(self.trails):
            starts.update(i for i, k in enumerate(kept) if self.trails[k].endswith("-"))
        return starts

    def _repeat_width(self, kept: list[int], norms: list[str], i: int, prev: int | None) -> int:
        """How many tokens from `i` on are a first copy that the next tokens say again (0: none)."""
        first = norms[i]
        if not first:
            return 0
        total = len(norms)
        if i + 1 < total and first not in _EMPHATIC_REPEATS:
            nxt = norms[i + 1]
            trail = self.trails[kept[i]]
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
            if any(_stops(self.trails[k]) for k in phrase) or any(not norms[j] for j in range(i, i + width)):
                continue
            if self._names(kept[i], kept[i + width], prev):
                continue
            return width
        return 0

    def _names(self, a: int, b: int, prev: int | None) -> bool:
        """Whether both copies start with a capital mid-sentence: a name ("Duran Duran", "New York New York")."""
        ca, cb = self.cores[a], self.cores[b]
        if not (ca[:1].isupper() and cb[:1].isupper()) or self.norms[a] == "i" or self.norms[a].startswith("i'"):
            return False
        return not self._opens(prev)

    # -- editing -------------------------------------------------------------------------

    def _keep(self, i: int, kept: list[int]) -> None:
        if self.pending_lead:
            self.leads[i] = self.pending_lead + self.leads[i]
            self.pending_lead = ""
        if self.pending_cap:
            core = self.cores[i]
            # Capitalise "we" but not "iPhone" or "eBay".
            if core[:1] in _ASCII_LOWER and core[1:] == core[1:].lower():
                self.cores[i] = core[0].upper() + core[1:]
            self.pending_cap = False
        kept.append(i)

    def _drop(self, first: int, last: int, prev: int | None, *, filler: bool) -> None:
        """Drop tokens first..last; hand their punctuation and capital to the neighbours."""
        lead, trail = self.leads[first], self.trails[last]
        if lead and not all(_OPENERS_CLOSERS.get(ch, ch) in trail for ch in lead):
            # An opening quote or bracket belongs to the words that follow.
            self.pending_lead += lead
        opens = self._opens(prev)
        if opens and self.cores[first][:1].isupper():
            self.pending_cap = True
        if prev is None:
            return
        if filler and _CLAUSE_END.search(trail) and not opens:
            # "it was, um." -> "it was."
            self.trails[prev] = self.trails[prev].rstrip(",;:-—–") + trail.lstrip(",;:-—– ")
        elif filler and trail.startswith(",") and self.trails[prev].endswith(","):
            # ", um," bracketed the filler ("I went, um, home" -> "I went home"); the comma is
            # the speaker's own after "yes" or "so", or before a new clause ("..., you know, we").
            after = self.norms[last + 1].split("'")[0] if last + 1 < len(self.norms) else ""
            if self.norms[prev] not in _DISCOURSE and after not in _CLAUSE_STARTERS:
                self.trails[prev] = self.trails[prev][:-1]


def _stops(trail: str) -> bool:
    """Whether punctuation ends a sentence here (a pause "..." does not)."""
    return bool(_CLAUSE_END.search(trail)) and not _ELLIPSIS.match(trail)
