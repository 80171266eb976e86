"""The person record page is assembled from sections that other apps contribute.

The people app owns the page but not its contents: the plan, the timeline, the
findings and the bills belong to their own apps. Each app registers a section
function in its `AppConfig.ready()`; the page renders the sections in order.
This keeps the dependency pointing one way (apps depend on people, never the
reverse) and lets an app add its part without editing the person template.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

SectionFunction = Callable[..., "Section | None"]


@dataclass(frozen=True)
class Section:
    """One block of the person page: a heading, a template and its context."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    anchor: str = ""


_registry: list[tuple[int, SectionFunction]] = []


def register(order: int):
    """Register `func(request, person) -> Section | None` at position `order`.

    Lower orders render first. Returning None hides the section (for example
    the bills section for a role that may not see bills).
    """

    def decorator(func: SectionFunction) -> SectionFunction:
        if all(existing is not func for _, existing in _registry):
            _registry.append((order, func))
            _registry.sort(key=lambda item: item[0])
        return func

    return decorator


def sections_for(request, person) -> list[Section]:
    """The sections of `person`'s page as `request.user` may see them."""
    sections = (func(request, person) for _, func in _registry)
    return [section for section in sections if section is not None]
