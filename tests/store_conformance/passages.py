"""PassageStore conformance: passages, their ids and lead-ins, lexical search and its scope."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from onrecord.errors import NotFoundError
from onrecord.index import passages
from onrecord.model import Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import Scope, Store
from tests.store_conformance.sources import make_source


def talk(source_id: str, sha: str, texts: list[tuple[str, str]], title: str = "Talk") -> Source:
    """A source of turns (speaker, text), each turn one sentence."""
    turns = [Turn(who, text, text, None, None, sentences=[Sentence(0, len(text), None, None)]) for who, text in texts]
    speakers = [Speaker(label) for label in dict.fromkeys(who for who, _ in texts)]
    return Source(source_id, title, "json", sha, Transcript(turns, [], speakers))


LONG = " ".join(f"Sentence {i} is about sourdough bread and its long slow rise overnight." for i in range(12))


class PassageStoreConformance:
    def test_passages_keep_their_fields_and_get_ids(self, store: Store) -> None:
        source = make_source()
        cut = passages.cut(source)
        store.add_source(source, cut)
        ids = [p.id for p in cut]
        assert all(isinstance(i, int) for i in ids) and len(set(ids)) == len(ids)
        got = store.passages([i for i in ids if i is not None])
        assert got == cut
        assert store.passages([-5]) == []

    def test_lead_in_is_data_not_an_id_trick(self, store: Store) -> None:
        # A long answer is cut into several passages: the first is led in by the question,
        # each later one by the passage before it, whatever ids they were given.
        source = talk("t1", "1" * 64, [("Q", "How do you bake bread at home?"), ("A", LONG)])
        cut = passages.cut(source)
        store.add_source(source, cut)
        answer = [p for p in store.passages([p.id for p in cut if p.id is not None]) if p.speaker == "A"]
        assert len(answer) >= 3
        assert answer[0].lead_in == answer[0].prompt
        assert [p.lead_in for p in answer[1:]] == [p.text for p in answer[:-1]]

    def test_ids_are_never_given_again(self, store: Store) -> None:
        source = make_source()
        first = passages.cut(source)
        store.add_source(source, first)
        store.remove_source(source.id)
        again = passages.cut(source)
        store.add_source(source, again)
        assert not {p.id for p in first} & {p.id for p in again}
        assert store.passages([p.id for p in first if p.id is not None]) == []

    def test_replacing_passages_takes_the_old_ones_with_their_vectors(self, store: Store) -> None:
        import numpy as np

        source = make_source()
        store.add_source(source, passages.cut(source))
        old = store.missing_embeddings("m")
        store.add_embeddings("m", old, np.ones((len(old), 3), dtype=np.float32))
        fresh = passages.cut(source)
        fresh[0].asks = not fresh[0].asks
        store.replace_passages(source, fresh)
        assert store.embeddings("m")[0] == [] and len(store.passage_layout()) == len(fresh)
        ids = [p.id for p in fresh if p.id is not None]
        assert len(ids) == len(fresh) and [p.asks for p in store.passages(ids)] == [p.asks for p in fresh]
        assert [pid for pid, _ in store.lexical_search("mother", 5)] == [p.id for p in fresh if "mother" in p.text]
        with pytest.raises(NotFoundError):
            store.replace_passages(make_source("nope", "9" * 64), fresh)
        assert store.passages(ids) != []  # a failed replace changes nothing

    def test_layout_is_in_transcript_order(self, store: Store) -> None:
        second = talk("s2", "2" * 64, [("A", "The second talk is about rye."), ("B", "And spelt, too.")])
        first = talk("s1", "1" * 64, [("A", "A first talk on sourdough starters."), ("B", LONG)])
        store.add_source(second, passages.cut(second))
        store.add_source(first, passages.cut(first))
        layout = store.passage_layout()
        assert [(sid, turn) for _, sid, turn, _ in layout] == sorted((sid, turn) for _, sid, turn, _ in layout)
        assert next(prompt for _, sid, turn, prompt in layout if sid == "s1" and turn == 1) == 0

    def test_lexical_search_ranks_and_keeps_to_its_scope(self, store: Store) -> None:
        one = talk("s1", "1" * 64, [("A", "Bees make honey from nectar in the summer."), ("B", "Wax is made too.")])
        two = talk("s2", "2" * 64, [("A", "Honey and honey and more honey on bread."), ("C", "Bread is baked.")])
        store.add_source(one, passages.cut(one))
        store.add_source(two, passages.cut(two))
        found = store.lexical_search("honey", 10)
        found_in = {p.id: p for p in store.passages([pid for pid, _ in found])}
        # Its own words count more than the question before it (the replies after "honey").
        assert [found_in[pid].text for pid, _ in found] == [
            "Honey and honey and more honey on bread.",
            "Bees make honey from nectar in the summer.",
            "Bread is baked.",
            "Wax is made too.",
        ][: len(found)] and len(found) >= 2
        assert found[0][1] > found[1][1] > 0
        in_one = store.lexical_search("honey bread", 10, Scope(source_ids=frozenset({"s1"})))
        assert in_one and {found_in[pid].source_id for pid, _ in in_one if pid in found_in} == {"s1"}
        assert found_in[in_one[0][0]].text == "Bees make honey from nectar in the summer."
        by_c = store.lexical_search("bread", 10, Scope(speakers=frozenset({"c"})))
        assert [p.text for p in store.passages([pid for pid, _ in by_c])] == ["Bread is baked."]
        assert store.lexical_search('"honey" OR (', 10) != []  # operators are words, never syntax
        assert store.lexical_search("?!", 10) == [] and store.lexical_search("honey", 0) == []

    def test_lexical_search_from_more_threads_than_connections_finishes(self, store: Store) -> None:
        # Each search holds one connection: it must never wait for a second one (with every
        # connection held by a search doing the same, all of them would wait forever).
        one = talk("s1", "1" * 64, [("A", "Bees make honey from nectar in the summer."), ("B", "Wax is made too.")])
        store.add_source(one, passages.cut(one))
        start = threading.Barrier(8)

        def search(i: int) -> int:
            start.wait()
            return len(store.lexical_search(f"honey nectar {i}", 10))

        with ThreadPoolExecutor(8) as pool:
            assert all(found >= 1 for found in pool.map(search, range(8), timeout=60))

    def test_the_question_before_a_passage_is_searched_too(self, store: Store) -> None:
        source = talk("s1", "1" * 64, [("Q", "What about pollination?"), ("A", "It matters a great deal to us.")])
        store.add_source(source, passages.cut(source))
        found = store.passages([pid for pid, _ in store.lexical_search("pollination", 5)])
        assert [p.speaker for p in found] == ["Q", "A"]  # its own words count more than its prompt

    def test_scope_ids(self, store: Store) -> None:
        source = make_source()
        cut = passages.cut(source)
        store.add_source(source, cut)
        assert store.scope_ids(Scope()) is None
        assert store.scope_ids(Scope(speakers=frozenset({"ana"}))) == {p.id for p in cut if p.speaker == "S2"}
        assert store.scope_ids(Scope(source_ids=frozenset())) == set()

    def test_used_terms_are_stemmed_and_kept_to_the_scope(self, store: Store) -> None:
        source = make_source()
        store.add_source(source, passages.cut(source))
        # "starting" matches "start" as the lexical index stems it; the cold open is not indexed.
        assert store.used_terms(["starting", "mother", "grew", "volcano"]) == {"starting", "mother"}
        assert store.used_terms(["start", "mother"], Scope(speakers=frozenset({"Ana"}))) == {"start", "mother"}
        assert store.used_terms(["start", "mother"], Scope(speakers=frozenset({"S1"}))) == {"start"}
        assert store.used_terms(["start"], Scope(source_ids=frozenset({"other"}))) == set()
        assert store.used_terms(['"start" OR x', ""]) == set()  # not words: never a query of their own

    def test_a_scope_can_leave_out_turns_whose_speaker_is_uncertain(self, store: Store) -> None:
        import numpy as np

        source = make_source()
        store.add_source(source, passages.cut(source))
        every = store.scope_ids(Scope(sure=0.0))
        sure = store.scope_ids(Scope(sure=0.8))
        assert every is not None and sure is not None and sure < every
        assert {p.turn for p in store.passages(sorted(every - sure))} == {1}  # the turn at 0.62
        ana = Scope(speakers=frozenset({"Ana"}), sure=0.8)
        assert store.scope_ids(ana) == set() and store.lexical_search("mother", 5, ana) == []
        assert store.lexical_search("mother", 5, Scope(speakers=frozenset({"Ana"}))) != []
        assert store.used_terms(["mother"], ana) == set()
        ids = store.missing_embeddings("m")
        store.add_embeddings("m", ids, np.ones((len(ids), 3), dtype=np.float32) / np.sqrt(3))
        near = store.nearest("m", np.ones(3, dtype=np.float32) / np.sqrt(3), 10, Scope(sure=0.8))
        assert {pid for pid, _ in near} == sure
