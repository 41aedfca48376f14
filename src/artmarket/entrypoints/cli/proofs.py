"""`artmarket verify-proof FILE`: check a certificate's proof bundle against a mirror node.

It needs no settings and no database: only the bundle (`GET /api/v1/certificates/{id}/proof`)
and a mirror node, so anyone can run it, not only artmarket's operators.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import msgspec
import typer

from artmarket.adapters.ledger.proof_check import ProofCheck, check_proof
from artmarket.application.minting.proofs import CertificateProof

_MARKS = {True: "matched    ", False: "NOT MATCHED", None: "pending    "}


def verify_proof(
    file: Annotated[
        Path, typer.Argument(help="The proof bundle (JSON) of GET /api/v1/certificates/{id}/proof.")
    ],
    mirror: Annotated[
        str | None, typer.Option(help="Mirror-node REST base URL; default: the one the bundle names.")
    ] = None,
) -> None:
    """Check a proof bundle against the public ledger: exit 0 when everything matches."""
    try:
        proof = msgspec.json.decode(file.read_bytes(), type=CertificateProof)
    except (OSError, msgspec.DecodeError) as error:
        typer.echo(f"cannot read the proof bundle {file}: {error}", err=True)
        raise typer.Exit(2) from None
    mirror_url = mirror or proof.mirror_url
    if not mirror_url:
        typer.echo("the bundle names no mirror node: pass --mirror URL", err=True)
        raise typer.Exit(2)
    report = asyncio.run(check_proof(proof, mirror_url))
    typer.echo(
        f"certificate {proof.certificate_id}: {proof.token_id} serial {proof.serial} on {proof.network}"
    )
    typer.echo(f"mirror node: {report.mirror_url}")
    for check in report.checks:
        typer.echo(_line(check))
    if not report.passed:
        failed = [check.name for check in report.checks if check.matched is False]
        typer.echo(f"NOT VERIFIED: {', '.join(failed)} did not match the public ledger", err=True)
        raise typer.Exit(1)
    typer.echo("verified: checked against the public ledger, not artmarket")


def _line(check: ProofCheck) -> str:
    return f"  {_MARKS[check.matched]}  {check.name:<10} {check.detail}"
