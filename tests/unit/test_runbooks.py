"""Every `artmarket …` command the runbooks tell an operator to type exists in the real CLI.

Commands are taken from the code blocks and inline code of docs/runbooks/*.md. Each one's
subcommand path must lead to a command of the Typer app (whose `--help` answers), and each
`--option` it uses must be one of that command's options.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from artmarket import bootstrap
from artmarket.entrypoints.cli.main import build_cli
from artmarket.entrypoints.cli.runtime import CliWiring

RUNBOOKS = Path(__file__).parents[2] / "docs" / "runbooks"
REQUIRED = [
    "failed-mint-recovery.md",
    "payment-disputes-and-refunds.md",
    "database-restore.md",
    "key-rotation.md",
    "stuck-orders.md",
    "webhook-outage.md",
    "incident-response.md",
]


def the_cli() -> typer.Typer:
    """The app `artmarket` runs, wired by the composition root as `bootstrap.cli_wiring` wires it."""
    wiring = CliWiring(
        **{f.name: getattr(bootstrap, f.name) for f in fields(CliWiring) if hasattr(bootstrap, f.name)}
    )
    return build_cli(lambda: wiring)


def commands_in(text: str) -> list[str]:
    """`artmarket …` lines of fenced code blocks (continuations joined) and inline code spans."""
    found: list[str] = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith("artmarket "):
                found.append(line)
    outside = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    found += [span for span in re.findall(r"`([^`\n]+)`", outside) if span.startswith("artmarket ")]
    return [line for line in found if "…" not in line]  # "`artmarket …`" names the CLI, not a command


def runbook_commands() -> list[tuple[str, str]]:
    return [
        (path.name, line) for path in sorted(RUNBOOKS.glob("*.md")) for line in commands_in(path.read_text())
    ]


def is_group(command: Any) -> bool:
    # Typer vendors its own Click, so its groups are not `click.Group`s: ask for subcommands.
    return isinstance(getattr(command, "commands", None), dict)


def resolve(root: Any, words: list[str]) -> tuple[tuple[str, ...], Any]:
    """The subcommand path the words name, and its command (None when the app has no such path)."""
    path: list[str] = []
    current = root
    for word in words:
        if word.startswith("-") or not is_group(current):
            break
        if word not in current.commands:
            return (*path, word), None
        current = current.commands[word]
        path.append(word)
    return tuple(path), current


def options_of(command: Any) -> set[str]:
    return {"--help"} | {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def test_every_runbook_exists_and_names_commands() -> None:
    for name in REQUIRED:
        assert (RUNBOOKS / name).is_file(), name
    per_file = {name for name, _ in runbook_commands()}
    assert set(REQUIRED) <= per_file, "each runbook gives exact commands"


@pytest.mark.parametrize(("runbook", "line"), runbook_commands())
def test_the_command_exists_with_its_options(runbook: str, line: str) -> None:
    app = the_cli()
    root = typer.main.get_command(app)
    words = shlex.split(line)[1:]
    used = {word.split("=", 1)[0] for word in words if word.startswith("--")}

    path, command = resolve(root, words)
    assert command is not None, f"{runbook}: `{line}`: no command `artmarket {' '.join(path)}`"
    assert not is_group(command) or words == ["--help"], f"{runbook}: `{line}` names a group"
    assert used <= options_of(command), (
        f"{runbook}: `{line}`: unknown options {sorted(used - options_of(command))}"
    )
    answer = CliRunner().invoke(app, [*path, "--help"])
    assert answer.exit_code == 0, answer.output


def test_the_check_catches_a_wrong_command_and_a_wrong_option() -> None:
    root = typer.main.get_command(the_cli())

    assert resolve(root, ["mint", "frobnicate"]) == (("mint", "frobnicate"), None)
    path, command = resolve(root, ["mint", "retry", "--operator", "a@b.c", "--everything"])
    assert path == ("mint", "retry")
    assert "--all-failed" in options_of(command)
    assert "--everything" not in options_of(command)
