"""Cheaper Python code for Jinja templates, with the same results (a ``code_generator_class``).

Two things every template does most, written without their function layers:

- ``{{ x.name }}``: Jinja calls ``environment.getattr(x, "name")``, a Python method (attribute, else
  item, else the environment's undefined). Here the attribute is looked up in the template's own code
  (``getattr`` with a default, which catches the same ``AttributeError``); only when there is none does
  a function run: the item, else the undefined (:func:`_item`, Jinja's second half, the same objects
  and errors: ``StrictUndefined`` still raises where it raised).
- ``{{ x }}`` in an autoescaped template: Jinja calls MarkupSafe's ``escape(x)``, which builds a
  ``Markup`` (its ``__new__`` is Python too) only for the string to be joined into the page. Here a
  ``str`` is escaped by MarkupSafe's C function and a ``Markup`` is taken as it is, in the template's
  code; anything else (numbers, None, objects with ``__html__``) goes through ``escape`` as before.
  Only the output stream's pieces change type (``str`` for ``Markup``): everything Jinja builds from
  them (a page, a macro's or ``{% set %}`` block's value, ``super()``, a filter block) joins them
  first and is ``Markup`` where it was.

Anything else is Jinja's own code: asynchronous or sandboxed environments, an environment whose class
changes ``getattr``, non-escaped output (``str(x)``, already C), ``{% autoescape %}`` blocks decided
while rendering (a small function instead of ``escape``), constants (escaped while compiling).
Only for Jinja 3.1 (:data:`SUPPORTED`), whose code generator this is written against; the compiled
templates' cache key contains this module's source (``render.fingerprint``), so an edit here compiles
them afresh.
"""

from __future__ import annotations

from collections import ChainMap
from typing import Any, Iterator

import jinja2
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from markupsafe import Markup, escape

try:
    from markupsafe._speedups import _escape_inner
except ImportError:  # MarkupSafe without its C extension: its Python twin, same characters
    from markupsafe._native import _escape_inner

SUPPORTED = jinja2.__version__.startswith("3.1.")
"""Jinja versions this generator is written for; others compile with Jinja's own generator."""

_NONE = object()
"""No such attribute (private: no template value can be it)."""


_SUBSCRIPTABLE: dict[type, bool] = {}
"""Whether ``obj[...]`` may give an item, by the object's class (asking the class raises and catches
an error inside Python when the answer is no)."""


def _subscriptable(kind: type) -> bool:
    if len(_SUBSCRIPTABLE) > 4096:  # classes made on the fly
        _SUBSCRIPTABLE.clear()
    _SUBSCRIPTABLE[kind] = answer = hasattr(kind, "__getitem__") or issubclass(kind, type)
    return answer


def _item(environment: jinja2.Environment, obj: Any, attribute: str) -> Any:
    """The rest of ``Environment.getattr`` once ``obj`` has no attribute ``attribute``: its item, else
    the undefined. Without raising and catching an error where the answer is known: a ``dict``'s
    missing key (the class itself has no ``__missing__``), and an object whose class has no
    ``__getitem__`` (``None``, a page or a heading of MkDocs: ``obj[...]`` raises ``TypeError``; a class,
    an instance of a metaclass, may have ``__class_getitem__``, so it is asked)."""
    kind = type(obj)
    if kind is dict:
        value = obj.get(attribute, _NONE)
        if value is not _NONE:
            return value
    elif _SUBSCRIPTABLE.get(kind) or (_SUBSCRIPTABLE.get(kind) is None and _subscriptable(kind)):
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            pass
    return environment.undefined(obj=obj, name=attribute)


def _escaped(value: Any) -> str:
    """``escape(value)`` as characters to join (a volatile ``{% autoescape %}`` block's output)."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    return escape(value)


_kt_none, _kt_item, _kt_esc, _kt_inner = _NONE, _item, _escaped, _escape_inner
_NAMES = ("_kt_esc", "_kt_inner", "_kt_item", "_kt_none")
"""What the generated code uses besides Jinja's runtime names (imported at its top)."""


class CodeGenerator31(CodeGenerator):
    """Jinja 3.1's code generator with the shorter code described in the module's docstring."""

    def __init__(self, environment: jinja2.Environment, *args: Any, **kwargs: Any) -> None:
        super().__init__(environment, *args, **kwargs)
        self._plain = (not environment.is_async and not environment.sandboxed
                       and type(environment).getattr is jinja2.Environment.getattr)

    def visit_Template(self, node: jinja2.nodes.Template, frame: Frame | None = None) -> None:
        if self._plain:
            self.writeline(f"from {__name__} import " + ", ".join(_NAMES))
        super().visit_Template(node, frame)

    @optimizeconst
    def visit_Getattr(self, node: jinja2.nodes.Getattr, frame: Frame) -> None:
        if not self._plain:
            super().visit_Getattr(node, frame)
            return
        # An enclosing lookup's object is evaluated completely before its own names are assigned, and
        # nothing runs between their assignment and their use: one pair of names serves nested lookups.
        self.write("(_kt_r if (_kt_r := getattr((_kt_o := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, _kt_none)) is not _kt_none else _kt_item(environment, _kt_o, {node.attr!r}))")

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self._plain or not (frame.eval_ctx.volatile or frame.eval_ctx.autoescape):
            super()._output_child_pre(node, frame, finalize)
            return
        if frame.eval_ctx.volatile:
            self.write("(_kt_esc if context.eval_ctx.autoescape else str)(")
        else:
            # an output's expression holds no other output: one pair of names serves every output
            self.write("(_kt_inner(_kt_v) if (_kt_t := type(_kt_v := ")
        if finalize.src is not None:
            self.write(finalize.src)

    def _output_child_post(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self._plain or not (frame.eval_ctx.volatile or frame.eval_ctx.autoescape):
            super()._output_child_post(node, frame, finalize)
            return
        if finalize.src is not None:
            self.write(")")
        if frame.eval_ctx.volatile:
            self.write(")")
        else:
            self.write(")) is str else _kt_v if _kt_t is Markup else _kt_esc(_kt_v))")


class Globals(ChainMap):
    """A template's globals as Jinja keeps them (its own over the environment's, a live view), listed
    and asked in C: every template context lists them (``set(globals)``, tens of thousands of times a
    build) and every ``{% import %}`` compares them with the context's (``keys() - ...``)."""

    def __iter__(self) -> Iterator[str]:
        maps = self.maps
        if len(maps) == 2 and type(maps[0]) is dict and type(maps[1]) is dict:
            return iter({**maps[1], **maps[0]})  # ChainMap's order: the last map's keys first
        return super().__iter__()

    def __contains__(self, key: object) -> bool:
        maps = self.maps
        if len(maps) == 2:
            return key in maps[0] or key in maps[1]
        return super().__contains__(key)


class Template31(jinja2.Template):
    """Jinja 3.1's template with its globals as :class:`Globals` (the same maps)."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: Any, globals: Any) -> Any:
        if type(globals) is ChainMap:
            globals = Globals(*globals.maps)
        return super()._from_namespace(environment, namespace, globals)


def install(environment: jinja2.Environment) -> None:
    """Compile ``environment``'s templates with :class:`CodeGenerator31`, as :class:`Template31` (Jinja
    3.1 only, and only an environment with Jinja's own template class)."""
    if SUPPORTED:
        environment.code_generator_class = CodeGenerator31
        if environment.template_class is jinja2.Template:
            environment.template_class = Template31
