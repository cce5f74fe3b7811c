"""Optional LLM phrasing of extractive answers through an OpenAI-compatible server (`[llm]`).

client.py talks to the server within a total deadline; prompt.py writes the request;
check.py decides whether the reply may be shown; phrase.py ties them together and falls
back to the extractive answer on any failure.
"""

from onrecord.answer.llm.client import ChatBackend, LLMError, OpenAIChat
from onrecord.answer.llm.phrase import Phraser

__all__ = ["ChatBackend", "LLMError", "OpenAIChat", "Phraser"]
