"""The `onrecord` command: a thin layer over the library, one module per command group."""

from onrecord.cli.main import main

__all__ = ["main"]
