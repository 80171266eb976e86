"""Find the factory of a model: `tests/factories/<app_label>.py` holds one per model.

Generic tests (the admin walk, the undeletable check) iterate over models and
need a row of each; a model without a factory fails them with a clear message.
"""

import importlib

from factory.django import DjangoModelFactory


def factory_for(model) -> type[DjangoModelFactory]:
    module_name = f"tests.factories.{model._meta.app_label}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        raise LookupError(f"{module_name} is missing (needed for {model.__name__})") from error
    for candidate in vars(module).values():
        if (
            isinstance(candidate, type)
            and issubclass(candidate, DjangoModelFactory)
            and candidate._meta.model is model
        ):
            return candidate
    raise LookupError(f"No factory for {model.__name__} in {module_name}")
