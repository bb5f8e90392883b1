"""The checks a login form runs before sending a field, and the value it sends."""

from __future__ import annotations

from typing import Any

import pytest

from beeper_tui.api.models import LoginInputField
from beeper_tui.loginkit.emoji_url import emoji_from_url, emoji_name
from beeper_tui.loginkit.field_checks import check_field, is_masked, option_choices


def field(**wire: Any) -> LoginInputField:
    return LoginInputField.model_validate({"id": "f", **wire})


def test_required_field_must_not_be_empty_or_blank() -> None:
    assert check_field(field(type="username"), "")[1] == "This is required."
    assert check_field(field(type="username"), "   ")[1] == "This is required."
    assert check_field(field(type="username"), None)[1] == "This is required."


def test_optional_field_may_stay_empty_and_skips_other_checks() -> None:
    assert check_field(field(type="email", optional=True), "  ") == ("", None)


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("+1 (415) 555-2671", "+14155552671"),
        (" +44 20.7946.0000 ", "+442079460000"),
        ("+4915112345678", "+4915112345678"),
    ],
)
def test_phone_number_drops_separators(typed: str, sent: str) -> None:
    assert check_field(field(type="phone_number"), typed) == (sent, None)


@pytest.mark.parametrize("typed", ["4155552671", "+1 415 CALL ME", "++1415", "+"])
def test_phone_number_must_be_plus_and_digits(typed: str) -> None:
    _, error = check_field(field(type="phone_number"), typed)
    assert error is not None and "+" in error


def test_email_needs_an_at_with_text_on_both_sides() -> None:
    assert check_field(field(type="email"), " alice@example.com ") == ("alice@example.com", None)
    for typed in ("alice.example.com", "alice@", "@example.com"):
        assert "@" in (check_field(field(type="email"), typed)[1] or "")


def test_pattern_from_the_server_must_match_the_whole_value() -> None:
    code = field(type="2fa_code", pattern=r"\d{6}", placeholder="123456")
    assert check_field(code, "123 456") == ("123456", None)
    _, error = check_field(code, "12345")
    assert error == "This doesn't have the expected format (like 123456)."
    assert check_field(code, "1234567")[1] is not None  # fullmatch, not search


def test_invalid_pattern_from_the_server_is_skipped() -> None:
    assert check_field(field(type="username", pattern="([unclosed"), "alice") == ("alice", None)


def test_select_value_must_be_one_of_the_options() -> None:
    region = field(type="select", options=["eu", {"value": "us", "label": "United States"}])
    assert option_choices(region) == [("eu", "eu"), ("United States", "us")]
    assert check_field(region, "us") == ("us", None)
    assert check_field(region, "mars")[1] == "Choose one of the options."


def test_password_is_sent_exactly_as_typed() -> None:
    assert check_field(field(type="password"), "  pass word ") == ("  pass word ", None)


def test_secrets_are_masked() -> None:
    assert [is_masked(field(type=t)) for t in ("password", "2fa_code", "token", "username")] == [
        True,
        True,
        True,
        False,
    ]


# --- the other small pure helpers the steps use ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "emoji"),
    [
        ("https://fonts.gstatic.com/s/e/notoemoji/latest/1f984/512.png", "🦄"),
        ("https://example.com/noto/emoji_u1f984.png", "🦄"),
        ("https://twemoji.example/72x72/1f468-200d-1f469-200d-1f467.png", "👨\u200d👩\u200d👧"),
        ("https://example.com/emoji/2764-fe0f.svg?size=64", "❤\ufe0f"),
        ("https://example.com/emoji/0031-fe0f-20e3.png", "1\ufe0f\u20e3"),
    ],
)
def test_emoji_is_read_from_its_image_url(url: str, emoji: str) -> None:
    assert emoji_from_url(url) == emoji


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/verify/512.png",
        "https://example.com/cafe/face.png",  # hex-looking words are not emoji
        "https://example.com/emoji.png",
        "not a url at all",
        "",
    ],
)
def test_url_naming_no_emoji_gives_none(url: str) -> None:
    assert emoji_from_url(url) is None


def test_emoji_name_for_single_code_points_only() -> None:
    assert emoji_name("🦄") == "unicorn face"
    assert emoji_name("👨\u200d👩\u200d👧") == ""
