"""The certificate people print and scan, on the embedded profile: a sandbox purchase, then the
page (privacy, the owner's choice, the revoked banner), the PDF whose QR code leads back to the
page, and the short links `/c/{code}` and `/verify/{token}/{serial}`."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.integration.test_certificates_api import buy
from tests.integration.test_checkout_api import eventually
from tests.integration.test_web_pages import HTML, csrf_of, sign_in_browser
from tests.support.api import Api, app_settings, running_app
from tests.support.pdfs import A4_POINTS, read_pdf

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import RevocationReason


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


async def stored(api: Api, certificate_id: str) -> Certificate:
    async with api.container() as scope:
        uow: UnitOfWork = await scope.get(UnitOfWork)
        async with uow:
            certificate = await uow.certificates.get(uuid.UUID(certificate_id))
    assert certificate is not None
    return certificate


async def revoke(api: Api, certificate_id: str) -> None:
    async with api.container() as scope:
        uow: UnitOfWork = await scope.get(UnitOfWork)
        async with uow:
            certificate = await uow.certificates.get(uuid.UUID(certificate_id))
            assert certificate is not None
            certificate.revoke(RevocationReason.REFUNDED, datetime(2027, 1, 12, 9, tzinfo=UTC))
            await uow.commit()


def owner_of(html: str) -> str:
    found = re.search(r'<dd id="owner">([^<]*)<', html)
    assert found, html
    return found.group(1).strip()


async def test_the_pdf_qr_code_leads_back_to_the_certificate_page(api: Api) -> None:
    _, _, order = await buy(api)
    certificate_id = order["certificate_id"]
    certificate = await stored(api, certificate_id)

    async def issued_on_the_topic() -> bool:
        page = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
        return "sequence 1 on the topic" in page.text

    await eventually(issued_on_the_topic, within=15)
    page = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
    assert re.search(r'data-event="issued">\s*<strong>Issued</strong>', page.text)
    assert "Held by artmarket on behalf of the owner" in page.text
    number = re.search(r'<dd id="certificate-number"[^>]*>([^<]+)</dd>', page.text)
    assert number is not None
    assert f'href="/certificates/{certificate_id}.pdf"' in page.text  # the Download PDF button
    assert 'id="revoked"' not in page.text

    pdf = await api.client.get(f"/certificates/{certificate_id}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "public, max-age=60"
    read = read_pdf(pdf.content)
    assert read.pages == 1
    assert read.size == A4_POINTS
    for fact in ("Harmattan Light", "Ada Obi", "1/1", number.group(1), "a private collection"):
        assert fact in read.text
    assert read.qr_codes == [f"{api.settings.resolved_public_base_url}/c/{certificate.public_code}"]

    scanned = await api.client.get(urlsplit(read.qr_codes[0]).path, follow_redirects=False)
    assert scanned.status_code == 302
    assert scanned.headers["location"] == f"/certificates/{certificate_id}"
    typed = await api.client.get(f"/c/{number.group(1)}", follow_redirects=False)
    assert typed.headers["location"] == f"/certificates/{certificate_id}"

    label = await api.client.get(
        f"/verify/{certificate.token_id}/{certificate.serial}", follow_redirects=False
    )
    assert label.status_code == 302
    assert label.headers["location"] == f"/certificates/{certificate_id}"

    image = await api.client.get(f"/certificates/{certificate_id}/image")
    assert image.status_code == 200
    assert image.headers["content-type"].startswith(certificate.artwork.image_type)
    assert f'src="/certificates/{certificate_id}/image"' in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/c/23456789abcd",
        "/c/not-a-code",
        "/c/%2e%2e",
        "/verify/0.0.1000/999",
        "/verify/0.0.1000/x",
        "/verify/zzz/1",
        "/certificates/00000000-0000-4000-8000-000000000000.pdf",
        "/certificates/nonsense.pdf",
        "/certificates/nonsense",
        "/certificates/00000000-0000-4000-8000-000000000000/image",
    ],
)
async def test_unknown_and_malformed_links_are_the_same_404_page(api: Api, path: str) -> None:
    answer = await api.client.get(path, headers=HTML, follow_redirects=False)
    assert answer.status_code == 404
    assert "No such certificate" in answer.text or "could not find" in answer.text


async def test_the_owner_alone_chooses_to_show_their_name(api: Api) -> None:
    _, buyer, order = await buy(api)
    certificate_id = order["certificate_id"]

    public = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
    assert owner_of(public.text) == "a private collection"
    assert "Buyer" not in public.text
    assert 'id="owner-name-form"' not in public.text

    stranger = await api.register("buyer", "Someone Else")
    await sign_in_browser(api, stranger)
    theirs = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
    assert 'id="owner-name-form"' not in theirs.text
    refused = await api.client.post(
        f"/certificates/{certificate_id}/owner-name",
        data={"csrf_token": csrf_of(theirs.text), "shown": "1"},
        headers=HTML,
        follow_redirects=False,
    )
    assert refused.status_code == 404
    assert not (await stored(api, certificate_id)).shows_owner_name

    await sign_in_browser(api, buyer)
    mine = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
    assert 'id="owner-name-form"' in mine.text
    assert owner_of(mine.text) == "Buyer"  # the owner sees their own name, and that no one else does
    assert 'id="owner-private-note"' in mine.text
    without_token = await api.client.post(
        f"/certificates/{certificate_id}/owner-name",
        data={"shown": "1"},
        headers=HTML,
        follow_redirects=False,
    )
    assert without_token.status_code == 403
    chosen = await api.client.post(
        f"/certificates/{certificate_id}/owner-name",
        data={"csrf_token": csrf_of(mine.text), "shown": "1"},
        headers=HTML,
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == f"/certificates/{certificate_id}"

    api.client.cookies.clear()
    shown = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
    assert owner_of(shown.text) == "Buyer"
    assert 'id="owner-name-form"' not in shown.text
    assert "Buyer" in read_pdf((await api.client.get(f"/certificates/{certificate_id}.pdf")).content).text


async def test_a_revoked_certificate_says_so_above_everything(api: Api) -> None:
    _, _, order = await buy(api)
    certificate_id = order["certificate_id"]
    await revoke(api, certificate_id)

    page = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
    assert page.status_code == 200
    banner = page.text.index('id="revoked"')
    assert "Revoked on 12 Jan 2027 (refunded)" in page.text
    assert banner < page.text.index('id="certificate-title"')
    read = read_pdf((await api.client.get(f"/certificates/{certificate_id}.pdf")).content)
    assert "REVOKED" in read.text
    assert "Revoked on 12 Jan 2027 (refunded)" in read.text
