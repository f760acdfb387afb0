"""Serving with gunicorn, the production WSGI server (not Flask's development server)."""

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Called in each worker, so every worker builds its own app and connections.
        from studyapp import create_app

        return create_app()


def run_gunicorn(bind: str, workers: int = 1, threads: int = 8) -> None:
    _Gunicorn({"bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
               "accesslog": "-", "timeout": 60}).run()
