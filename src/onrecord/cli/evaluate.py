"""`onrecord eval`: retrieval quality of the workspace on a question file."""

from __future__ import annotations

from pathlib import Path

import click

from onrecord import evaluate
from onrecord.cli.common import echo_json, ensure_index, open_workspace
from onrecord.index import scope as scopes


@click.command("eval")
@click.argument("questions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--agent", help="Search only this agent's sources.")
@click.option("-k", "k", type=int, default=10, show_default=True, help="Results per question.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and every question) as JSON.")
@click.pass_context
def eval_command(ctx: click.Context, questions: Path, agent: str | None, k: int, as_json: bool) -> None:
    """Measure retrieval on QUESTIONS (JSONL with evidence phrases, or a QMSum meeting file).

    Prints, after the first stage and after the second (the reranker), found-within-50/100/300
    words, hit@1/3/10, MRR, and how well the top score separates answerable from unanswerable
    questions (ROC AUC).
    """
    workspace = open_workspace(ctx)
    items = evaluate.load_questions(questions)
    scope = scopes.resolve(workspace.store, workspace.settings, agent=agent)
    ensure_index(workspace)
    stages = evaluate.run_stages(workspace, items, k=k, scope=scope)
    figures = {name: evaluate.summarise(outcomes) for name, outcomes in stages.items()}
    if as_json:
        echo_json(
            {
                "figures": figures,
                "questions": [
                    {
                        "id": o.question.id,
                        "question": o.question.question,
                        "stages": {
                            name: {"first_hit": outcomes[i].first_hit, "found": outcomes[i].found}
                            for name, outcomes in stages.items()
                        },
                    }
                    for i, o in enumerate(stages["first"])
                ],
            }
        )
    else:
        click.echo(evaluate.format_stages(figures))


COMMANDS = [eval_command]
