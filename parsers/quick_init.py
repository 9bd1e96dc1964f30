"""A faster `__init__` for the frozen, slotted dataclasses built hundreds of thousands of times per update.

A frozen dataclass's generated `__init__` sets each field through `object.__setattr__(self, name, value)`, which
looks the slot up by name every time: for `Locator`, `TableCell` and `Fact` that was most of the cost of building
a table's cells and a document's facts (about 10 us per `Locator`). `quick_init` replaces it with an `__init__` of
the very same signature that stores each field through its slot's descriptor directly (about half the time).
Nothing else changes: the instances stay frozen (assignment still raises), and `__eq__`, `__hash__`, `__repr__`,
`dataclasses.replace` and pickling are the dataclass's own.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen `slots=True` dataclass (no `__post_init__`, no keyword-only or init=False fields) an
    `__init__` that sets its slots directly; refuse any other class rather than guess."""
    params = getattr(cls, "__dataclass_params__", None)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if params is None or not params.frozen or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__") or any(
            not f.init or f.kw_only for f in fields):
        raise TypeError(f"quick_init: {cls.__name__} is not a plain frozen slots dataclass")
    namespace: dict[str, Any] = {"_FACTORY": object()}
    args, body = [], []
    for f in fields:
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{f.name}"] = f.default
            args.append(f"{f.name}=_default_{f.name}")
            body.append(f"    _set_{f.name}(self, {f.name})")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            args.append(f"{f.name}=_FACTORY")
            body.append(f"    _set_{f.name}(self, _factory_{f.name}() if {f.name} is _FACTORY else {f.name})")
        else:
            args.append(f.name)
            body.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body or ["    pass"]) + "\n"
    exec(source, namespace)  # noqa: S102 - code built above from the dataclass's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[misc]
    return cls
