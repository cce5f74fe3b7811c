"""Answers: an agent card, a question, and a reply made of the owner's own cited words.

`Agent.ask` screens the question against the card's boundaries (guard.py), resolves a
follow-up against the conversation (followup.py), retrieves from the agent's sources only,
decides whether they cover the question, composes an extractive answer (compose.py), and
checks every quote against the stored transcripts before it leaves (verify.py).
"""

from onrecord.answer.agent import Agent
from onrecord.answer.result import Answer, Citation, Status

__all__ = ["Agent", "Answer", "Citation", "Status"]
