"""aiogram without building every pydantic schema at import (issue #9: startup and memory).

`import aiogram` builds validators for ~400 Telegram types and ~190 API methods: about 2.2 s
of CPU and 100 MB of memory (aiogram 3.31, pydantic 2.13), most of it for types and methods
the bot never sees. The expensive part is the loop at the end of `aiogram/types/__init__.py`,
which calls `model_rebuild(_types_namespace=…)` on every type (they are declared with
`defer_build=True`, so nothing is built before that loop), and the eager build of every
`TelegramMethod` subclass when its class is created.

`install()` registers an import hook (aiogram is not imported then). When aiogram is
imported for the first time:

- that loop's `model_rebuild` calls only record the namespace aiogram passes (all type
  names). The names go into each type's module – what the `if TYPE_CHECKING:` imports there
  would have defined – and into the type's `__pydantic_parent_namespace__`, so pydantic's
  own deferred build resolves them when a type is first used, also nested in a method or in
  `Response[…]`;
- `TelegramMethod` gets `defer_build=True` before its subclasses are created;
- a sample update is parsed and a sample `SendMessage` serialised. Should that fail (a
  pydantic or aiogram version that works differently), every type and method is built at
  once, as a plain `import aiogram` does, and a WARNING says so (the bot works, it only
  starts about 2 s slower).

The import then takes about 0.5 s and 70 MB instead of 2.2 s and 170 MB (peak resident
memory); the samples build Message, Update and SendMessage, which the first update needs
anyway. Everything else is built on first use. `install()` must run before anything imports
aiogram; importing this module does nothing by itself. The entry point calls it: `lotse run`
(bot/cli.py), unless FAST_AIOGRAM=0. `outcome()` tells what happened, for the start-up log.
The echo bot of the benchmark (bench/echo_bot.py) imports aiogram plainly on purpose, as
the baseline.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import inspect
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

TYPES_PACKAGE = "aiogram.types"
METHODS_BASE = "aiogram.methods.base"
SAMPLE_UPDATE: dict[str, Any] = {
    "update_id": 1,
    "message": {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": 1, "type": "private", "first_name": "A"},
        "from": {"id": 1, "is_bot": False, "first_name": "A"},
        "text": "hallo",
    },
}


SLOWER = "every type built at import (about 2 s longer start, 100 MB more)"
# What the hook did in this process, for the start-up log (one process, one aiogram import).
_outcome = "off: aiogram imported plainly"


def install() -> bool:
    """Make the first `import aiogram` defer schema building; idempotent, cheap.

    False, with a WARNING, where it cannot apply (aiogram already imported, or pydantic
    without the details this relies on): aiogram is then imported plainly.
    """
    if any(isinstance(f, _Hook) for f in sys.meta_path):
        return True
    if "aiogram" in sys.modules:
        _fell_back("aiogram was imported before install()")
        return False
    if not _pydantic_fits():
        _fell_back("pydantic's model_rebuild differs")
        return False
    sys.meta_path.insert(0, _Hook())
    _note("installed, aiogram not imported yet")
    return True


def outcome() -> str:
    """One line for the start-up log: applied, fallen back, or off."""
    return _outcome


def _note(text: str) -> None:
    global _outcome
    _outcome = text


def _fell_back(reason: str) -> None:
    _note(f"fast import not applied ({reason}): {SLOWER}")
    log.warning("fast aiogram import not applied (%s): %s", reason, SLOWER)


def _pydantic_fits() -> bool:
    """The two pydantic details this relies on are still there."""
    try:
        from pydantic import BaseModel
    except ImportError:
        return False
    rebuild = BaseModel.__dict__.get("model_rebuild")
    return (
        isinstance(rebuild, classmethod)
        and "_types_namespace" in inspect.signature(rebuild.__func__).parameters
        and hasattr(BaseModel, "__pydantic_parent_namespace__")
    )


class _Hook(importlib.abc.MetaPathFinder):
    """Wraps the loading of `aiogram` (defer, then check) and of `aiogram.methods.base`."""

    def __init__(self) -> None:
        self.deferred: list[type] = []  # the types whose build was left for their first use
        self.namespace: Mapping[str, Any] | None = None
        self.methods_deferred = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "aiogram":
            return self._wrapped(fullname, path, self._load_aiogram)
        if fullname == METHODS_BASE:
            return self._wrapped(fullname, path, self._load_methods_base)
        return None

    @staticmethod
    def _wrapped(
        fullname: str,
        path: Sequence[str] | None,
        load: Callable[[Callable[[ModuleType], None], ModuleType], None],
    ) -> importlib.machinery.ModuleSpec | None:
        """The spec the normal path search finds, its `exec_module` run through `load`."""
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return None  # not a plain file import: let the normal machinery do it
        real = loader.exec_module
        loader.exec_module = lambda module: load(real, module)  # type: ignore[method-assign]
        return spec

    def _load_aiogram(self, real: Callable[[ModuleType], None], module: ModuleType) -> None:
        from pydantic import BaseModel

        original = BaseModel.__dict__["model_rebuild"]
        BaseModel.model_rebuild = classmethod(self._recording(original.__func__))  # type: ignore[method-assign,assignment]
        try:
            real(module)
        finally:
            BaseModel.model_rebuild = original  # type: ignore[method-assign]
            sys.meta_path[:] = [f for f in sys.meta_path if f is not self]
        self._check(original.__func__)

    def _recording(self, rebuild: Callable[..., bool | None]) -> Callable[..., bool | None]:
        """model_rebuild that, for aiogram.types' loop, records instead of building."""

        def model_rebuild(cls: Any, **kwargs: Any) -> bool | None:
            namespace = kwargs.get("_types_namespace")
            if (
                namespace is None
                or not cls.__module__.startswith(TYPES_PACKAGE + ".")
                or cls.__pydantic_complete__
            ):
                # One frame more between the caller and pydantic's look-up of its namespace.
                depth = kwargs.get("_parent_namespace_depth", 2)
                return rebuild(cls, **{**kwargs, "_parent_namespace_depth": depth + 1})
            if self.namespace is None:
                self.namespace = namespace
                _share_names(namespace)
            # One dict shared by all types (pydantic only reads it); aiogram keeps no other.
            cls.__pydantic_parent_namespace__ = namespace
            self.deferred.append(cls)
            return None

        return model_rebuild

    def _load_methods_base(self, real: Callable[[ModuleType], None], module: ModuleType) -> None:
        real(module)
        config = getattr(getattr(module, "TelegramMethod", None), "model_config", None)
        if isinstance(config, dict):
            config["defer_build"] = True  # inherited by every method class created after this
            self.methods_deferred = True

    def _check(self, rebuild: Callable[..., bool | None]) -> None:
        """Parse and serialise samples; if that fails, build everything now (plain aiogram)."""
        if not self.deferred and not self.methods_deferred:
            _fell_back("aiogram's schema loop not found, nothing deferred")
            return
        try:
            _sample_round_trip()
        except Exception as exc:
            # The samples are fixed data (no person's): the reason may be logged as it is.
            _note(f"fast import failed its check: {SLOWER}")
            log.warning(
                "fast aiogram import failed its check (%s: %s): %s",
                type(exc).__name__,
                str(exc)[:200],
                SLOWER,
            )
            self._build_all(rebuild)
            return
        _note(f"types built on first use ({len(self.deferred)} deferred)")

    def _build_all(self, rebuild: Callable[..., bool | None]) -> None:
        from aiogram.methods.base import TelegramMethod

        if self.methods_deferred:
            TelegramMethod.model_config["defer_build"] = False
        for cls in self.deferred:
            rebuild(cls, force=True, _types_namespace=self.namespace)
        for method in _subclasses(TelegramMethod):
            rebuild(method, force=True, _types_namespace={})  # as at class creation


def _share_names(namespace: Mapping[str, Any]) -> None:
    """Each aiogram.types module gets the names it imports only `if TYPE_CHECKING:`."""
    for name, module in list(sys.modules.items()):
        if name.startswith(TYPES_PACKAGE + ".") and module is not None:
            for key, value in namespace.items():
                module.__dict__.setdefault(key, value)


def _sample_round_trip() -> None:
    from aiogram.methods import SendMessage
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

    # Message first: built on its own it is complete, and Update (and the Response[Message]
    # of every send) reuse its validator instead of building the whole graph again.
    Message.model_validate(SAMPLE_UPDATE["message"])
    update = Update.model_validate(SAMPLE_UPDATE)
    if update.message is None or update.message.from_user is None:
        raise ValueError("sample update parsed without its message")
    button = InlineKeyboardButton(text="a", callback_data="b")
    markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    SendMessage(chat_id=1, text="a", reply_markup=markup).model_dump(warnings=False)


def _subclasses(cls: type) -> list[Any]:
    found: list[Any] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
