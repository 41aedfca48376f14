"""A whole purchase against `make run`, from outside, as the issues' acceptance checks do it.

    .venv/bin/python scripts/smoke_purchase.py sandbox     # the default embedded profile
    .venv/bin/python scripts/smoke_purchase.py paystack    # ARTMARKET_PAYMENTS=paystack + a stand-in

Starts `make run` on a free port with a fresh data directory, creates an admin with the
CLI, then over HTTP: an artist with approved KYC publishes a work, a buyer presses Buy Now,
a second buyer is refused, and the payment is made (the sandbox page's Pay button, or a
signed `charge.success` from the Paystack stand-in, replayed 20 times after forged ones).
Prints what each step answered, the order's history, the certificate and the emails written.
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
        assert client.get(f"/sandbox/paystack/checkout/{payment['reference']}").status_code == 200
        paid = client.post(f"/sandbox/paystack/checkout/{payment['reference']}/pay", follow_redirects=False)
        print("sandbox Pay:", paid.status_code)
        client.get(paid.headers["location"].removeprefix(base), follow_redirects=False)

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
    time.sleep(2)
    mail = data_dir / "mail"
    for message in sorted(mail.glob("*.eml")) if mail.exists() else []:
        headers = [
            line
            for line in message.read_text(errors="replace").splitlines()
            if line.startswith(("To:", "Subject:"))
        ]
        print("email:", message.name.split(".")[1], headers)


if __name__ == "__main__":
    main()
