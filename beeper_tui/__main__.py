from beeper_tui.cli import main

raise SystemExit(main())
