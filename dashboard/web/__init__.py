"""The web app: factory, server, page shell and one module per panel (`panels/`).

`create_app(settings)` builds the Dash app; `create_server()` is the WSGI entry
for gunicorn: `gunicorn 'dashboard.web:create_server()'`.
"""

from dashboard.web.app import Settings, create_app, create_server

__all__ = ["Settings", "create_app", "create_server"]
