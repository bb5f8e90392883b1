"""Read the values a cookies login step needs out of whatever a person copies from a browser.

Accepted, detected from the text itself:

- a "Copy as cURL" command (bash or Windows cmd flavour): ``-H 'Cookie: …'``,
  ``-b``/``--cookie 'a=b; c=d'``, and other ``-H 'Name: value'`` headers;
- a ``Cookie: a=b; c=d`` header line, or raw request headers (``Name: value`` lines);
- a JSON cookie export (a list of ``{name, value}``, ``{"cookies": [...]}``) or a JSON object of
  ``name: value`` (e.g. a local storage dump);
- ``name=value`` lines (also ``a=b; c=d`` as ``document.cookie`` prints it), Netscape
  ``cookies.txt`` lines and rows copied from the browser's cookie table (tab separated).

``parse_cookie_paste`` never raises: text it cannot read gives an empty result.
``match_fields`` then says which of the step's fields were found and which are still missing.
The step's ``extractJS`` is never looked at, let alone run.
"""

from __future__ import annotations

import codecs
import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from beeper_tui.api.models import CookieField

FORMAT_NAMES = {
    "curl": "a cURL command",
    "json": "a JSON export",
    "cookie_header": "a Cookie: header",
    "headers": "request headers",
    "cookies_txt": "a cookies.txt file",
    "lines": "name=value lines",
    "empty": "nothing yet",
}
"""How each detected format is named to the person."""

_LOCATIONS = {"cookie": "cookie", "header": "header", "local_storage": "local storage"}
# An HTTP header name (RFC 9110 token characters): "Name: value".
_HEADER_LINE = re.compile(r"^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$")
# A line of a JSON object pasted on its own: "name": "value",
_JSON_PAIR_LINE = re.compile(r'^"([^"]+)"\s*:\s*"(.*)"\s*,?$')
# $'…' strings (bash ANSI-C quoting, which Chrome uses when a value holds a quote).
_ANSI_C_STRING = re.compile(r"\$'((?:[^'\\]|\\.)*)'", re.DOTALL)
_NETSCAPE_FLAGS = frozenset({"TRUE", "FALSE"})


@dataclass
class CookiePaste:
    """What a paste held: cookies, request headers (by lower-case name) and loose
    ``name → value`` pairs (JSON keys, ``name=value`` lines: cookies or local storage)."""

    format: str = "empty"
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    @property
    def format_name(self) -> str:
        """The detected format in words, e.g. "a cURL command"."""
        return FORMAT_NAMES.get(self.format, self.format)

    @property
    def is_empty(self) -> bool:
        return not (self.cookies or self.headers or self.values)

    def lookup(self, wanted: CookieField) -> str | None:
        """The pasted value for one of the step's fields, or None."""
        name = wanted.name or wanted.id
        kind = wanted.type or "cookie"
        if kind == "header":
            return self.headers.get(name.casefold()) or _get_folded(self.values, name)
        if kind == "local_storage":
            return _get(self.values, name)
        return _get(self.cookies, name) or _get(self.values, name)


@dataclass(frozen=True)
class FieldMatch:
    """Which of the step's fields a paste fills."""

    found: dict[str, str]
    """Field ID → value, for the fields found."""
    missing: list[CookieField]

    @property
    def complete(self) -> bool:
        return not self.missing


def location(wanted: CookieField) -> str:
    """Where the value lives, in words: cookie, header or local storage."""
    return _LOCATIONS.get(wanted.type or "cookie", wanted.type or "cookie")


def match_fields(paste: CookiePaste, fields: list[CookieField]) -> FieldMatch:
    """Split the step's fields into found (with their values) and missing."""
    found: dict[str, str] = {}
    missing: list[CookieField] = []
    for wanted in fields:
        value = paste.lookup(wanted)
        if value:
            found[wanted.id] = value
        else:
            missing.append(wanted)
    return FieldMatch(found=found, missing=missing)


def parse_cookie_paste(text: str) -> CookiePaste:
    """Read cookies, headers and values from pasted text. Never raises."""
    try:
        return _parse(text or "")
    except Exception:  # a paste is arbitrary text: reading it must never break the form
        return CookiePaste(format="lines")


def parse_cookie_string(text: str) -> dict[str, str]:
    """``a=b; c=d`` (a Cookie header's value, or ``document.cookie``) → ``{a: b, c: d}``."""
    cookies: dict[str, str] = {}
    for part in text.split(";"):
        name, equals, value = part.partition("=")
        name = name.strip()
        if equals and name:
            cookies[name] = value.strip()
    return cookies


# --- the formats --------------------------------------------------------------------------------


def _parse(text: str) -> CookiePaste:
    stripped = text.strip()
    if not stripped:
        return CookiePaste()
    if re.match(r"curl(\.exe)?\s", stripped, re.IGNORECASE):
        return _parse_curl(stripped)
    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):  # not JSON after all (or absurdly nested)
            pass
        else:
            return _parse_json(data)
    return _parse_lines(stripped)


def _parse_curl(text: str) -> CookiePaste:
    paste = CookiePaste(format="curl")
    for option, value in _curl_options(_curl_tokens(text)):
        if option == "header":
            _add_header(paste, value, loose=False)
        elif option == "cookie" and "=" in value:  # without "=" it names a cookie file
            paste.cookies.update(parse_cookie_string(value))
    return paste


def _curl_tokens(text: str) -> list[str]:
    """Shell words of a cURL command copied from a browser (bash or cmd flavour)."""
    if re.search(r'\^"|\s\^\r?\n', text):  # Windows cmd: ^ escapes, ^ line continuations
        text = re.sub(r"\^\r?\n", " ", text)
        text = re.sub(r"\^(.)", r"\1", text)
    text = re.sub(r"\\\r?\n", " ", text)
    text = _ANSI_C_STRING.sub(lambda m: shlex.quote(_decode_ansi_c(m.group(1))), text)
    for candidate in (text, text + "'", text + '"'):  # close a quote cut off by the copy
        try:
            return shlex.split(candidate)
        except ValueError:
            continue
    return text.split()


def _decode_ansi_c(body: str) -> str:
    try:
        return codecs.decode(body.encode("latin-1", "backslashreplace"), "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return body.replace("\\'", "'")


def _curl_options(tokens: list[str]) -> list[tuple[str, str]]:
    """(header|cookie, value) for each -H/--header and -b/--cookie option."""
    names = {"-H": "header", "--header": "header", "-b": "cookie", "--cookie": "cookie"}
    options: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in names and index + 1 < len(tokens):
            options.append((names[token], tokens[index + 1]))
            index += 2
            continue
        if token[:2] in ("-H", "-b") and len(token) > 2:  # -H'Name: value' written together
            options.append((names[token[:2]], token[2:]))
        index += 1
    return options


def _parse_json(data: Any) -> CookiePaste:
    paste = CookiePaste(format="json")
    if isinstance(data, dict) and isinstance(data.get("cookies"), list):
        data = data["cookies"]
    if isinstance(data, dict) and "name" in data and "value" in data:
        data = [data]
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                value = _json_text(item.get("value"))
                paste.cookies[item["name"]] = value
                paste.values[item["name"]] = value
    elif isinstance(data, dict):
        for key, value in data.items():
            paste.values[str(key)] = _json_text(value)
            paste.cookies[str(key)] = _json_text(value)
    return paste


def _parse_lines(text: str) -> CookiePaste:
    paste = CookiePaste(format="lines")
    kinds: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#HttpOnly_"):  # cookies.txt marks HttpOnly cookies this way
            line = line[len("#HttpOnly_") :]
        if not line or line.startswith("#"):
            continue
        if "\t" in line:
            kinds.add(_add_table_row(paste, line.split("\t")))
        elif pair := _JSON_PAIR_LINE.match(line):
            paste.values[pair.group(1)] = pair.group(2)
            kinds.add("lines")
        elif (header := _HEADER_LINE.match(line)) and not header.group(2).startswith("//"):
            _add_header(paste, line, loose=True)
            kinds.add("cookie_header" if header.group(1).casefold() == "cookie" else "headers")
        else:
            pairs = parse_cookie_string(line)
            paste.cookies.update(pairs)
            paste.values.update(pairs)
            if pairs:  # a request line ("GET / HTTP/2") or stray words name nothing
                kinds.add("lines")
    if kinds == {"cookie_header", "headers"}:
        kinds = {"headers"}
    if len(kinds) == 1:
        paste.format = kinds.pop()
    return paste


def _add_table_row(paste: CookiePaste, cols: list[str]) -> str:
    """A Netscape cookies.txt line, or a row of the browser's cookie table (name, value…);
    returns which of the two it was."""
    cols = [col.strip() for col in cols]
    netscape = (
        len(cols) >= 7 and cols[1].upper() in _NETSCAPE_FLAGS and cols[3].upper() in _NETSCAPE_FLAGS
    )
    name, value = (cols[5], cols[6]) if netscape else (cols[0], cols[1] if len(cols) > 1 else "")
    if name:
        paste.cookies[name] = value
        paste.values[name] = value
    return "cookies_txt" if netscape else "lines"


def _add_header(paste: CookiePaste, line: str, *, loose: bool) -> None:
    """``Name: value``: a Cookie header fills the cookies; others the headers (and, for loose
    lines, the values too — ``auth_token: abc`` typed by hand is a value, not a header)."""
    name, colon, value = line.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not name:
        return
    if name.casefold() == "cookie":
        paste.cookies.update(parse_cookie_string(value))
    paste.headers[name.casefold()] = value
    if loose and name.casefold() != "cookie":
        paste.values[name] = value


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def _get(values: dict[str, str], name: str) -> str | None:
    return values.get(name) or _get_folded(values, name)


def _get_folded(values: dict[str, str], name: str) -> str | None:
    folded = name.casefold()
    for key, value in values.items():
        if key.casefold() == folded:
            return value
    return None
