"""A whole purchase against `make run`, from outside, as the issues' acceptance checks do it.

    .venv/bin/python scripts/smoke_purchase.py sandbox     # the default embedded profile
    .venv/bin/python scripts/smoke_purchase.py paystack    # ARTMARKET_PAYMENTS=paystack + a stand-in

Starts `make run` on a free port with a fresh data directory, creates an admin with the
CLI, then over HTTP: an artist with approved KYC publishes a work, a buyer presses Buy Now,
a second buyer is refused, and the payment is made (the sandbox page's Pay button, or a
signed `charge.success` from the Paystack stand-in, replayed 20 times after forged ones).
Prints what each step answered, the order's history, the certificate and the emails written.

Then a physical work (issue 10): an address in a country the artist does not ship to is
refused (422 naming the field); one in Nigeria is charged price + shipping; the artist sees
the address and ships with a tracking number; the buyer follows the link and confirms;
the history lists each step once; another buyer, the public and the certificate never see
the address; the "ship this work" and "shipped" emails are written.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.ports import free_port  # noqa: E402

PASSWORD = "correct horse battery staple"
WEBHOOK = "/api/v1/payments/paystack/webhook"


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "sandbox"
    data_dir = Path(tempfile.mkdtemp(prefix="artmarket-smoke-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ARTMARKET_DATA_DIR": str(data_dir),
        "ARTMARKET_PORT": str(port),
        "ARTMARKET_LOG_LEVEL": "WARNING",
        "ARTMARKET_PUBLIC_BASE_URL": base,
    }
    standin = None
    if mode == "paystack":
        from tests.support.paystack_standin import PaystackStandIn

        standin = PaystackStandIn("sk_test_" + "a1" * 20).start()
        env.update(
            ARTMARKET_PAYMENTS="paystack",
            ARTMARKET_PAYSTACK_BASE_URL=standin.base_url,
            ARTMARKET_PAYSTACK_SECRET_KEY=standin.secret_key,
        )
    with (data_dir / "run.log").open("w") as log:
        server = subprocess.Popen(
            ["make", "-s", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        run(mode, base, env, data_dir, standin)
    finally:
        server.terminate()
        server.wait(30)
        if standin is not None:
            standin.stop()
    print("data directory:", data_dir)


def run(mode: str, base: str, env: dict[str, str], data_dir: Path, standin: object) -> None:
    client = httpx.Client(base_url=base, timeout=10)
    for _ in range(600):
        try:
            if client.get("/health").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        raise SystemExit("make run did not come up; see run.log in " + str(data_dir))

    (data_dir / "admin-password").write_text(PASSWORD)
    subprocess.run(
        [
            str(ROOT / ".venv/bin/artmarket"),
            "users",
            "create-admin",
            "boss@example.com",
            "--password-file",
            str(data_dir / "admin-password"),
        ],
        env=env,
        check=True,
        capture_output=True,
    )

    def login(email: str) -> dict[str, str]:
        answer = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        answer.raise_for_status()
        return {"Authorization": "Bearer " + answer.json()["access_token"]}

    def register(email: str, role: str, name: str) -> dict[str, str]:
        answer = client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": name, "role": role},
        )
        assert answer.status_code == 201, answer.text
        return login(email)

    admin = login("boss@example.com")
    artist = register("ada@example.com", "artist", "Ada Obi")
    case = client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=artist,
    )
    assert client.post(f"/api/v1/admin/kyc/{case.json()['id']}/approve", headers=admin).status_code == 200
    created = client.post(
        "/api/v1/artworks",
        json={
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": 2_500_000, "currency": "NGN"},
        },
        headers=artist,
    )
    artwork_id = created.json()["id"]
    jpeg = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 90, 40)).save(jpeg, "JPEG")
    image = client.post(
        f"/api/v1/artworks/{artwork_id}/images",
        files={"file": ("a.jpg", jpeg.getvalue(), "image/jpeg")},
        headers=artist,
    )
    assert image.status_code == 201, image.text
    assert client.post(f"/api/v1/artworks/{artwork_id}/publish", headers=artist).status_code == 200

    buyer = register("bola@example.com", "buyer", "Bola")
    placed = client.post(
        "/api/v1/orders", json={"artwork_id": artwork_id}, headers={**buyer, "Idempotency-Key": "k1"}
    )
    assert placed.status_code == 201, placed.text
    order, payment = placed.json()["order"], placed.json()["payment"]
    print("authorization_url:", payment["authorization_url"])
    other = register("chi@example.com", "buyer", "Chi")
    print(
        "second buyer:",
        client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=other).status_code,
    )

    def pay_in_sandbox(reference: str) -> None:
        assert client.get(f"/sandbox/paystack/checkout/{reference}").status_code == 200
        paid = client.post(f"/sandbox/paystack/checkout/{reference}/pay", follow_redirects=False)
        print("sandbox Pay:", paid.status_code)
        client.get(paid.headers["location"].removeprefix(base), follow_redirects=False)

    if standin is not None:
        standin.pay(payment["reference"])  # type: ignore[attr-defined]
        raw, signature = standin.webhook_for(payment["reference"])  # type: ignore[attr-defined]
        forged = [
            (json.dumps(json.loads(raw), indent=1).encode(), signature),
            (raw[:5] + bytes([raw[5] ^ 1]) + raw[6:], signature),
            (raw, hmac.new(b"sk_test_someone_else", raw, hashlib.sha512).hexdigest()),
        ]
        print(
            "re-serialised / flipped byte / wrong key:",
            [
                client.post(WEBHOOK, content=b, headers={"x-paystack-signature": s}).status_code
                for b, s in forged
            ],
        )
        replays = {
            client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature}).status_code
            for _ in range(20)
        }
        print("20 replays:", replays)
    else:
        pay_in_sandbox(payment["reference"])

    for _ in range(150):
        detail = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()
        if detail["status"] == "completed":
            break
        time.sleep(0.2)
    print("order:", detail["status"], [change["status"] for change in detail["status_history"]])
    certificate_id = detail.get("certificate_id")
    if certificate_id:
        certificate = client.get(f"/api/v1/certificates/{certificate_id}").json()
        served = client.get(f"/api/v1/certificates/{certificate_id}/metadata").content
        from artmarket.adapters.ipfs.cid import compute_cid

        print(
            "certificate:",
            certificate["token_id"],
            "serial",
            certificate["serial"],
            certificate["transaction_id"],
        )
        print(
            "metadata_uri:",
            certificate["metadata_uri"],
            "= CID of /metadata bytes:",
            certificate["metadata_uri"] == f"ipfs://{compute_cid(served)}",
        )
        print("verify:", client.get(f"/api/v1/certificates/{certificate_id}/verify").json()["details"][:80])
        print("certificate page:", client.get(f"/certificates/{certificate_id}").status_code)

    def pay(reference: str) -> None:
        if standin is None:
            pay_in_sandbox(reference)
            return
        standin.pay(reference)  # type: ignore[attr-defined]
        raw, signature = standin.webhook_for(reference)  # type: ignore[attr-defined]
        print(
            "webhook:",
            client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature}).status_code,
        )

    physical_purchase(client, artist, admin, register, pay)
    time.sleep(2)
    mail = data_dir / "mail"
    for message in sorted(mail.glob("*.eml")) if mail.exists() else []:
        headers = [
            line
            for line in message.read_text(errors="replace").splitlines()
            if line.startswith(("To:", "Subject:"))
        ]
        print("email:", message.name.split(".")[1], headers)


ADDRESS = {
    "name": "Bolanle Adeyemi",
    "lines": ["14 Kingfisher Crescent", "Flat 2B"],
    "city": "Ikeja",
    "region": "Lagos",
    "postal_code": "100271",
    "country": "NG",
}


def physical_purchase(
    client: httpx.Client, artist: dict[str, str], admin: dict[str, str], register, pay
) -> None:  # type: ignore[no-untyped-def]
    """Issue 10's acceptance: a physical work from Buy Now to the buyer's door."""
    created = client.post(
        "/api/v1/artworks",
        json={
            "title": "Bronze Drummer",
            "medium": "sculpture",
            "price": {"amount": 2_500_000, "currency": "NGN"},
            "delivery": {
                "kind": "physical",
                "weight_grams": 4_000,
                "shipping_rates": [
                    {"countries": ["NG"], "price": {"amount": 250_000, "currency": "NGN"}},
                    {"countries": ["GH", "KE"], "price": {"amount": 900_000, "currency": "NGN"}},
                ],
            },
        },
        headers=artist,
    )
    assert created.status_code == 201, created.text
    artwork_id = created.json()["id"]
    jpeg = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 60, 40)).save(jpeg, "JPEG")
    client.post(
        f"/api/v1/artworks/{artwork_id}/images",
        files={"file": ("b.jpg", jpeg.getvalue(), "image/jpeg")},
        headers=artist,
    ).raise_for_status()
    client.post(f"/api/v1/artworks/{artwork_id}/publish", headers=artist).raise_for_status()
    print("physical work delivery:", client.get(f"/api/v1/artworks/{artwork_id}").json()["delivery"]["kind"])

    buyer = register("tola@example.com", "buyer", "Tola")
    details = {"buyer": {"full_name": "Bolanle Adeyemi", "phone": "+234 803 555 0199"}}
    abroad = client.post(
        "/api/v1/orders",
        json={
            "artwork_id": artwork_id,
            **details,
            "delivery_address": {**ADDRESS, "country": "US", "postal_code": "94103"},
        },
        headers=buyer,
    )
    print("address in the US:", abroad.status_code, abroad.json()["errors"])
    placed = client.post(
        "/api/v1/orders",
        json={"artwork_id": artwork_id, **details, "delivery_address": ADDRESS},
        headers={**buyer, "Idempotency-Key": "physical-1"},
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()["order"]
    print(
        "charged:",
        order["amount"]["amount"],
        "= price",
        order["price"]["amount"],
        "+ shipping",
        order["shipping"]["amount"],
    )
    pay(placed.json()["payment"]["reference"])
    for _ in range(150):
        if client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()["status"] in (
            "paid",
            "minting",
            "completed",
        ):
            break
        time.sleep(0.2)

    waiting = client.get("/api/v1/me/shipments?status=awaiting_shipment", headers=artist).json()["items"]
    print(
        "artist sees:", [(i["order_id"] == order["id"], i["delivery_address"]["lines"][0]) for i in waiting]
    )
    shipped = client.post(
        f"/api/v1/orders/{order['id']}/shipment",
        json={"carrier": "DHL", "tracking_number": "JD0146000012345"},
        headers=artist,
    )
    print("shipped:", shipped.status_code, shipped.json()["shipment"]["status"])
    followed = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()
    print("buyer's tracking link:", followed["shipment"]["tracking_url"])
    confirmed = client.post(f"/api/v1/orders/{order['id']}/delivery-confirmation", headers=buyer)
    print("confirmed:", confirmed.status_code, confirmed.json()["shipment"]["status"])
    for _ in range(150):
        final = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()
        if final["status"] == "completed":
            break
        time.sleep(0.2)
    steps = [step["status"] for step in final["status_history"]]
    print("history:", steps, "each once:", len(steps) == len(set(steps)))

    other = register("uche@example.com", "buyer", "Uche")
    print("another buyer:", client.get(f"/api/v1/orders/{order['id']}", headers=other).status_code)
    public = client.get(f"/api/v1/artworks/{artwork_id}").text
    admin_view = client.get(f"/api/v1/admin/orders/{order['id']}", headers=admin).text
    certificate_id = final.get("certificate_id")
    certificate = client.get(f"/certificates/{certificate_id}").text if certificate_id else ""
    print(
        "address in the public artwork / admin view / certificate page:",
        ["Kingfisher" in text for text in (public, admin_view, certificate)],
    )


if __name__ == "__main__":
    main()
