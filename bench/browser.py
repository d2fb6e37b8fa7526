"""A logged-in user's browser for the cluster test and the load bench: cookies, CSRF, forms as sent.

Standard library only (urllib), so the scripts need nothing the project does not have.
"""

import http.cookiejar
import io
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser

PASSWORD = os.environ.get("DEMO_PASSWORD", "hoiccb-demo")


class Form(HTMLParser):
    """The fields of the first form of a page whose action contains `action`, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.done, self.fields = action, False, False, {}
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and self.action in (a.get("action") or ""):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and (self.select not in self.fields or "selected" in a):
            self.fields[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


class Browser:
    """One user's browser: cookies, the CSRF token, and a web process to ask for by name (or none)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), urllib.request.HTTPRedirectHandler()
        )
        self.times: list[float] = []

    def request(self, method, path, data=None, *, web=None, headers=None, content_type=None):
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if web:
            req.add_header("X-Cluster-Web", web)
        if method == "POST":
            req.add_header("X-CSRFToken", self.cookie("csrftoken") or "")
            req.add_header("Referer", self.url + path)
        if content_type:
            req.add_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        began = time.monotonic()
        try:
            response = self.opener.open(req, timeout=120)
        except urllib.error.HTTPError as exc:
            response = exc
        body = response.read()
        self.times.append(time.monotonic() - began)
        return response.status, response.headers, body

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, fields, *, files=None, **kw):
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken") or "", **fields}
        if not files:
            return self.request("POST", path, urllib.parse.urlencode(fields).encode(), content_type=None, **kw)
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, data) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            out.write(data + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, out.getvalue(), content_type=f"multipart/form-data; boundary={boundary}", **kw
        )

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def drop_cookie(self, name):
        for c in list(self.jar):
            if c.name == name:
                self.jar.clear(c.domain, c.path, c.name)

    def form(self, path, action, **kw):
        _status, _, body = self.get(path, **kw)
        parser = Form(action)
        parser.feed(body.decode())
        return parser.fields

    def login(self, username):
        self.get("/accounts/login/")
        status, _headers, body = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        return (status == 200 and b'action="/accounts/logout/"' in body) or b"logout" in body
