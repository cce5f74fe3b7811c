"""An agent: one card of onrecord.toml answering questions from its own sources."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from onrecord.answer import compose, coverage, followup
from onrecord.answer.links import moment
from onrecord.answer.llm import Phraser
from onrecord.answer.result import Answer, Citation
from onrecord.answer.topics import Topics
from onrecord.answer.verify import QuoteChecker
from onrecord.config import AgentCard
from onrecord.errors import InputError, NotFoundError
from onrecord.index import scope as scopes
from onrecord.model import Passage
from onrecord.rails import Guard, boundary_model
from onrecord.rails.guard import Verdict
from onrecord.store import Scope, SourceSummary
from onrecord.text import clean_text
from onrecord.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from onrecord.index.search import Hit, Searcher

# Questions longer than this are refused as input (a pasted document is not a question).
MAX_QUESTION_CHARS = 12_000
# Below this calibrated retrieval score the sources do not cover the question.
NO_ANSWER = 0.5
# How far over the no-answer bar the owner's best passage must score for a question judged
# harmful to be answered from the record (measured: 144 harmful requests all score under
# the bar over the seeds; interview questions taken for harmful, 0.15 to 0.32 over it).
COVERED_MARGIN = 0.05
_WORDS = re.compile(r"[\w'-]+")
# Passages retrieved per question, before composition.
RETRIEVE = 20
# How many answers of a conversation's thread (its first question and the last follow-ups)
# a follow-up looks back on for what was quoted already.
THREAD = 4


def check_question(question: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """The question, stripped; InputError when it is empty or longer than `limit` characters
    (the server passes its own, lower, limit). Invalid Unicode is replaced (text.clean_text)."""
    text = clean_text(question).strip()
    if not text:
        raise InputError("the question is empty", path="QUESTION")
    if len(text) > limit:
        raise InputError(f"the question is {len(text):,} characters long; the limit is {limit:,}", path="QUESTION")
    return text


class Agent:
    """Answers as the agent `name` of the workspace, from its sources only."""

    def __init__(self, workspace: Workspace, name: str, searcher: Searcher | None = None) -> None:
        card = workspace.settings.agents.get(name)
        if card is None:
            known = ", ".join(sorted(workspace.settings.agents)) or "none are defined in onrecord.toml"
            raise NotFoundError(f"no agent named {name!r} (agents: {known})")
        self.workspace = workspace
        # A server gives each agent the searcher of its snapshot of the store.
        self.searcher = searcher if searcher is not None else workspace.searcher
        self.name = name
        self.card: AgentCard = card
        self._names: dict[str, dict[str, str]] = {}
        llm = workspace.settings.llm
        self.phraser = Phraser.from_settings(llm) if llm is not None else None

    @cached_property
    def scope(self) -> Scope | None:
        return scopes.resolve(self.workspace.store, self.workspace.settings, agent=self.name)

    @property
    def sure(self) -> float:
        """How sure a turn's speaker must be for the agent to quote it as that speaker's words."""
        return self.workspace.settings.speakers.min_confidence

    def _quotable(self, speakers: frozenset[str] | None) -> Scope:
        """Passages of the agent's sources that it may quote: said by `speakers` (None: anyone)
        in turns whose speaker is known well enough to name."""
        source_ids = self.scope.source_ids if self.scope is not None else None
        return Scope(source_ids=source_ids, speakers=speakers, sure=self.sure)

    @cached_property
    def own_scope(self) -> Scope:
        """The agent's sources, and only its own speakers' words in them, from turns whose
        speaker is sure enough (the owner's words are never guessed)."""
        return self._quotable(frozenset(self.card.speaks_as) if self.card.speaks_as else None)

    @cached_property
    def vocabulary(self) -> coverage.Vocabulary:
        """The words the agent's sources use (for the no-answer bar)."""
        return coverage.Vocabulary(self.workspace.store, self.scope)

    @cached_property
    def topics(self) -> Topics:
        """The only topics the card lets the agent talk about (none: any)."""
        model = self.searcher.queries
        return Topics(self.card.topics, lambda texts: model.embed_batch(list(texts)))

    @cached_property
    def guard(self) -> Guard:
        searcher = self.searcher

        def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
            return searcher.queries.embed_batch(list(texts))

        # The archive's vectors are read once, when the guard first needs its contrast, and
        # kept only in the guard's own (projected) form.
        model = boundary_model(self.workspace.settings.rails, embed, searcher.queries.name)
        return Guard(self.card, model, embed, lambda: searcher.vectors(self.scope))

    @cached_property
    def checker(self) -> QuoteChecker:
        return QuoteChecker(self.workspace.store, sure=self.sure)

    @cached_property
    def _sources(self) -> dict[str, SourceSummary]:
        return {s.id: s for s in self.workspace.store.sources()}

    @cached_property
    def _voices(self) -> dict[str, str]:
        """Other speakers of the agent's sources by the words a question may name them with
        (full name, or a first name of three letters or more): lower case -> display name."""
        own = {name.casefold() for name in self.card.speaks_as}
        allowed = self.scope.source_ids if self.scope is not None else None
        voices: dict[str, str] = {}
        for source in self._sources.values():
            if allowed is not None and source.id not in allowed:
                continue
            for name in source.speakers:
                if name.casefold() in own or not self.card.speaks_as:
                    continue
                voices[name.casefold()] = name
                first = name.split()[0]
                if len(first) >= 3 and first.casefold() != name.casefold():
                    voices.setdefault(first.casefold(), name)
        return voices

    def mentioned(self, question: str) -> frozenset[str]:
        """Other speakers the question names ("What did Tom say about ...?")."""
        # "Noor's view" names Noor: a possessive ending is not part of the name.
        words = (re.sub(r"['’]s$", "", word) for word in _WORDS.findall(question.casefold().replace("’", "'")))
        folded = f" {' '.join(words)} "
        return frozenset(name for key, name in self._voices.items() if f" {key} " in folded)

    def speaker(self, passage: Passage) -> str:
        """The display name of who said `passage`."""
        if passage.source_id not in self._names:
            self._names[passage.source_id] = self.workspace.store.speaker_names(passage.source_id)
        return self._names[passage.source_id].get(passage.speaker, passage.speaker)

    def ask(self, question: str, history: Sequence[str] = (), *, phrase: bool = True) -> Answer:
        """Answer `question`; `history` holds the earlier questions of the conversation.

        With `phrase` false the answer stays extractive; `phrase()` can phrase it later (the
        server does so outside its store lock, as the LLM may take seconds)."""
        question = check_question(question)
        history = [clean_text(earlier) for earlier in history]
        query = followup.resolve(question, history)
        verdict = self._stopped(question, query)
        if verdict is not None:
            return Answer(
                self.name, verdict.status, verdict.answer, question=question, topic=verdict.topic, reason=verdict.reason
            )
        if not coverage.content_words(query):
            # Only stop words or punctuation ("???", "what is it?"): nothing to look for.
            return Answer(self.name, "no_answer", self.card.no_answer, question=question)
        # A follow-up ("why?", "tell me more", "and what about price?") gets what the
        # conversation has not quoted yet.
        given = self._quoted(history) if history and followup.leans_on_history(question) else frozenset()
        picks, best = self._choose(query, question, given)
        citations = [c for c in (self._cite(pick) for pick in picks) if c is not None]
        if not citations and given and self._choose(query, question)[0]:
            # The archive answers it, but with what was quoted already: say so plainly.
            return Answer(self.name, "no_answer", self.card.no_more, question=question, score=best)
        if not citations:
            near = self.guard.uncovered(question)
            if near is not None:
                return Answer(self.name, "deflected", near.answer, question=question, score=best, topic=near.topic)
            return Answer(self.name, "no_answer", self.card.no_answer, question=question, score=best)
        answer = Answer(self.name, "answered", compose.render(citations), citations, question=question, score=best)
        return self.phrase(answer, history) if phrase else answer

    def _stopped(self, question: str, query: str) -> Verdict | None:
        """What the rails say instead of an answer to `question`, or None when it goes on."""
        verdict = self.guard.screen(question)
        return None if verdict is None or self._record_answers(verdict, query) else verdict

    def _record_answers(self, verdict: Verdict, query: str) -> bool:
        """Whether a request judged harmful is an ordinary question the owner's own words
        answer clearly (best score COVERED_MARGIN over the no-answer bar): then it is
        answered, from the record only. The classifier takes some everyday questions for
        requests for dangerous help ("What will the Llama brand become?"); a real one finds
        nothing of the owner's near it (docs/quality.md). Attacks and self-harm are never let
        through."""
        if verdict.label != "harmful":
            return False
        hits = self._find(query, self.own_scope)
        return bool(hits) and hits[0].score >= self._floor(query, hits) + COVERED_MARGIN

    def _choose(
        self, query: str, question: str, given: Collection[int | None] = ()
    ) -> tuple[list[compose.Pick], float]:
        """The passages that answer `query` (retrieval text of `question`), leaving out `given`,
        and the best score found. Everyone's words are searched only when they may be quoted:
        the question names someone else, or the owner's words do not answer it."""
        named = self.mentioned(question)
        own = self._not_avoided(self._on_topic(query, self._find(query, self.own_scope)))

        def others() -> list[Hit]:
            if named:
                return self._not_avoided(self._on_topic(query, self._find(query, self._quotable(named))))
            if not self.card.speaks_as:
                return own
            return self._not_avoided(self._on_topic(query, self._find(query, self._quotable(None))))

        floor = self._floor(query, own)
        picks = compose.choose(
            own,
            others,
            self.workspace.store,
            floor,
            named=bool(named),
            given=given,
            starts=self.checker.sentence_starts,
        )
        best = max([h.score for h in own[:1]] + [p.score for p in picks], default=0.0)
        return picks, best

    def _find(self, query: str, scope: Scope | None) -> list[Hit]:
        """The first stage's candidates in `scope`, reordered by the second stage when there is one."""
        stage = self.workspace.second_stage
        if stage is None:
            return self.searcher.search(query, RETRIEVE, scope)
        candidates = self.searcher.search(query, self.workspace.settings.rerank.candidates, scope)
        return stage.apply(query, candidates)

    def _floor(self, query: str, hits: list[Hit]) -> float:
        """The score a passage must reach to be quoted: the second stage's operating point
        (`[rerank] no_answer_below`, else the reranker's own), or, when the second stage is
        off or could not score `hits`, the first stage's bar moved by how much of the
        question's wording the sources use."""
        stage = self.workspace.second_stage
        if stage is None or (hits and hits[0].first is None):
            return coverage.bar(NO_ANSWER, self.vocabulary.share_used(query))
        setting = self.workspace.settings.rerank.no_answer_below
        return setting if setting is not None else stage.operating_point

    def _on_topic(self, query: str, hits: list[Hit]) -> list[Hit]:
        """`hits` an agent with `topics` may quote: any, for a question clearly on a topic;
        otherwise those whose passage is on a topic (answer/topics.py)."""
        if not self.card.topics or not hits:
            return hits
        if self.topics.allows_any(self.searcher.queries.embed_batch([query])[0]):
            return hits
        vectors = self.searcher.passage_vectors([h.passage.id for h in hits if h.passage.id is not None])
        return [hit for hit, keep in zip(hits, self.topics.on_topic(vectors), strict=True) if keep]

    def _not_avoided(self, hits: list[Hit]) -> list[Hit]:
        """`hits` less the passages an avoided topic keeps out of answers (rails/avoid.py)."""
        if not self.card.avoid or not hits:
            return hits
        vectors = self.searcher.passage_vectors([h.passage.id for h in hits if h.passage.id is not None])
        return [hit for hit, out in zip(hits, self.guard.keeps_out(vectors), strict=True) if out is None]

    def _quoted(self, history: Sequence[str]) -> frozenset[int | None]:
        """The passages quoted in the conversation's current thread: the answers to the last
        question that stood on its own and to the last few follow-ups after it, each worked
        out again as it was answered (so no state is kept between asks)."""
        earlier = [q.strip() for q in history if q.strip()]
        if not earlier:
            return frozenset()
        anchor = next((i for i in range(len(earlier) - 1, -1, -1) if not followup.leans_on_history(earlier[i])), 0)
        given: set[int | None] = set()
        for i in [anchor, *range(max(anchor + 1, len(earlier) - THREAD + 1), len(earlier))]:
            question = earlier[i]
            if len(question) > MAX_QUESTION_CHARS:
                continue
            query = followup.resolve(question, earlier[:i])
            if self._stopped(question, query) is not None:
                continue
            more = frozenset(given) if i > 0 and followup.leans_on_history(question) else frozenset()
            picks, _ = self._choose(query, question, more)
            given.update(p.id for pick in picks for p in pick.passages)
        return frozenset(given)

    def phrase(self, answer: Answer, history: Sequence[str] = ()) -> Answer:
        """`answer` phrased by the configured LLM (every quote checked), else as it is."""
        if self.phraser is None or answer.status != "answered" or not answer.citations:
            return answer
        query = followup.resolve(answer.question, history)
        return self.phraser.phrase(query, self.card, answer, self.checker)

    def _cite(self, pick: compose.Pick) -> Citation | None:
        """The pick's citation in its readable form, else verbatim; None when neither holds."""
        first, last = pick.first, pick.passages[-1]
        source = self._sources[first.source_id]
        citation = Citation(
            quote=compose.readable(pick),
            speaker=self.speaker(first),
            source_id=source.id,
            source_title=source.title,
            source_url=source.url,
            start=first.start,
            end=last.stop,
            url=moment(source.url, first.start),
            turn=first.turn,
            own=pick.own,
            chapter=first.chapter,
        )
        if self.checker.holds(citation):
            return citation
        citation.quote = pick.verbatim
        kept = self.checker.keep([citation])
        return kept[0] if kept else None
