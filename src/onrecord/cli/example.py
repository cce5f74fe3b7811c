"""`onrecord example FOLDER`: write the example archive the README starts from."""

from __future__ import annotations

import click

from onrecord.example import write_archive


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
def example(folder: str) -> None:
    """Write a small example archive (four sources in four formats) into FOLDER."""
    for path in write_archive(folder):
        click.echo(str(path))


COMMANDS = [example]
