"""``communique serve``: a read-only web UI and JSON API over a communique store.

- ``queries``: the read-only queries (events, article view, cluster, series, map, network), usable
  without the server; every value bound as a parameter, every statement under a time limit.
- ``charts``: our own SVG drawings (dyad chart, map, network).
- ``worldmap``: the offline world outline, from GeoNames places already installed.
- ``app``: the FastAPI app (pages and ``/api/…``) and ``serve()``.

Needs the ``serve`` extra (FastAPI, Jinja2, uvicorn): ``pip install 'communique[serve]'``.
"""
