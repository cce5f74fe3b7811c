"""`[llm]` in onrecord.toml: validated like every section, its key read from the environment, offline without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from onrecord import config
from onrecord.answer.llm import Phraser
from onrecord.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
GOOD = '[llm]\nbase_url = "http://127.0.0.1:11434/v1/"\nmodel = "llama3.1"\n'


def test_no_llm_section_means_none() -> None:
    assert config.parse(config.DEFAULT_TOML).llm is None


def test_a_minimal_section_takes_the_defaults() -> None:
    llm = config.parse(GOOD).llm
    assert llm is not None
    assert llm.base_url == "http://127.0.0.1:11434/v1"  # the trailing slash is dropped
    assert llm.api_key_env is None and llm.timeout > 0 and llm.max_tokens > 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('timeout = "soon"\n', "llm.timeout"),
        ("timeout = 0\n", "llm.timeout"),
        ("max_tokens = 1.5\n", "llm.max_tokens"),
        ("temperature = 9\n", "llm.temperature"),
        ('api_key = "sk-abc"\n', "llm.api_key: extra inputs are not permitted"),
        ('api_key_env = "sk-abc-123"\n', "llm.api_key_env: value error, must be the name of an environment variable"),
    ],
)
def test_a_bad_field_names_llm_dot_field(extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        config.parse(GOOD + extra)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[llm]\nmodel = "m"\n', "llm.base_url: field required"),
        ('[llm]\nbase_url = "http://x/v1"\n', "llm.model: field required"),
        ('[llm]\nbase_url = "ftp://x/v1"\nmodel = "m"\n', "llm.base_url: value error, must be an http"),
        ('llm = "http://x/v1"\n', "llm: input should be"),
    ],
)
def test_a_missing_or_malformed_field_names_it(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        config.parse(text)


def test_a_pasted_key_is_not_echoed_in_the_error() -> None:
    with pytest.raises(ConfigError) as error:
        config.parse(GOOD + 'api_key_env = "sk-live-do-not-show"\n')
    assert "sk-live-do-not-show" not in str(error.value)


def test_an_unset_key_variable_is_a_config_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONRECORD_UNSET_KEY", raising=False)
    settings = config.parse(GOOD + 'api_key_env = "ONRECORD_UNSET_KEY"\n').llm
    assert settings is not None
    with pytest.raises(ConfigError, match="ONRECORD_UNSET_KEY"):
        Phraser.from_settings(settings)
    monkeypatch.setenv("ONRECORD_UNSET_KEY", "  ")
    with pytest.raises(ConfigError, match="ONRECORD_UNSET_KEY"):
        Phraser.from_settings(settings)


def test_nothing_imports_httpx_without_an_llm_section(tmp_path: Path) -> None:
    # In a fresh interpreter: the library, the CLI and the web app load without httpx, and
    # so does a Phraser built from [llm], until it makes a request.
    code = (
        "import sys\n"
        "import onrecord.cli, onrecord.answer, onrecord.answer.llm\n"
        "assert 'asyncio' not in sys.modules and 'ssl' not in sys.modules, 'an event loop was loaded'\n"
        "import onrecord.serve.app\n"
        "from onrecord import config\n"
        "from onrecord.answer.llm import Phraser\n"
        f"Phraser.from_settings(config.parse({GOOD!r}).llm)\n"
        "assert 'httpx' not in sys.modules, 'httpx was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src")}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_serve_with_an_unset_key_stops_with_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from onrecord.cli import main

    monkeypatch.delenv("ONRECORD_TEST_UNSET_KEY", raising=False)
    workspace = tmp_path / "ws"
    assert CliRunner().invoke(main, ["-w", str(workspace), "init"]).exit_code == 0
    with (workspace / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write(
            '\n[agents.a]\ntitle = "A"\n\n[llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\n'
            'api_key_env = "ONRECORD_TEST_UNSET_KEY"\n'
        )
    result = CliRunner().invoke(main, ["-w", str(workspace), "serve", "--port", "0"], catch_exceptions=False)
    assert result.exit_code != 0
    assert "llm.api_key_env" in result.output and "ONRECORD_TEST_UNSET_KEY" in result.output
    assert "Traceback" not in result.output
