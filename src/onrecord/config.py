"""onrecord.toml: every setting and agent card, declared once and validated on load.

A workspace's configuration is one TOML file. Each field is declared here with its
default and help text; unknown keys are errors that name the section and the key.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from onrecord.errors import ConfigError

CONFIG_NAME = "onrecord.toml"


def http_url(url: str) -> str:
    """`url`, or a ValueError when it is not an http(s) URL."""
    if not re.match(r"https?://[^\s/]+\S*$", url):
        raise ValueError(f"must be an http:// or https:// URL, got {url!r}")
    return url


def variable_name(name: str | None) -> str | None:
    """`name`, or a ValueError when it is not an environment variable's name."""
    if name is not None and not re.match(r"[A-Za-z_][A-Za-z0-9_]*$", name):
        # The value is not echoed: a key pasted here by mistake must not reach a log.
        raise ValueError("must be the name of an environment variable (letters, digits, _), not a key")
    return name


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# A PostgreSQL URL as libpq reads it; a password in it is refused (see password_env).
POSTGRES_URL = re.compile(r"^postgres(ql)?://[^/?#]*(/[^?#]*)?(\?.*)?$")


class StoreSettings(_Section):
    backend: Literal["sqlite", "postgresql"] = Field(
        "sqlite", description="Where the workspace keeps its data: the SQLite file, or PostgreSQL at `url`."
    )
    path: str = Field("onrecord.db", description="SQLite file, relative to the workspace.")
    url: str | None = Field(
        None,
        description="postgresql://USER@HOST:PORT/DATABASE: keep the data in PostgreSQL (with pgvector) instead; "
        "several onrecord servers may share it. No password here: see password_env.",
    )
    password_env: str | None = Field(
        None,
        description="The NAME of the environment variable that holds the PostgreSQL password (never the password).",
    )
    pool_size: int = Field(8, ge=1, le=200, description="Connections each onrecord process keeps open to PostgreSQL.")

    @field_validator("url")
    @classmethod
    def _postgres_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        if not POSTGRES_URL.match(url):
            raise ValueError("must be a postgresql:// URL, e.g. postgresql://onrecord@127.0.0.1:5433/onrecord")
        from urllib.parse import urlsplit

        if urlsplit(url).password is not None or "password=" in url:
            # The value is not echoed: a password pasted here must not reach a log.
            raise ValueError("must not hold a password: put it in the environment variable named by password_env")
        return url

    @field_validator("password_env")
    @classmethod
    def _password_variable(cls, name: str | None) -> str | None:
        if name is not None and not re.match(r"[A-Za-z_][A-Za-z0-9_]*$", name):
            raise ValueError("must be the name of an environment variable (letters, digits, _), not a password")
        return name

    @model_validator(mode="after")
    def _backend_agrees_with_url(self) -> StoreSettings:
        if self.url is not None and self.backend == "sqlite" and "backend" in self.model_fields_set:
            raise ValueError('backend = "sqlite" but url names PostgreSQL: remove backend or set "postgresql"')
        if self.backend == "postgresql" and self.url is None:
            raise ValueError('backend = "postgresql" needs url = "postgresql://USER@HOST:PORT/DATABASE"')
        return self

    @property
    def postgres(self) -> bool:
        """Whether the data is in PostgreSQL (a url is set) rather than the SQLite file."""
        return self.url is not None

    def password(self) -> str | None:
        """The PostgreSQL password from the environment variable password_env names."""
        if self.password_env is None:
            return None
        value = os.environ.get(self.password_env)
        if value is None:
            raise ConfigError(f"[store] password_env: the environment variable {self.password_env} is not set")
        return value


class EmbeddingSettings(_Section):
    model: str = Field("all-MiniLM-L6-v2", description="Embedding model used for dense retrieval.")
    batch_size: int = Field(32, ge=1, le=1024, description="Passages embedded per batch.")


class SpeakerSettings(_Section):
    """How sure a turn's speaker must be before an agent quotes it as that speaker's words."""

    min_confidence: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Turns whose speaker repair is less sure of than this (voices guessed from the words) are "
        "never quoted as anyone's words, are marked in `show` and listed by `speakers SOURCE --uncertain`; "
        "an owner's correction makes a turn certain.",
    )


class RerankSettings(_Section):
    """The second stage: a model that reads the question with each candidate and reorders them."""

    reranker: str = Field(
        "none",
        description="The second-stage model: 'onrecord-answer-selector' (a selector trained by training/, at `path`), "
        "'sentence-transformers', 'fastembed', "
        "'http' (a server's /rerank endpoint), an installed plugin's name, or 'none' (first stage only).",
    )
    model: str | None = Field(
        None, description="The model a plugin loads or a rerank server is asked for (e.g. a hub name or folder)."
    )
    path: str | None = Field(
        None,
        description="For 'onrecord-answer-selector': the exported .onnx file (its card beside it, same name, .json); "
        "for 'fastembed': a local folder holding the model, if any.",
    )
    url: str | None = Field(
        None, description="For 'http': the server's rerank endpoint, e.g. http://127.0.0.1:8080/rerank."
    )
    api_key_env: str | None = Field(
        None, description="For 'http': the NAME of the environment variable holding the API key (never the key)."
    )
    timeout: float = Field(5.0, gt=0, le=120, description="For 'http': seconds before the first stage's order is kept.")
    candidates: int = Field(
        24, ge=1, le=200, description="First-stage candidates the second stage reads per question and per search."
    )
    no_answer_below: float | None = Field(
        None,
        ge=0,
        le=1,
        description="A question whose best second-stage score is below this gets the no-answer message; "
        "default: the reranker's own measured operating point (a selector's card), else 0.5.",
    )

    @field_validator("url")
    @classmethod
    def _http(cls, url: str | None) -> str | None:
        return None if url is None else http_url(url)

    @field_validator("api_key_env")
    @classmethod
    def _variable_name(cls, name: str | None) -> str | None:
        return variable_name(name)


class ServeSettings(_Section):
    """How `onrecord serve` faces the world: limits, CORS, the question log, the owner token."""

    max_body_bytes: int = Field(
        256 * 1024, ge=1024, description="Largest request body accepted, in bytes (larger: HTTP 413)."
    )
    max_question_chars: int = Field(
        4000, ge=1, le=12_000, description="Longest question accepted, in characters (longer: HTTP 413)."
    )
    max_history: int = Field(
        20, ge=0, le=1000, description="Earlier questions of a conversation read for follow-ups (older are dropped)."
    )
    rate_limit: int = Field(
        60, ge=0, description="Questions and searches per minute from one client address (0: no limit)."
    )
    rate_burst: int = Field(20, ge=1, description="Requests one client may make at once before the rate applies.")
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Web origins allowed to call the API from a browser, e.g. ["https://example.org"]; '
        "empty: CORS off.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto "
        'are believed, e.g. ["127.0.0.1"] behind a proxy on this machine; empty: no proxy headers are read.',
    )
    log_questions: bool = Field(
        True, description="Keep a log of questions (emails and phone numbers redacted) for the owner's insights."
    )
    owner_token: SecretStr | None = Field(
        None, description="Token for the owner pages; when unset, `onrecord token` keeps one in the workspace."
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, proxies: list[str]) -> list[str]:
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"{proxy!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)") from None
        return proxies


class InputSettings(_Section):
    """Limits on what `onrecord add` reads, checked before a file is read into memory."""

    max_file_bytes: int = Field(
        32_000_000, ge=1024, description="Largest file imported, in bytes (a larger one is refused unread)."
    )
    max_line_chars: int = Field(
        1_000_000,
        ge=100,
        description="Longest line of a text file, in characters (JSON files are exempt: their line breaks "
        "are optional).",
    )
    max_source_words: int = Field(
        2_000_000, ge=100, description="Most words one source may hold (about two hundred hours of speech)."
    )


class AvoidTopic(_Section):
    topic: str = Field(min_length=1, description="The topic the agent stays away from.")
    examples: list[str] = Field(default_factory=list, description="Phrasings of the topic.")
    reply: str = Field(min_length=1, description="What the agent says instead.")

    @field_validator("topic", "reply")
    @classmethod
    def _said(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("is blank: it must say something")
        return text


class AgentCard(_Section):
    title: str = Field(min_length=1, description="Shown to people.")
    speaks_as: list[str] = Field(default_factory=list, description="Whose words are the agent's own.")
    sources: list[str] = Field(default_factory=lambda: ["*"], description="Source ids or title globs.")
    disclosure: str = Field(
        "I am an AI built from recorded words; I am not the person.",
        min_length=1,
        description="What the agent tells people it is.",
    )
    no_answer: str = Field(
        "I haven't talked about that on the record.",
        min_length=1,
        description="Said when the sources do not cover a question.",
    )
    no_more: str = Field(
        "That's all I've said on the record about that.",
        min_length=1,
        description='Said to a follow-up ("tell me more") when everything on record about it was quoted already.',
    )
    topics: list[str] = Field(default_factory=list, description="The only topics it talks about.")
    avoid: list[AvoidTopic] = Field(default_factory=list, description="Topics it stays away from.")


class LLMSettings(_Section):
    """An OpenAI-compatible chat server that may phrase answers; without it answers are extractive."""

    base_url: str = Field(
        description="The server's OpenAI-compatible API root, e.g. http://127.0.0.1:11434/v1 (Ollama)."
    )
    model: str = Field(min_length=1, description="The model name the server knows.")
    api_key_env: str | None = Field(
        None,
        description="The NAME of the environment variable that holds the API key (never the key itself); "
        "omit it for a server without authentication.",
    )
    timeout: float = Field(
        20.0,
        gt=0,
        le=600,
        description="Seconds for the whole request, after which the extractive answer is given instead.",
    )
    max_tokens: int = Field(300, ge=16, le=4096, description="Most tokens the model may write.")
    temperature: float = Field(0.2, ge=0, le=2, description="Sampling temperature.")

    @field_validator("base_url")
    @classmethod
    def _http(cls, url: str) -> str:
        return http_url(url).rstrip("/")

    @field_validator("api_key_env")
    @classmethod
    def _variable_name(cls, name: str | None) -> str | None:
        return variable_name(name)


class ModerationSettings(LLMSettings):
    """A moderation model (Llama Guard) on an OpenAI-compatible server that judges harm; the
    bundled boundary classifier still judges attacks, and stands in whenever the server fails."""

    timeout: float = Field(
        5.0, gt=0, le=600, description="Seconds for one judgement, after which the bundled classifier judges."
    )
    max_tokens: int = Field(20, ge=1, le=4096, description="Most tokens of the verdict.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    self_harm_category: str = Field(
        "S11", min_length=1, description="The category the model uses for self-harm (Llama Guard 3 and 4: S11)."
    )


class RailsSettings(_Section):
    """What judges questions before retrieval: harmful requests, attacks, questions about the agent."""

    model: str = Field(
        "onrecord-boundaries",
        description="The boundary model (the bundled classifier, or a plugin of the onrecord.boundary_models group).",
    )
    moderation: ModerationSettings | None = Field(
        None, description="Optional moderation server that judges harm; absent means the boundary model alone."
    )


# An agent's name is a model id over HTTP and part of its web page's URL.
AGENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Settings(_Section):
    """The whole of onrecord.toml."""

    store: StoreSettings = Field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    speakers: SpeakerSettings = Field(default_factory=SpeakerSettings)
    rerank: RerankSettings = Field(default_factory=RerankSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    input: InputSettings = Field(default_factory=InputSettings)
    agents: dict[str, AgentCard] = Field(default_factory=dict)
    llm: LLMSettings | None = Field(None, description="Optional LLM phrasing; absent means extractive only.")
    rails: RailsSettings = Field(default_factory=RailsSettings)

    @field_validator("agents")
    @classmethod
    def _agent_names(cls, agents: dict[str, AgentCard]) -> dict[str, AgentCard]:
        for name in agents:
            if not AGENT_NAME.match(name):
                raise ValueError(
                    f"agent name {name!r} must be letters, digits, '.', '_' or '-' (at most 64, no spaces)"
                )
        return agents


DEFAULT_TOML = """\
# onrecord workspace settings. Every key is optional; see docs/configuration.md.

[store]
path = "onrecord.db"
# Or PostgreSQL with pgvector (`onrecord db start` runs one locally):
# url = "postgresql://onrecord@127.0.0.1:5433/onrecord"
# password_env = "ONRECORD_DB_PASSWORD"   # the variable's name, not the password

[embedding]
model = "all-MiniLM-L6-v2"

# Optional: an OpenAI-compatible server phrases answers around the checked quotes.
# [llm]
# base_url = "http://127.0.0.1:11434/v1"
# model = "llama3.1"
# api_key_env = "ONRECORD_LLM_KEY"   # the variable's name, not the key
# timeout = 20

# An agent speaks with one person's recorded words:
# [agents.NAME]
# title = "..."
# speaks_as = ["Speaker Name"]
# sources = ["*"]
"""


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def parse(text: str, path: str | Path = CONFIG_NAME) -> Settings:
    """Validate the text of an onrecord.toml; errors name the file, the field and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg'].lower()}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from None


def load(path: Path) -> Settings:
    """Read settings from `path`; a missing file means every default."""
    if not path.exists():
        return Settings()
    return parse(path.read_text(encoding="utf-8"), path)
