"""The one text-safety policy (beeper_tui.text): the same hostile string looks the same on every
surface, and nothing the server sent can act on a terminal."""

from __future__ import annotations

import json

import pytest

from beeper_tui.text import (
    cell_width,
    clean,
    clean_lines,
    encodable,
    fit,
    json_dumps,
    one_line,
    shown,
    truncate,
    truncate_middle,
)

#: One of each kind of character a terminal would act on, reorder, or not show.
HOSTILE = [
    "\x1b[2J",  # CSI: clear the screen
    "\x1b]0;owned\x07",  # OSC 0 ended by BEL: window title
    "\x1b]52;c;aGk=\x1b\\",  # OSC 52 ended by ST: clipboard write
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31m",  # C1 CSI
    "\x90q\x9c",  # C1 DCS … ST
    "\x7f",  # DEL
    "a\x00b",  # NUL
    "abc\rX",  # CR rewrites the line
    "abc\x08\x08X",  # BS
    "\u202eevil",  # right-to-left override
    "\u2066x\u2069",  # bidi isolates
    "zero\u200bwidth\ufeff",  # zero-width space, BOM
    "\ud800",  # a lone surrogate (valid JSON)
    "\U000e0041",  # a tag character
]
ESCAPE_INTRODUCERS = ("\x1b", "\x9b", "\x9d", "\x90", "\x9c", "\x07", "\x00", "\x08", "\r", "\x7f")


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(
    "surface",
    [clean, clean_lines, shown, lambda t: one_line(t, 20), lambda t: fit(t, 12)],
    ids=["clean", "clean_lines", "shown", "one_line", "fit"],
)
def test_no_surface_lets_a_control_through(text: str, surface) -> None:  # type: ignore[no-untyped-def]
    out = surface(text)
    assert not any(c in out for c in ESCAPE_INTRODUCERS)
    assert all(not 0x80 <= ord(c) <= 0x9F for c in out)
    assert "\u202e" not in out and "\u2066" not in out and "\u200b" not in out
    out.encode("utf-8")  # no lone surrogate left: printing cannot raise


def test_controls_show_as_their_symbols_everywhere() -> None:
    assert clean("a\x1b[31mb") == "a␛[31mb"
    assert clean_lines("a\x1b[31mb") == "a␛[31mb"
    assert shown("a\x1b[31mb") == "a␛[31mb"
    assert clean("\x00\x7f\x9b\u202e") == "␀␡��"


def test_line_breaks_stay_only_where_a_surface_shows_lines() -> None:
    assert clean_lines("a\r\nb\rc\td") == "a\nb\nc    d"
    assert clean("id\nFAKE LINE") == "id FAKE LINE"
    assert "\n" not in one_line("x\ny\u2028z")


def test_markup_is_left_as_typed() -> None:
    assert clean("[bold]x[/bold]") == "[bold]x[/bold]"


def test_emoji_sequences_keep_their_joiners() -> None:
    family = "👨\u200d👩\u200d👧"
    assert clean(family) == family


def test_width_is_in_cells_and_cuts_end_in_an_ellipsis() -> None:
    assert cell_width("漢字") == 4
    assert cell_width("e\u0301") == 1
    assert fit("漢字漢字abc", 5) == "漢字…"
    assert cell_width(fit("漢字漢字abc", 6)) == 6
    assert fit("ab", 4) == "ab  "
    assert one_line("x" * 10_000, 30) == "x" * 29 + "…"
    assert shown("y" * 10_000) == "y" * 159 + "…"


def test_a_cut_at_word_ends_keeps_whole_words_and_a_word_the_cut_ends_on() -> None:
    status = "Signed out: the app password was revoked"
    assert fit(status, 28, words=True) == "Signed out: the app…" + " " * 8
    assert truncate(status, 28) == "Signed out: the app passwor…"
    # the cut lands right after a word: that word stays
    assert truncate(status, 16, words=True) == "Signed out: the…"
    # no word ends in the last third: a plain cut rather than a mostly empty cell
    assert truncate("Supercalifragilistic expialidocious", 12, words=True) == "Supercalifr…"
    assert truncate(status, 100, words=True) == status


def test_ids_are_cut_in_the_middle_keeping_both_ends() -> None:
    account_id = "local-whatsapp_ba_AAAA1"
    assert truncate_middle(account_id, 15) == "local-wha…AAAA1"
    assert truncate_middle(account_id, 30) == account_id
    assert truncate_middle(account_id, 1) == "…"
    assert truncate_middle(account_id, 0) == ""
    wide = truncate_middle("漢字" * 4, 9)
    assert wide.startswith("漢字") and wide.endswith("字") and "…" in wide
    assert cell_width(wide) <= 9


def test_json_output_is_exact_for_scripts_and_inert_for_terminals() -> None:
    value = {"name": "".join(HOSTILE) + " Zoë 漢 👨\u200d👩"}
    out = json_dumps(value)
    assert json.loads(out) == value
    assert out.isascii() is False  # readable names stay readable
    assert not any(c in out for c in ESCAPE_INTRODUCERS)
    assert all(not 0x80 <= ord(c) <= 0x9F for c in out)
    assert "\u202e" not in out
    out.encode("utf-8")


def test_data_for_a_clipboard_stays_exact_but_for_lone_surrogates() -> None:
    assert encodable("2@abc,Zoë 漢") == "2@abc,Zoë 漢"
    assert encodable("id\ud800x") == "id\ufffdx"
    encodable("\udfff\ud800").encode("utf-8")


def test_the_app_copies_a_lone_surrogate_without_raising() -> None:
    from beeper_tui.connect import connect_demo
    from beeper_tui.tui.app import BeeperApp

    app = BeeperApp(connect_demo())
    app.copy_to_clipboard("qr-data\ud800")
    assert app.clipboard == "qr-data\ufffd"
