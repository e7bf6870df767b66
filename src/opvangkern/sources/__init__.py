"""Source adapters: the plugin hooks, the adapter interface and the toolkit adapters build on.

Adapters live in plugins (``plugins/`` in this repository); the core registers none itself.
"""
