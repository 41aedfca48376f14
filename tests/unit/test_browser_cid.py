"""The CID the certificate page's script builds (static/verify.js, WebCrypto) is the server's
(adapters/ipfs/cid.py, multiformats) for the same bytes: the real script, run by Node."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from tests.support.page_scripts import run_page_script

from artmarket.adapters.ipfs.cid import compute_cid
from artmarket.domain.certificate_metadata import hip412_document
from artmarket.domain.certificates import ArtworkSnapshot

#: Loads the page script without a page (it exports its CID functions) and prints one CID per input.
_RUN = """
globalThis.window = globalThis;
require(process.argv[1]);
const inputs = JSON.parse(require("fs").readFileSync(0, "utf8"));
Promise.all(inputs.map((hex) => window.artmarketCid.rawCid(Buffer.from(hex, "hex"))))
  .then((cids) => console.log(JSON.stringify(cids)));
"""


def browser_cids(inputs: list[bytes]) -> list[str]:
    return list(run_page_script("verify.js", _RUN, [data.hex() for data in inputs]))


def a_certificate_document() -> bytes:
    artwork = ArtworkSnapshot(
        UUID(int=1), "Ọ̀ṣun's River — 夜", UUID(int=2), "Adé Òkè", "painting", 2026, None, None
    )
    return hip412_document(
        certificate_id=UUID(int=3),
        order_id=UUID(int=4),
        artwork=artwork,
        issued_at=datetime(2026, 12, 7, tzinfo=UTC),
        description="A certificate with non-ASCII text, as the server serialises it.",
    )


def test_the_script_builds_the_servers_cid_for_the_same_bytes() -> None:
    inputs = [b"", b"hello", bytes(range(256)) * 40, a_certificate_document()]

    assert browser_cids(inputs) == [compute_cid(data) for data in inputs]


def test_other_bytes_give_another_cid() -> None:
    document = a_certificate_document()

    (cid,) = browser_cids([document.replace(b"2026", b"2025")])

    assert cid != compute_cid(document)
