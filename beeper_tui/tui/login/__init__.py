"""The login wizard: its screen, the session it drives, its dialogs and the step widgets."""
