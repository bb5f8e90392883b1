"""What the tests stand on, one role a module; import the names from here.

- :mod:`.waiting`: ``wait_for`` (the one way to wait: on a condition, never a fixed time),
  ``screen_of`` (a screen by its type), ``long_poll_waiting``, ``app_timers_passed`` (the
  app's own timers fired, for what must not happen after a delay).
- :mod:`.apps`: quiet worlds, the real app opened each way (``demo_app``, ``wizard_app``,
  ``app_on``, ``rewritten_app``, ``held_demo_app``) and the transports between app and
  simulator.
- :mod:`.shown`: what the app shows and says (``shown_text``, ``screen_text``,
  ``footer_labels``, ``heard``).
- :mod:`.forms`: values put into inputs in one call (``type_text``, ``fill_form``,
  ``paste_cookies``).
- :mod:`.accounts`: the accounts screen (``loaded``, ``home``, polls on demand).
- :mod:`.wizard`: the login wizard (``wizard_of``, ``wait_for_step``, header, banner, keys,
  asking to leave or leaving, Telegram's answers).
- :mod:`.steps`: login steps as the server sends them, and ``StepHarness`` showing one.
- :mod:`.browser`: the browser of the OAuth sign-in.

Three roles with heavy dependencies of their own are imported by path where needed:
:mod:`.terminal` (the real ``beeper-tui`` on a pseudo-terminal), :mod:`.raster` (a widget's
cells drawn and read with a QR decoder) and :mod:`.contract` (the official OpenAPI document
and SDK models the client's traffic is held against).
"""

from tests.support.accounts import (
    bridge_selected,
    bridges_requests,
    home,
    loaded,
    logins_requests,
    poll,
    polls_on_demand,
    table_lines,
)
from tests.support.apps import (
    SIM_BASE_URL,
    HeldRequests,
    RewritingTransport,
    Unplugged,
    app_on,
    demo_app,
    held_demo_app,
    quiet_world,
    rewritten_app,
    wizard_app,
)
from tests.support.browser import Browser
from tests.support.forms import fill_form, paste_cookies, type_text
from tests.support.shown import footer_labels, heard, screen_text, shown_text
from tests.support.steps import (
    FIXED_CLOCK,
    WHATSAPP_QR,
    StepHarness,
    complete_step,
    cookies_step,
    display_step,
    failed_session,
    form_step,
    harness_for,
    qr_step,
    step,
)
from tests.support.waiting import app_timers_passed, long_poll_waiting, screen_of, wait_for
from tests.support.wizard import (
    SIZE,
    asked_to_leave,
    banner_text,
    footer_keys,
    header_text,
    left_for_good,
    session_ids,
    step_of,
    telegram_answered,
    wait_for_step,
    wizard_of,
)

__all__ = [
    "FIXED_CLOCK",
    "SIM_BASE_URL",
    "SIZE",
    "WHATSAPP_QR",
    "Browser",
    "HeldRequests",
    "RewritingTransport",
    "StepHarness",
    "Unplugged",
    "app_on",
    "app_timers_passed",
    "asked_to_leave",
    "banner_text",
    "bridge_selected",
    "bridges_requests",
    "complete_step",
    "cookies_step",
    "demo_app",
    "display_step",
    "failed_session",
    "fill_form",
    "footer_keys",
    "footer_labels",
    "form_step",
    "harness_for",
    "header_text",
    "heard",
    "held_demo_app",
    "home",
    "left_for_good",
    "loaded",
    "logins_requests",
    "long_poll_waiting",
    "paste_cookies",
    "poll",
    "polls_on_demand",
    "qr_step",
    "quiet_world",
    "rewritten_app",
    "screen_of",
    "screen_text",
    "session_ids",
    "shown_text",
    "step",
    "step_of",
    "table_lines",
    "telegram_answered",
    "type_text",
    "wait_for",
    "wait_for_step",
    "wizard_app",
    "wizard_of",
]
