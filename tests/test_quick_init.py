"""parsers/quick_init.py: the faster __init__ keeps a frozen slots dataclass what it was."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from parsers.facts import Locator
from parsers.quick_init import quick_init


def test_a_quick_init_class_is_still_frozen_equal_hashable_and_picklable() -> None:
    loc = Locator(sheet="Sheet1", row=3, column="B")
    assert loc == Locator(sheet="Sheet1", row=3, column="B") and hash(loc) == hash(Locator(sheet="Sheet1", row=3,
                                                                                          column="B"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.row = 4  # type: ignore[misc]
    assert dataclasses.replace(loc, row=4).row == 4 and loc.row == 3
    assert pickle.loads(pickle.dumps(loc)) == loc
    assert Locator() == Locator(member=None, sheet=None, page=None, table=None, row=None, column=None, bbox=None)


def test_quick_init_refuses_a_class_it_cannot_reproduce() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithPostInit:
        x: int

        def __post_init__(self) -> None:
            pass

    with pytest.raises(TypeError, match="not a plain frozen slots dataclass"):
        quick_init(WithPostInit)

    @dataclasses.dataclass
    class NotFrozen:
        x: int

    with pytest.raises(TypeError):
        quick_init(NotFrozen)


def test_default_factories_give_each_instance_its_own_value() -> None:
    @quick_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Holder:
        name: str
        items: list[int] = dataclasses.field(default_factory=list)

    a, b = Holder("a"), Holder("b")
    assert a.items == [] and a.items is not b.items and Holder("c", [1]).items == [1]
