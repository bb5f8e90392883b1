"""Why a sign-in did not give a token: one class per outcome a person is told apart.

All are :class:`SignInError`; ``str(error)`` is a sentence to show as is (server text in it
has been through :mod:`beeper_tui.text`). :attr:`SignInError.exit_code` is the headless
``auth login`` exit status: 1 for an outcome the person chose or waited out (denied, timed
out, cancelled), 2 for an error.
"""

from __future__ import annotations


class SignInError(Exception):
    """A sign-in that ended without a token; nothing was saved."""

    exit_code = 2


class SignInDenied(SignInError):
    """The person declined the request in Beeper Desktop (``error=access_denied``)."""

    exit_code = 1


class SignInTimedOut(SignInError):
    """Nobody approved or declined before the timeout."""

    exit_code = 1


class SignInCancelled(SignInError):
    """``cancel()`` was called (the person pressed the cancel key or Ctrl-C)."""

    exit_code = 1


class StateMismatch(SignInError):
    """The callback's ``state`` is not the one sent: not the answer to this request."""


class AuthorizationFailed(SignInError):
    """Beeper Desktop answered the authorization with an error other than a denial."""


class ExchangeRefused(SignInError):
    """Beeper Desktop refused to exchange the code for a token (``POST /oauth/token``)."""


class RegistrationRefused(SignInError):
    """Beeper Desktop refused to register beeper-tui as a client (``POST /oauth/register``)."""


class ServerUnreachable(SignInError):
    """Beeper Desktop could not be reached or answered something that is not OAuth."""


class PastedAddressInvalid(SignInError):
    """A pasted address is not the one the browser was sent back to; sign-in goes on
    waiting, so the person can paste again."""
