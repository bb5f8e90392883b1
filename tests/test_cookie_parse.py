"""Reading cookie-step values from what people copy out of a browser."""

from __future__ import annotations

import random
import string

import pytest

from beeper_tui.api.models import CookieField
from beeper_tui.loginkit.cookie_paste import (
    _parse,
    location,
    match_fields,
    parse_cookie_paste,
    parse_cookie_string,
)

FIELDS = [
    CookieField(id="auth", type="cookie", name="auth_token"),
    CookieField(id="ct0", type="cookie", name="ct0"),
    CookieField(id="csrf", type="header", name="X-Csrf-Token"),
]

CURL_BASH = """curl 'https://x.com/i/api/graphql/abc' \\
  -H 'accept: */*' \\
  -H 'x-csrf-token: 5f3a' \\
  -b 'guest_id=v1%3A17; auth_token=a1b2c3; ct0=5f3a' \\
  -H 'user-agent: Mozilla/5.0' \\
  --compressed"""

CURL_CMD = """curl ^"https://x.com/i/api/graphql/abc^" ^
  -H ^"accept: */*^" ^
  -H ^"x-csrf-token: 5f3a^" ^
  -H ^"cookie: auth_token=a1b2c3; ct0=5f3a^" ^
  --compressed"""


def found(text: str, fields: list[CookieField] = FIELDS) -> dict[str, str]:
    return match_fields(parse_cookie_paste(text), fields).found


def test_curl_command_gives_cookies_from_b_and_headers_from_h() -> None:
    paste = parse_cookie_paste(CURL_BASH)
    assert paste.format == "curl"
    assert paste.cookies["guest_id"] == "v1%3A17"
    assert found(CURL_BASH) == {"auth": "a1b2c3", "ct0": "5f3a", "csrf": "5f3a"}


def test_curl_cookie_header_and_ansi_c_quoting() -> None:
    text = "curl 'https://x.com' -H $'cookie: auth_token=it\\'s; ct0=z' -H 'X-CSRF-TOKEN: q'"
    assert found(text) == {"auth": "it's", "ct0": "z", "csrf": "q"}


def test_curl_copied_from_windows_cmd() -> None:
    assert found(CURL_CMD) == {"auth": "a1b2c3", "ct0": "5f3a", "csrf": "5f3a"}


def test_curl_cookie_file_argument_is_not_read_as_cookies() -> None:
    paste = parse_cookie_paste("curl -b cookies.txt https://x.com")
    assert paste.cookies == {}


def test_cookie_header_line() -> None:
    text = "Cookie: auth_token=a1b2c3; ct0=5f3a; lang=en"
    assert parse_cookie_paste(text).format_name == "a Cookie: header"
    assert found(text) == {"auth": "a1b2c3", "ct0": "5f3a"}
    assert [f.id for f in match_fields(parse_cookie_paste(text), FIELDS).missing] == ["csrf"]


def test_raw_request_headers_fill_cookies_and_header_fields() -> None:
    text = (
        "GET /i/api HTTP/2\n"
        "Host: x.com\n"
        "x-csrf-token: 5f3a\n"
        "cookie: auth_token=a1b2c3; ct0=5f3a\n"
        "Referer: https://x.com/home\n"
    )
    assert parse_cookie_paste(text).format_name == "request headers"
    assert found(text) == {"auth": "a1b2c3", "ct0": "5f3a", "csrf": "5f3a"}


def test_json_export_list_of_name_value() -> None:
    text = (
        '[{"name": "auth_token", "value": "a1b2c3", "domain": ".x.com"},'
        ' {"name": "ct0", "value": "5f3a"}]'
    )
    paste = parse_cookie_paste(text)
    assert paste.format == "json"
    assert found(text) == {"auth": "a1b2c3", "ct0": "5f3a"}


def test_json_export_object_with_cookies_list_and_plain_dict() -> None:
    assert found('{"cookies": [{"name": "ct0", "value": "z"}]}') == {"ct0": "z"}
    assert found('{"auth_token": "a", "ct0": 42}') == {"auth": "a", "ct0": "42"}


def test_name_value_lines_and_document_cookie_line() -> None:
    assert found("auth_token=a1b2c3\nct0 = 5f3a\n") == {"auth": "a1b2c3", "ct0": "5f3a"}
    assert found("auth_token=a1b2c3; ct0=5f3a") == {"auth": "a1b2c3", "ct0": "5f3a"}


def test_value_keeps_its_own_equals_signs() -> None:
    assert parse_cookie_string("sess=abc==; x=1") == {"sess": "abc==", "x": "1"}


def test_netscape_cookies_txt_including_httponly_lines() -> None:
    text = (
        "# Netscape HTTP Cookie File\n"
        ".x.com\tTRUE\t/\tTRUE\t1767225600\tct0\t5f3a\n"
        "#HttpOnly_.x.com\tTRUE\t/\tTRUE\t1767225600\tauth_token\ta1b2c3\n"
    )
    assert parse_cookie_paste(text).format_name == "a cookies.txt file"
    assert found(text) == {"auth": "a1b2c3", "ct0": "5f3a"}


def test_rows_copied_from_the_browser_cookie_table() -> None:
    text = "auth_token\ta1b2c3\t.x.com\t/\t2026-01-01\t50\t✓\nct0\t5f3a\t.x.com\t/"
    assert found(text) == {"auth": "a1b2c3", "ct0": "5f3a"}


def test_header_fields_match_case_insensitively() -> None:
    assert found("curl https://x.com -H 'x-CSRF-token: q'") == {"csrf": "q"}


def test_local_storage_from_json_keys_or_lines() -> None:
    wanted = [CookieField(id="state", type="local_storage", name="appState")]
    assert found('{"appState": "{\\"user\\":1}", "other": "x"}', wanted) == {"state": '{"user":1}'}
    assert found("appState=abc", wanted) == {"state": "abc"}
    assert found('"appState": "abc",', wanted) == {"state": "abc"}


def test_field_without_name_is_looked_up_by_its_id() -> None:
    assert found("session=s1", [CookieField(id="session")]) == {"session": "s1"}


def test_match_reports_missing_fields_in_order() -> None:
    match = match_fields(parse_cookie_paste("ct0=1"), FIELDS)
    assert [f.id for f in match.missing] == ["auth", "csrf"]
    assert not match.complete
    assert match_fields(parse_cookie_paste(CURL_BASH), FIELDS).complete


def test_location_in_words() -> None:
    assert [location(f) for f in FIELDS] == ["cookie", "cookie", "header"]
    assert location(CookieField(id="s", type="local_storage")) == "local storage"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t",
        "curl",
        "curl 'https://x.com -H 'Cookie: a=b",
        'curl "unterminated',
        "curl -H",
        "[1, 2, {",
        '{"name": 1, "value": null}',
        "[null, 3, [], {}]",
        "=;=;;==",
        "\x00\x1b[31m\x07",
        ":",
        "\t\t\t",
        "https://x.com/path",
        "{" * 5000,
        "[" * 100_000,
    ],
)
def test_malformed_input_never_raises(text: str) -> None:
    # The reader itself, not only parse_cookie_paste's safety net, copes with it.
    paste = _parse(text)
    match_fields(paste, FIELDS)  # and matching what came out never raises either


def test_random_garbage_never_raises() -> None:
    rng = random.Random(1234)
    alphabet = string.printable + "^$'\"\\;=:{}[]é🦄"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        match_fields(_parse(rng.choice(["", "curl ", "{", "["]) + text), FIELDS)
