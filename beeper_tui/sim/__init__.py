"""An embedded Beeper Desktop simulator: the API's routes over an in-memory world.

    from beeper_tui.sim import build_demo_world, create_app, sim_transport, World
    world = build_demo_world()
    transport = sim_transport(create_app(world))
    client = httpx.AsyncClient(base_url="http://sim.local", transport=transport)

Used in-process by tests and ``--demo``, and served on loopback by ``beeper-tui sim``
(``serve.py``). Tests that need time to pass give the world a ``ManualClock`` (``clock.py``).
Never imports textual.
"""

from beeper_tui.sim.app import create_app
from beeper_tui.sim.clock import ManualClock
from beeper_tui.sim.demo import build_demo_world
from beeper_tui.sim.faults import FaultRule, Faults, parse_fault_spec
from beeper_tui.sim.transport import sim_transport
from beeper_tui.sim.world import World

__all__ = [
    "FaultRule",
    "Faults",
    "ManualClock",
    "World",
    "build_demo_world",
    "create_app",
    "parse_fault_spec",
    "sim_transport",
]
