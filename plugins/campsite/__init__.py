"""campsite: event-series microsites on Pelican.

As a Pelican plugin (PLUGINS = ["campsite"]), `register()` connects the
campsite signals; the model and loader can be used without Pelican.
"""

__version__ = "0.1.0"


def register() -> None:
    from .pelican_plugin import register as register_plugin

    register_plugin()
