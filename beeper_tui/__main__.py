from beeper_tui.startup import main

raise SystemExit(main())
