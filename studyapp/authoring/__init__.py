"""The trainer's workspace: the question bank in the browser (see routes.py)."""
