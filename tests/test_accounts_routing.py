"""The accounts screen's routing, without an app: which keys the bridges view turns off, and
which Beeper Desktop an account (and its feed) belongs to when there are several."""

from __future__ import annotations

import pytest

from beeper_tui.api.models import Bridge
from beeper_tui.connect import connect_demo
from beeper_tui.sim import World
from beeper_tui.tui.accounts.feed import FeedUpdate
from beeper_tui.tui.accounts.keys import ACCOUNTS_KEYS, LIST_ACTIONS, key_enabled
from beeper_tui.tui.accounts.targets import feeds_for, target_named, target_of, targets_label
from beeper_tui.tui.app import DesktopTarget
from beeper_tui.tui.login.open_sessions import OpenSessions
from tests.support import bridges_requests
from tests.support.apps import quiet_world


def desktop(name: str | None, world: World) -> DesktopTarget:
    return DesktopTarget(name, connect_demo(world), OpenSessions())


@pytest.mark.parametrize("action", sorted(LIST_ACTIONS))
def test_the_bridges_view_turns_off_the_keys_of_the_accounts_list(action: str) -> None:
    assert key_enabled(action, (), on_bridges_view=False)
    assert not key_enabled(action, (), on_bridges_view=True)


def test_add_refresh_and_quit_work_in_both_views_and_b_offers_the_other_view() -> None:
    for on_bridges_view in (False, True):
        for action in ("add", "refresh", "app.quit"):
            assert key_enabled(action, (), on_bridges_view=on_bridges_view)
    assert key_enabled("show_view", ("bridges-view",), on_bridges_view=False)
    assert not key_enabled("show_view", ("accounts-view",), on_bridges_view=False)
    assert key_enabled("show_view", ("accounts-view",), on_bridges_view=True)
    assert not key_enabled("show_view", ("bridges-view",), on_bridges_view=True)


def test_every_key_of_the_list_is_bound_and_described() -> None:
    bound = {binding.action: binding for binding in ACCOUNTS_KEYS if not isinstance(binding, tuple)}
    assert bound.keys() >= LIST_ACTIONS
    assert all(binding.description for binding in bound.values())


async def test_an_account_is_acted_on_at_its_own_desktop_and_the_header_names_them() -> None:
    home, work = desktop("home", quiet_world()), desktop("work", quiet_world())
    feeds = feeds_for([home, work], interval=10, first_answer=None)
    answer = await feeds.refresh("work")
    assert isinstance(answer, FeedUpdate)
    row = answer.rows[0]
    assert row.target == "work"
    assert target_of([home, work], row) is work
    assert target_of([home, work], None) is home
    assert target_named([home, work], "gone") is home  # a target no longer configured
    assert targets_label([home, work]) == "2 Beeper Desktops: home, work"
    assert targets_label([home]) == "embedded demo"


async def test_only_the_first_desktop_takes_the_answer_asked_for_at_start() -> None:
    home_world, work_world = quiet_world(), quiet_world()
    home, work = desktop("home", home_world), desktop("work", work_world)
    early = await home.client.bridges()
    asked = bridges_requests(home_world)

    async def the_early_answer() -> list[Bridge]:
        return early

    feeds = feeds_for([home, work], interval=10, first_answer=the_early_answer())
    assert isinstance(await feeds.refresh("home"), FeedUpdate)
    assert isinstance(await feeds.refresh("work"), FeedUpdate)
    assert bridges_requests(home_world) == asked  # the first refresh used the early answer
    assert bridges_requests(work_world) == 1
    assert {row.target for row in feeds.rows} == {"home", "work"}
