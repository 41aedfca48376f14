"""Identity rules: emails, passwords, roles, and refresh-token rotation."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from artmarket.domain.identity import (
    DisplayName,
    Email,
    InvalidDisplayName,
    InvalidEmail,
    RefreshTokenRejected,
    RefreshTokenReused,
    Role,
    RoleNotSelfService,
    TokenFamily,
    User,
    WeakPassword,
    check_password_policy,
)

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
TTL = timedelta(days=30)


def test_emails_are_canonical_lower_case_so_case_variants_are_the_same_account() -> None:
    assert Email("  Ada.Lovelace@Example.COM ") == Email("ada.lovelace@example.com")


@pytest.mark.parametrize(
    "text",
    ["", "ada", "ada@", "@example.com", "ada@example", "a b@example.com", "ada@ex\r\nample.com", "a@b@c.com"],
)
def test_malformed_emails_are_refused(text: str) -> None:
    with pytest.raises(InvalidEmail):
        Email(text)


@pytest.mark.parametrize("length", [11, 257])
def test_passwords_outside_12_to_256_characters_are_refused(length: int) -> None:
    with pytest.raises(WeakPassword):
        check_password_policy("x" * length)


@pytest.mark.parametrize("length", [12, 256])
def test_passwords_of_12_to_256_characters_are_accepted(length: int) -> None:
    check_password_policy("x" * length)


@pytest.mark.parametrize("text", ["", "   ", "x" * 81, "tab\x07bell"])
def test_display_names_must_be_short_visible_text(text: str) -> None:
    with pytest.raises(InvalidDisplayName):
        DisplayName(text)


def test_nobody_registers_as_an_admin() -> None:
    with pytest.raises(RoleNotSelfService):
        User.register(
            id=uuid4(),
            email=Email("a@b.co"),
            display_name=DisplayName("A"),
            password_hash="h",
            role=Role.ADMIN,
            now=NOW,
        )


def test_a_rotated_token_cannot_be_used_again_and_its_reuse_kills_the_successor() -> None:
    family = TokenFamily.start(id=uuid4(), user_id=uuid4(), first_token_hash="t1", now=NOW, ttl=TTL)
    family.rotate("t1", "t2", NOW, TTL)
    with pytest.raises(RefreshTokenReused):
        family.rotate("t1", "t3", NOW, TTL)
    with pytest.raises(RefreshTokenRejected):
        family.rotate("t2", "t4", NOW, TTL)
    assert family.is_revoked


def test_an_expired_refresh_token_is_refused_without_revoking_the_family() -> None:
    family = TokenFamily.start(id=uuid4(), user_id=uuid4(), first_token_hash="t1", now=NOW, ttl=TTL)
    with pytest.raises(RefreshTokenRejected):
        family.rotate("t1", "t2", NOW + TTL, TTL)
    assert not family.is_revoked


class RefreshRotation(RuleBasedStateMachine):
    """Whatever order clients present tokens in, only the newest one ever works, and reuse is fatal."""

    def __init__(self) -> None:
        super().__init__()
        self.family = TokenFamily.start(id=uuid4(), user_id=uuid4(), first_token_hash="h0", now=NOW, ttl=TTL)
        self.issued = ["h0"]
        self.revoked = False
        self.successes = 0

    @rule()
    def present_the_live_token(self) -> None:
        new = f"h{len(self.issued)}"
        if self.revoked:
            with pytest.raises(RefreshTokenRejected):
                self.family.rotate(self.issued[-1], new, NOW, TTL)
            return
        self.family.rotate(self.issued[-1], new, NOW, TTL)
        self.issued.append(new)
        self.successes += 1

    @precondition(lambda self: len(self.issued) > 1)
    @rule(data=st.data())
    def present_a_spent_token(self, data: st.DataObject) -> None:
        spent = data.draw(st.sampled_from(self.issued[:-1]))
        with pytest.raises(RefreshTokenRejected):
            self.family.rotate(spent, "never", NOW, TTL)
        self.revoked = True

    @rule()
    def present_an_unknown_token(self) -> None:
        with pytest.raises(RefreshTokenRejected):
            self.family.rotate("forged", "never", NOW, TTL)
        self.revoked = True

    @invariant()
    def only_the_newest_issued_token_is_live(self) -> None:
        assert self.family.current_token_hash == self.issued[-1]
        assert self.successes == len(self.issued) - 1

    @invariant()
    def a_revoked_family_stays_revoked(self) -> None:
        assert self.family.is_revoked == self.revoked


TestRefreshRotation = RefreshRotation.TestCase
