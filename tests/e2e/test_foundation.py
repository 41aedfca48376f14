"""The page foundation in a real browser: sign-in with the return trip, CSRF, error pages."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from tests.e2e.conftest import ConsoleWatch, Live, open_menu
from tests.support.api import PASSWORD


def test_a_page_behind_login_sends_you_to_sign_in_and_back(page: Page, live: Live) -> None:
    buyer = live.seed.register("buyer", "Bola Ade")

    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/login\?next=/me$"))
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(live.url("/me"))
    expect(page.locator("#account-email")).to_contain_text(buyer.email)
    expect(page.get_by_role("status")).to_contain_text("You are signed in.")

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live.url("/"))
    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/login\?next=/me$"))


def test_a_wrong_password_is_refused_beside_the_form_and_the_email_is_kept(
    page: Page, live: Live, console: ConsoleWatch
) -> None:
    buyer = live.seed.register("buyer")
    console.allow("status of 401")

    page.goto("/login")
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("The email or password is wrong.")
    expect(page.get_by_label("Email")).to_have_value(buyer.email)
    expect(page.get_by_label("Password")).to_have_value("")


def test_a_form_posted_without_its_csrf_token_is_rejected(
    page: Page, live: Live, console: ConsoleWatch
) -> None:
    buyer = live.seed.register("buyer")
    console.allow("status of 403")

    page.goto("/login")
    # The sign-in form's token (the footer's language switcher has its own).
    page.locator("#main input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do that")
    expect(page.locator("#error-message")).to_contain_text("did not come from this site")
    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/login\?next=/me$"))  # and nobody was signed in


def test_an_unknown_page_is_a_friendly_404_with_the_request_id(
    page: Page, live: Live, console: ConsoleWatch
) -> None:
    console.allow("status of 404")

    answer = page.goto("/no/such/page")

    assert answer is not None
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    expect(page.locator("#request-id")).to_have_text(answer.headers["x-request-id"])


def test_registering_signs_you_in_and_keeps_what_you_typed_on_an_error(
    page: Page, live: Live, console: ConsoleWatch
) -> None:
    console.allow("status of 422")
    email = live.seed.email("buyer")

    page.goto("/register")
    page.get_by_label("Buy art").check()
    page.get_by_label("Your name").fill("Chidi Okafor")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Create account").click()

    expect(page.locator("#error-password")).to_contain_text("12 to 256 characters")
    expect(page.get_by_label("Your name")).to_have_value("Chidi Okafor")
    expect(page.get_by_label("Email")).to_have_value(email)

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(live.url("/"))
    expect(page.get_by_role("status")).to_contain_text("Welcome")
