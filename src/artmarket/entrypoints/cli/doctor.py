"""`artmarket doctor`: every adapter's configuration and reach, checked at once, as a table.

Each row is one `DependencyCheck` the composition root chose for these settings (the
database and its schema, Redis, Paystack, Hedera, IPFS nodes, SMTP, the media bucket).
`ok` and `warn` (a `NeedsAttention`: it works, but look at it) pass; `fail` makes the
command exit 1; `skip` is a development adapter with nothing to reach.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

import typer

from artmarket.application.ports import DependencyCheck, NeedsAttention
from artmarket.entrypoints.cli.runtime import settings_or_exit, wiring
from artmarket.settings import Settings
from artmarket.settings.rules import EMBEDDED_ADAPTERS

Status = Literal["ok", "warn", "fail", "skip"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row for a development adapter: nothing outside the process to check."""

    name: str
    detail: str


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    status: Status
    detail: str


def settings_finding(settings: Settings) -> Finding:
    adapters = " ".join(f"{port}={getattr(settings, port)}" for port in EMBEDDED_ADAPTERS)
    return Finding("settings", "ok", f"{settings.profile} profile; {adapters}")


async def examine(checks: Sequence[DependencyCheck | Skipped], *, seconds_each: float) -> list[Finding]:
    """Run every check at once, each within `seconds_each`."""
    return list(await asyncio.gather(*(_examine(check, seconds_each) for check in checks)))


async def _examine(check: DependencyCheck | Skipped, seconds: float) -> Finding:
    if isinstance(check, Skipped):
        return Finding(check.name, "skip", check.detail)
    try:
        found = await asyncio.wait_for(check.check(), seconds)
    except NeedsAttention as attention:
        return Finding(check.name, "warn", str(attention))
    except TimeoutError:
        return Finding(check.name, "fail", f"no answer within {seconds:g} s")
    except Exception as error:  # whatever went wrong is the finding
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        return Finding(check.name, "fail", str(reason)[:300])
    return Finding(check.name, "ok", found or "reachable")


def render(findings: Sequence[Finding]) -> str:
    width = max(len("check"), *(len(f.name) for f in findings))
    lines = [f"{'check':<{width}}  status  detail"]
    lines += [f"{f.name:<{width}}  {f.status:<6}  {f.detail}" for f in findings]
    failed = [f.name for f in findings if f.status == "fail"]
    warned = [f.name for f in findings if f.status == "warn"]
    summary = f"{len(failed)} failing" + (f" ({', '.join(failed)})" if failed else "")
    summary += f", {len(warned)} to look at" + (f" ({', '.join(warned)})" if warned else "")
    return "\n".join([*lines, "", summary])


def doctor(
    ctx: typer.Context,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds each check may take.")] = 10.0,
) -> None:
    """Check the settings and reach every adapter (database, Redis, Paystack, Hedera, IPFS,
    SMTP, media); print a table; exit 1 if anything fails."""
    settings = settings_or_exit()
    doctor_checks = wiring(ctx).doctor_checks
    if doctor_checks is None:
        raise typer.Exit(code=2)

    async def main() -> list[Finding]:
        container = wiring(ctx).make_container(settings)
        try:
            return await examine(await doctor_checks(settings, container), seconds_each=timeout)
        finally:
            await container.close()

    findings = [settings_finding(settings), *asyncio.run(main())]
    typer.echo(render(findings))
    if any(finding.status == "fail" for finding in findings):
        raise typer.Exit(code=1)
