from __future__ import annotations

from pathlib import Path

import pytest

from onrecord import config
from onrecord.errors import ConfigError
from onrecord.workspace import Workspace


def test_defaults_parse() -> None:
    settings = config.parse(config.DEFAULT_TOML)
    assert settings.store.backend == "sqlite"
    assert settings.embedding.model == "all-MiniLM-L6-v2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[store]\nbakend = 'sqlite'\n", "store.bakend: extra inputs are not permitted"),
        ("[embedding]\nbatch_size = 'many'\n", "embedding.batch_size"),
        ("[agents.dana]\nspeaks_as = ['Dana']\n", "agents.dana.title: field required"),
        ("[agents.dana]\ntitle = 'x'\n[[agents.dana.avoid]]\ntopic = 'family'\n", "agents.dana.avoid.0.reply"),
        ("[store\n", "not valid TOML"),
        (
            "[serve]\ntrusted_proxies = ['proxy.local']\n",
            "serve.trusted_proxies: value error, 'proxy.local' is not an ip address",
        ),
    ],
)
def test_errors_name_the_field(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        config.parse(text, "onrecord.toml")


def test_a_bad_config_is_reported_when_the_workspace_opens(tmp_path: Path) -> None:
    (tmp_path / "onrecord.toml").write_text("[nonsense]\n")
    with pytest.raises(ConfigError, match="nonsense"):
        Workspace.open(tmp_path)
