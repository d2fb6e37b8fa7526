"""Our printed documents fetch nothing: a link or a style that slipped into one never makes
the server ask another machine (or itself) for a page."""

import http.server
import threading

from hoiccb.lib.pdf import html_pdf


def test_a_document_of_ours_fetches_nothing_but_data_urls(tmp_path):
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("không được đọc")
    dot = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>"
    try:
        pdf = html_pdf(
            f'<p style="background: url({url}/nen)">Nguyễn Văn Hùng</p><img src="{url}/anh">'
            f'<link rel="stylesheet" href="{url}/kieu.css"><img src="file://{secret}"><img src="{dot}">'
        )
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF")
    assert asked == []
