"""Docs that are tested (house style 12): every command of the CLI is in the README, so that a
new command cannot ship undocumented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from watchfloor.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands(group: typer.Typer, prefix: str = "watchfloor") -> list[str]:
    found: list[str] = []
    for command in group.registered_commands:
        name = command.name or typer.main.get_command_name(command.callback.__name__)  # type: ignore[union-attr]
        found.append(f"{prefix} {name}")
    for sub in group.registered_groups:
        assert sub.typer_instance is not None and sub.name is not None
        found += _commands(sub.typer_instance, f"{prefix} {sub.name}")
    return found


def test_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    commands = _commands(app)
    assert "watchfloor reference import" in commands and "watchfloor compare" in commands
    missing = [c for c in commands if c not in text]
    assert missing == [], f"commands the README does not show: {missing}"
