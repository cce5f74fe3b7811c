from __future__ import annotations

from onrecord.index import passages
from onrecord.model import Chapter, Sentence, Source, Speaker, Transcript, Turn


def _turn(speaker: str, text: str, start: float | None = None, teaser: bool = False) -> Turn:
    spans, begin = [], 0
    for part in text.split(". "):
        end = begin + len(part) + (1 if not part.endswith(".") and begin + len(part) < len(text) else 0)
        spans.append(Sentence(begin, min(end, len(text)), start, None))
        begin = end + 1
    return Turn(speaker, text, text, start, None, teaser, spans)


def _source(turns: list[Turn], chapters: list[Chapter] | None = None) -> Source:
    return Source("s1", "Show", "webvtt", "0" * 64, Transcript(turns, chapters or [], [Speaker("A"), Speaker("B")]))


LONG = ". ".join(f"Sentence number {n} talks about ovens and flour and bread" for n in range(20)) + "."


def test_passages_never_cross_a_turn_and_keep_their_words() -> None:
    turns = [_turn("A", "Why did you open a bakery?"), _turn("B", LONG), _turn("A", "And then what happened next?")]
    cut = passages.cut(_source(turns))
    assert {p.turn for p in cut} == {0, 1, 2}
    for p in cut:
        assert p.text == turns[p.turn].text[p.begin : p.end]
        assert p.speaker == turns[p.turn].speaker
        assert p.words <= passages.MAX_WORDS
    middle = [p for p in cut if p.turn == 1]
    assert len(middle) > 1
    assert " ".join(p.text for p in middle).split() == LONG.split()


def test_a_passage_carries_the_question_that_prompted_it() -> None:
    turns = [
        _turn("A", "Why did you open a bakery at all?"),
        _turn("B", LONG),
        _turn("B", "More on the same topic here."),
    ]
    cut = passages.cut(_source(turns, [Chapter("Origins", 0, None), Chapter("Later", 2, None)]))
    answers = [p for p in cut if p.speaker == "B"]
    assert all(p.prompt == "Why did you open a bakery at all?" and p.prompt_turn == 0 for p in answers)
    assert next(p for p in cut if p.speaker == "A").prompt == ""
    assert {p.chapter for p in cut if p.turn == 1} == {"Origins"}
    assert {p.chapter for p in cut if p.turn == 2} == {"Later"}


def test_cold_open_and_backchannels_are_not_indexed() -> None:
    turns = [
        _turn("B", "A clip from later in the show about bread.", teaser=True),
        _turn("A", "Yeah."),
        _turn("B", "We talked about bread and ovens for an hour."),
    ]
    cut = passages.cut(_source(turns))
    assert [p.turn for p in cut] == [2]


def test_an_unpunctuated_run_is_cut_into_even_pieces() -> None:
    text = " ".join(f"word{n}" for n in range(200))
    turn = Turn("B", text, text, 0.0, 60.0, sentences=[Sentence(0, len(text), 0.0, 60.0)])
    cut = passages.cut(_source([turn]))
    assert len(cut) == -(-200 // passages.MAX_WORDS)
    assert all(p.words <= passages.MAX_WORDS for p in cut)
    assert " ".join(p.text for p in cut) == text
    # A long sentence cut into pieces keeps its end time on its last piece.
    long = " ".join(f"word{n}" for n in range(120)) + "."
    rest = " Then a last sentence of this turn, fifteen words long, that makes a passage of its own."
    text = long + rest
    sentences = [Sentence(0, len(long), 0.0, 30.0), Sentence(len(long) + 1, len(text), 30.0, 100.0)]
    cut = passages.cut(_source([Turn("B", text, text, 0.0, 100.0, sentences=sentences)]))
    ending = next(p for p in cut if p.end == len(long))
    assert ending.stop == 30.0 and cut[0].start == 0.0


def test_passages_of_a_question_turn_are_marked_as_asking() -> None:
    question = _turn("A", "I have a long preamble about ovens and flour and the early mornings. So why bread?")
    cut = passages.cut(_source([question, _turn("B", "Because bread feeds everyone in the village.")]))
    assert [(p.speaker, p.asks) for p in cut] == [("A", True), ("B", False)]


def test_a_turn_handing_over_after_a_question_asks_even_if_a_remark_follows_it() -> None:
    question = _turn("A", "How does that make you feel? I am just wondering how you deal with it.")
    answer = _turn("B", "It is hard, and I think about it every single day when I open the shop.")
    cut = passages.cut(_source([question, answer]))
    assert [(p.speaker, p.asks) for p in cut] == [("A", True), ("B", False)]
    # An answer that asks itself something early on and goes on answering does not ask; nor
    # does a question far from the end of a turn, or a turn nobody answers.
    rhetorical = _turn("B", "Why bread? " + LONG)
    last = _turn("A", "Did it work? It did, in the end.")
    cut = passages.cut(_source([question, rhetorical, last]))
    assert not any(p.asks for p in cut if p.turn in (1, 2))


def test_an_askers_question_asks_throughout_and_an_answer_asking_back_only_at_its_end() -> None:
    preamble = ". ".join(f"Some background number {n} about the ovens and the early mornings" for n in range(8))
    turns = [
        _turn("A", f"{preamble}. So why did you choose bread?"),
        _turn("B", f"{LONG} What would you have chosen?"),
        _turn("A", "Probably cakes, to be honest. And what comes next for the bakery?"),
        _turn("B", "A second shop across the river, once the lease is signed."),
    ]
    cut = passages.cut(_source(turns))
    host = [p.asks for p in cut if p.turn == 0]
    answer = [p.asks for p in cut if p.turn == 1]
    assert len(host) > 1 and all(host)  # A asks in most turns: the lead-up belongs to the question
    assert len(answer) > 1 and answer[-1] and not any(answer[:-1])  # B answers, then asks back
    assert not any(p.asks for p in cut if p.turn == 3)


def test_a_passage_is_embedded_after_its_lead_in() -> None:
    # The first passage of an answer follows its question; a later one follows the passage
    # before it in the same turn, never a passage of another turn.
    turns = [_turn("A", "Why did you open a bakery at all?"), _turn("B", LONG), _turn("A", LONG)]
    cut = passages.cut(_source(turns))
    answer = [p for p in cut if p.turn == 1]
    assert passages.lead_in(answer[0], None) == "Why did you open a bakery at all?"
    assert passages.lead_in(answer[1], answer[0]) == answer[0].text
    follow_up = next(p for p in cut if p.turn == 2)
    assert passages.lead_in(follow_up, answer[-1]) == follow_up.prompt != answer[-1].text
    text = passages.embedding_text(answer[0].text, answer[1].text)
    lead, own = text.split("\n")
    assert own == answer[1].text
    assert lead.split() == answer[0].text.split()[-passages.LEAD_IN_WORDS :]
