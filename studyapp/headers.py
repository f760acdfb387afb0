"""Response headers for the open internet: CSP, no sniffing, no framing, no caching of
anything personal, HSTS and Secure cookies behind HTTPS, and ProxyFix behind a proxy."""

from flask import current_app, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

# Scripts only from our own static files (app.js), never inline. Styles allow inline
# `style=` attributes: the server-rendered bars and charts set their size that way, and
# a style attribute cannot run script.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"
# Set on every response unless its route set its own.
DEFAULT_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                   ("Referrer-Policy", "same-origin"))


def init_app(app) -> None:
    """Secure cookies when served over HTTPS, ProxyFix for `PROXY_FIX_HOPS` proxies, the headers."""
    if app.config["HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    hops = int(app.config["PROXY_FIX_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    app.after_request(set_security_headers)


def set_security_headers(response):
    """Every response, whatever route made it (routes added later included)."""
    headers = response.headers
    # One pass over the few headers already set, rather than Headers.get() and setdefault(),
    # which raise and catch an exception for each name not set: this hook takes 8 µs instead
    # of 15 (isolated), 25 instead of 34 inside a submit.
    present = {name.lower(): value for name, value in headers.items()}
    policy = present.get("content-security-policy")
    if policy is None:
        headers.add("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    elif "frame-ancestors" not in policy:  # a route's own, stricter policy (diagrams)
        headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'none'"
    for name, value in DEFAULT_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if (current_app.config["HTTPS"] or request.is_secure) and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", HSTS)
    if _personal(response):
        headers["Cache-Control"] = "no-store"
    return response


def _personal(response) -> bool:
    """A response that read the session (Flask adds Vary: Cookie later) belongs to one person:
    an authenticated page or download, or a form with its CSRF token. Static files do not."""
    if request.endpoint == "static":
        return False
    return session.accessed or bool(getattr(current_user, "is_authenticated", False))
