"""Serving agents over HTTP: the OpenAI-compatible API, a JSON API, and the web pages.

`create_app(root)` builds the ASGI app over one workspace; models and indexes load once
per process, and nothing is kept between requests but caches of what the store holds.
"""

from onrecord.serve.app import create_app

__all__ = ["create_app"]
