"""Readers turn the bytes of one file into a `Reading`; one module per format.

Built-in formats register exactly as a third-party plugin would: through the
`onrecord.readers` entry point group (see `registry`), with the built-ins listed in
`DEFAULT_READERS` so that they work from a source checkout too.
"""

from onrecord.readers.base import Reader, registry
from onrecord.readers.detect import decode, detect, read_bytes, read_path
from onrecord.readers.files import load

__all__ = ["Reader", "decode", "detect", "load", "read_bytes", "read_path", "registry"]
