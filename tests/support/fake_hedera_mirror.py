"""The fake mirror node's routes for certificates: NFT owners, topic messages, accounts, airdrops.

`FakeHederaNetwork` is the fake consensus node of `fake_hedera_certificates` with these
mirror-node REST routes added (shapes as in hiero-mirror-node's `rest/api/v1/openapi.yml`):

- `/api/v1/tokens/{id}/nfts/{serial}`: the current owner; a burned NFT is `deleted`, no owner;
- `/api/v1/transactions/{id}`: every kind, with `name`, `entity_id`, `result`,
  `consensus_timestamp` and `nft_transfers`;
- `/api/v1/topics/{id}/messages?sequencenumber=gt:N&limit=L&order=asc` and
  `/api/v1/topics/messages/{consensus_timestamp}`;
- `/api/v1/accounts/{id}` (`max_automatic_token_associations`), `/api/v1/accounts/{id}/tokens`
  (`token.id=X` or `token.id=gt:X`, `limit`), `/api/v1/accounts/{id}/airdrops/pending`
  (`token.id`, `serialnumber`).
"""

from __future__ import annotations

import base64
import re
from http import HTTPStatus
from typing import Any

from tests.support.fake_hedera_certificates import FakeCertificateNode
from tests.support.fake_hedera_node import mirror_error

_ID = r"(\d+\.\d+\.\d+)"
_NOT_FOUND = (HTTPStatus.NOT_FOUND, mirror_error("Not found"))
_CERTIFICATE_TRANSACTIONS = frozenset(
    {
        "TOKENBURN",
        "CONSENSUSCREATETOPIC",
        "CONSENSUSSUBMITMESSAGE",
        "CRYPTOTRANSFER",
        "TOKENAIRDROP",
        "TOKENCANCELAIRDROP",
        "TOKENCLAIMAIRDROP",
    }
)

Answer = tuple[HTTPStatus, dict[str, Any]]


class FakeHederaNetwork(FakeCertificateNode):
    """The fake consensus node for certificates, with the mirror-node routes a certificate needs."""

    def _mirror_route(self, path: str, query: dict[str, list[str]]) -> Answer:
        if match := re.fullmatch(rf"/api/v1/tokens/{_ID}/nfts/(\d+)", path):
            return self._mirror_nft_now(match.group(1), int(match.group(2)))
        if match := re.fullmatch(r"/api/v1/transactions/(\d+\.\d+\.\d+)-(\d{1,19})-(\d{1,9})", path):
            transaction_id = f"{match.group(1)}@{int(match.group(2))}.{int(match.group(3)):09d}"
            tx = self._transactions.get(transaction_id)
            if tx is not None and tx.name in _CERTIFICATE_TRANSACTIONS:
                return self._mirror_certificate_transaction(transaction_id)
        if match := re.fullmatch(rf"/api/v1/topics/{_ID}/messages", path):
            return self._mirror_topic_messages(match.group(1), query)
        if match := re.fullmatch(r"/api/v1/topics/messages/(\d+\.\d{9})", path):
            return self._mirror_message_at(match.group(1))
        if match := re.fullmatch(rf"/api/v1/accounts/{_ID}", path):
            return self._mirror_account(match.group(1))
        if match := re.fullmatch(rf"/api/v1/accounts/{_ID}/tokens", path):
            return self._mirror_account_tokens(match.group(1), query)
        if match := re.fullmatch(rf"/api/v1/accounts/{_ID}/airdrops/pending", path):
            return self._mirror_pending_airdrops(match.group(1), query)
        return super()._mirror_route(path, query)

    def _mirror_nft_now(self, token_id: str, serial: int) -> Answer:
        status, body = self._mirror_nft(token_id, serial)
        if status == HTTPStatus.OK:
            burned = (token_id, serial) in self.burned
            body["deleted"] = burned
            body["account_id"] = None if burned else self.owners.get((token_id, serial), body["account_id"])
        return status, body

    def _mirror_certificate_transaction(self, transaction_id: str) -> Answer:
        tx = self._transactions[transaction_id]
        if self.now() < tx.consensus_at:
            return _NOT_FOUND
        entity_id, moves = self.effects.get(transaction_id, (None, []))
        account, _, start = transaction_id.partition("@")
        seconds, _, nanos = start.partition(".")
        entry = {
            "consensus_timestamp": f"{tx.consensus_at:.9f}",
            "entity_id": entity_id,
            "name": tx.name,
            "nft_transfers": [
                {
                    "is_approval": False,
                    "receiver_account_id": receiver,
                    "sender_account_id": sender,
                    "serial_number": serial,
                    "token_id": token_id,
                }
                for token_id, serial, sender, receiver in moves
            ],
            "result": tx.status,
            "scheduled": False,
            "transaction_id": f"{account}-{seconds}-{nanos}",
        }
        return HTTPStatus.OK, {"transactions": [entry]}

    def _mirror_topic_messages(self, topic_id: str, query: dict[str, list[str]]) -> Answer:
        topic = self.topics.get(topic_id)
        if topic is None:
            return _NOT_FOUND
        after = int(_first(query, "sequencenumber", "gt:0").removeprefix("gt:"))
        limit = min(int(_first(query, "limit", "25")), 100)
        now = f"{self.now():.9f}"
        visible = [m for m in topic.messages if m[0] > after and _timestamp_key(m[1]) <= _timestamp_key(now)]
        page = visible[:limit]
        more = len(visible) > limit
        next_link = (
            f"/api/v1/topics/{topic_id}/messages?sequencenumber=gt:{page[-1][0]}&limit={limit}&order=asc"
            if more
            else None
        )
        return HTTPStatus.OK, {
            "messages": [_message(topic_id, *message) for message in page],
            "links": {"next": next_link},
        }

    def _mirror_message_at(self, timestamp: str) -> Answer:
        for topic in self.topics.values():
            for message in topic.messages:
                if message[1] == timestamp:
                    return HTTPStatus.OK, _message(topic.topic_id, *message)
        return _NOT_FOUND

    def _mirror_account(self, account_id: str) -> Answer:
        wallet = self.wallets.get(account_id)
        if wallet is None:
            return _NOT_FOUND
        return HTTPStatus.OK, {
            "account": account_id,
            "balance": {"balance": self.balances.get(account_id, 0), "tokens": []},
            "deleted": False,
            "max_automatic_token_associations": wallet.max_automatic_associations,
        }

    def _mirror_account_tokens(self, account_id: str, query: dict[str, list[str]]) -> Answer:
        wallet = self.wallets.get(account_id)
        if wallet is None:
            return _NOT_FOUND
        token_filter = _first(query, "token.id", "")
        limit = min(int(_first(query, "limit", "25")), 100)
        tokens = sorted(wallet.tokens.items(), key=lambda item: _entity_key(item[0]))
        if token_filter.startswith("gt:"):
            tokens = [t for t in tokens if _entity_key(t[0]) > _entity_key(token_filter[3:])]
        elif token_filter:
            tokens = [t for t in tokens if t[0] == token_filter]
        page = tokens[:limit]
        next_link = (
            f"/api/v1/accounts/{account_id}/tokens?limit={limit}&token.id=gt:{page[-1][0]}"
            if len(tokens) > limit
            else None
        )
        return HTTPStatus.OK, {
            "tokens": [
                {
                    "automatic_association": automatic,
                    "balance": sum(
                        1 for (t, _), owner in self.owners.items() if t == token_id and owner == account_id
                    ),
                    "token_id": token_id,
                }
                for token_id, automatic in page
            ],
            "links": {"next": next_link},
        }

    def _mirror_pending_airdrops(self, account_id: str, query: dict[str, list[str]]) -> Answer:
        token_filter = _first(query, "token.id", "")
        serial_filter = _first(query, "serialnumber", "")
        airdrops = [
            {
                "amount": None,
                "receiver_id": receiver,
                "sender_id": sender,
                "serial_number": serial,
                "token_id": token_id,
            }
            for (token_id, serial), (sender, receiver) in sorted(self.pending.items())
            if receiver == account_id
            and token_filter in ("", token_id)
            and serial_filter in ("", str(serial), f"eq:{serial}")
        ]
        return HTTPStatus.OK, {"airdrops": airdrops, "links": {"next": None}}


def _first(query: dict[str, list[str]], name: str, default: str) -> str:
    return query.get(name, [default])[0]


def _message(topic_id: str, sequence: int, timestamp: str, message: bytes) -> dict[str, Any]:
    return {
        "chunk_info": None,
        "consensus_timestamp": timestamp,
        "message": base64.b64encode(message).decode("ascii"),
        "payer_account_id": None,
        "running_hash": "",
        "running_hash_version": 3,
        "sequence_number": sequence,
        "topic_id": topic_id,
    }


def _entity_key(entity_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in entity_id.split("."))


def _timestamp_key(timestamp: str) -> tuple[int, int]:
    seconds, _, nanos = timestamp.partition(".")
    return int(seconds), int(nanos)
