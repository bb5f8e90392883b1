"""Pure helpers behind the login wizard's steps: QR to text, cookie pastes, field checks.

Nothing here imports textual (or rich): these modules take and return plain data, so they are
tested without an app and reused by any front end.
"""
