"""Reading settings from the environment: ARTMARKET_* variables over a `.env` file, secrets from `_FILE`s.

Every problem is collected before start-up gives up, so an operator fixes them in one go.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

import msgspec
from dotenv import dotenv_values

from artmarket.settings.model import SECRET_FIELDS, Settings, env_name
from artmarket.settings.rules import consistency_problems, production_problems


class SettingsError(Exception):
    """The environment does not describe a runnable artmarket; `problems` names each variable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Read settings from `environ` (default: the process) over an optional `.env` file."""
    source: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        source.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    source.update(os.environ if environ is None else environ)

    problems: list[str] = []
    values: dict[str, Any] = {}
    hints = get_type_hints(Settings, include_extras=True)
    for field in msgspec.structs.fields(Settings):
        raw = _raw_value(field.name, source, problems)
        if raw is None:
            continue
        try:
            values[field.name] = msgspec.convert(
                _split_list(raw, hints[field.name]), hints[field.name], strict=False
            )
        except msgspec.ValidationError as error:
            problems.append(
                f"{env_name(field.name)}: {str(error).split(' - at ')[0]} (got {_shown(field.name, raw)})"
            )
    if problems:
        raise SettingsError(problems)
    settings = Settings(**values)
    problems = production_problems(settings) + consistency_problems(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def _raw_value(field: str, source: Mapping[str, str], problems: list[str]) -> str | None:
    name = env_name(field)
    if field in SECRET_FIELDS and f"{name}_FILE" in source:
        try:
            return Path(source[f"{name}_FILE"]).read_text().strip()
        except OSError as error:
            problems.append(f"{name}_FILE: cannot read {source[f'{name}_FILE']!r} ({error.strerror})")
            return None
    value = source.get(name)
    return None if value is None or value == "" else value


def _split_list(raw: str, annotation: Any) -> Any:
    if _is_list(annotation):
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def _is_list(annotation: Any) -> bool:
    """`list[...]`, also inside `Annotated[...]` and `... | None` (e.g. `paystack_webhook_ips`)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_list(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_is_list(member) for member in get_args(annotation) if member is not type(None))
    return origin is list


def _shown(field: str, raw: str) -> str:
    return "a secret value" if field in SECRET_FIELDS else repr(raw)
