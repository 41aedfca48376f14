"""Typed outbox messages: one class per topic, stored payloads round-trip, keys are deterministic,
and the subscription table names only known messages and use cases that handle them."""

from __future__ import annotations

import inspect
from dataclasses import fields
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artmarket.application.messages import (
    MESSAGE_TYPES,
    CertificateIssued,
    Message,
    OrderPaid,
    PasswordResetRequested,
    PaymentEventReceived,
    ShipmentReminderDue,
    UnknownMessage,
    decode_message,
)
from artmarket.application.messaging import OutboxMessage, Topic
from artmarket.application.subscriptions import SUBSCRIPTIONS

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
_text = st.text(min_size=1, max_size=40)


def _messages() -> st.SearchStrategy[Message]:
    """Any message of any class, every field filled (optional ones sometimes left out)."""

    def of(message_type: type[Message]) -> st.SearchStrategy[Message]:
        values: dict[str, st.SearchStrategy[object]] = {}
        for field in fields(message_type):
            kind = (
                st.uuids()
                if "UUID" in str(field.type)
                else st.integers(1, 2)
                if field.type == "int"
                else _text
            )
            values[field.name] = st.none() | kind if "None" in str(field.type) else kind
        return st.builds(message_type, **values)

    return st.one_of(*(of(message_type) for message_type in MESSAGE_TYPES.values()))


def test_every_topic_has_exactly_one_message_class() -> None:
    assert set(MESSAGE_TYPES) == set(Topic)
    assert len({message_type.__name__ for message_type in MESSAGE_TYPES.values()}) == len(Topic)
    assert all(message_type.version == 1 for message_type in MESSAGE_TYPES.values())


@given(_messages())
def test_every_message_round_trips_through_its_stored_payload(message: Message) -> None:
    payload = message.encode()

    assert all(isinstance(value, str) for value in payload.values())
    assert decode_message(message.topic.value, payload, message.version) == message


@given(_messages())
def test_an_outbox_row_carries_the_message_under_its_key(message: Message) -> None:
    try:
        key = message.idempotency_key
    except UnknownMessage:
        return  # only a message read from an old row lacks the parts of its key
    row = OutboxMessage.of(message, uuid4(), NOW)

    assert (row.topic, row.key, row.payload, row.version) == (message.topic, key, message.encode(), 1)
    assert type(message)(**{f.name: getattr(message, f.name) for f in fields(message)}).idempotency_key == key


def test_keys_are_the_ones_the_outbox_already_holds() -> None:
    order_id, request_id = UUID(int=7), UUID(int=9)

    assert OrderPaid(order_id).idempotency_key == f"order-paid:{order_id}"
    assert ShipmentReminderDue(order_id, 2).idempotency_key == f"shipment-reminder:{order_id}:2"
    assert PaymentEventReceived("am-1", "charge.success", "evt-1").idempotency_key == "payment-event:evt-1"
    assert (
        PasswordResetRequested(uuid4(), uuid4(), request_id).idempotency_key == f"password-reset:{request_id}"
    )


def test_a_row_from_before_versions_reads_as_version_one_and_encodes_back_to_itself() -> None:
    old = {"certificate_id": str(UUID(int=1)), "order_id": str(UUID(int=2))}
    reset = {"user_id": str(UUID(int=3)), "token_id": str(UUID(int=4))}

    issued = decode_message("certificate.issued", old)
    requested = decode_message("user.password_reset_requested", reset)

    assert issued == CertificateIssued(UUID(int=1), UUID(int=2))
    assert issued.encode() == old
    assert requested.encode() == reset
    with pytest.raises(UnknownMessage):
        requested.idempotency_key  # noqa: B018 - never written again, so it has no key of its own


def test_unknown_topics_versions_and_shapes_are_refused() -> None:
    with pytest.raises(UnknownMessage):
        decode_message("order.teleported", {})
    with pytest.raises(UnknownMessage):
        decode_message("order.paid", {"order_id": str(UUID(int=1))}, version=2)
    with pytest.raises(UnknownMessage):
        decode_message("order.paid", {})


def test_the_subscription_table_names_known_messages_and_use_cases_that_handle_them() -> None:
    assert set(SUBSCRIPTIONS) <= set(MESSAGE_TYPES.values())
    for message_type, use_cases in SUBSCRIPTIONS.items():
        assert use_cases, message_type
        for use_case in use_cases:
            assert inspect.iscoroutinefunction(use_case.handle), (message_type, use_case)
