"""The guide's nginx configuration, as an operator writes it (docs/deploy.md, « nginx and
HTTPS »), through the real nginx: `nginx -t` with a throwaway certificate where certbot puts
its own, then served on loopback ports in front of a stand-in for gunicorn: the catch-all drops
other names, the documents' internal location sends nosniff and a sandbox policy, a stopped
portal shows the maintenance page (issue #26). CI installs nginx (.ci/run); elsewhere the test
is skipped when nginx is missing, saying so."""

import http.client
import http.server
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import free_port

ROOT = Path(settings.BASE_DIR)
GUIDE = ROOT / "docs" / "deploy.md"
CERTIFICATE = "/etc/letsencrypt/live/portail.example.org/fullchain.pem"
PRIVATE_KEY = "/etc/letsencrypt/live/portail.example.org/privkey.pem"


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        message = f"{name} is not installed (apt-get install {name})"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run this test")
        pytest.skip(message)
    return path


def guide_files() -> dict[str, str]:
    """The files the guide has the operator write, by their path in /etc/nginx."""
    blocks = re.findall(r"```nginx\n(# (/etc/nginx/\S+)\n.*?)```", GUIDE.read_text(), re.S)
    return {path: text for text, path in blocks}


@pytest.fixture
def nginx_setup(tmp_path):
    """The guide's files with the certificate certbot would have written (a throwaway one,
    same paths rewritten), in an nginx.conf like Debian's: mime types, sites-enabled."""
    nginx, openssl = _tool("nginx"), _tool("openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=portail.example.org", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    sites = tmp_path / "sites-enabled"
    sites.mkdir()
    for temporary in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / temporary).mkdir()
    return nginx, tmp_path, sites


def write_conf(tmp_path: Path, sites: Path, *, root_user: bool = False) -> Path:
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        ("user root;\n" if root_user and os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        # An access log for every site, as Debian's nginx.conf has.
        f"http {{\n{mime}\naccess_log {tmp_path}/access.log;\n"
        + "".join(
            f"{kind}_temp_path {tmp_path}/{kind};\n"
            for kind in ("proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"client_body_temp_path {tmp_path}/body;\ninclude {sites}/*;\n}}\n"
    )
    return conf


def nginx_command(nginx: str, tmp_path: Path, conf: Path, *options: str) -> list[str]:
    """Everything under tmp_path: no file of the system's nginx is read or written."""
    return [
        nginx,
        "-p",
        str(tmp_path),
        "-e",
        str(tmp_path / "error.log"),
        "-c",
        str(conf),
        *options,
    ]


def with_certificate(text: str, tmp_path: Path) -> str:
    return text.replace(CERTIFICATE, str(tmp_path / "fullchain.pem")).replace(
        PRIVATE_KEY, str(tmp_path / "privkey.pem")
    )


def test_the_guide_gives_the_http_file_with_its_catch_all_then_the_https_file():
    files = guide_files()
    assert list(files) == [
        "/etc/nginx/sites-available/ptce-http",
        "/etc/nginx/sites-available/ptce",
    ]
    http_file, https_file = files.values()
    assert "default_server" in http_file and "return 444;" in http_file
    assert "ssl_reject_handshake on;" in http_file
    assert "/.well-known/acme-challenge/" in http_file
    assert CERTIFICATE in https_file and PRIVATE_KEY in https_file
    guide = GUIDE.read_text()
    # The order that works: the HTTP part, certbot, and only then the file that needs it.
    assert (
        guide.index("sites-available/ptce-http\n")
        < guide.index("sudo certbot certonly --webroot")
        < guide.index("# /etc/nginx/sites-available/ptce\n")
    )


def test_the_guides_nginx_configuration_passes_nginx_t(nginx_setup):
    nginx, tmp_path, sites = nginx_setup
    for path, text in guide_files().items():
        (sites / Path(path).name).write_text(with_certificate(text, tmp_path))
    conf = write_conf(tmp_path, sites)
    result = subprocess.run(
        nginx_command(nginx, tmp_path, conf, "-t"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_https_file_alone_fails_before_the_certificate_exists(nginx_setup):
    """Why the guide has certbot run between the two files: nginx refuses it without one."""
    nginx, tmp_path, sites = nginx_setup
    https_file = guide_files()["/etc/nginx/sites-available/ptce"]
    missing = tmp_path / "not-yet"
    (sites / "ptce").write_text(https_file.replace("/etc/letsencrypt", str(missing)))
    conf = write_conf(tmp_path, sites)
    result = subprocess.run(
        nginx_command(nginx, tmp_path, conf, "-t"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "cannot load certificate" in result.stderr


def test_the_security_pages_media_snippet_passes_nginx_t(nginx_setup):
    nginx, tmp_path, sites = nginx_setup
    page = (ROOT / "docs/security.md").read_text()
    (snippet,) = re.findall(r"```nginx\n(location /media/.*?)```", page, re.S)
    (sites / "media").write_text(f"server {{\nlisten 127.0.0.1:{free_port()};\n{snippet}}}\n")
    conf = write_conf(tmp_path, sites)
    result = subprocess.run(
        nginx_command(nginx, tmp_path, conf, "-t"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


class Portal(http.server.BaseHTTPRequestHandler):
    """gunicorn's stand-in: a document's view says yes with X-Accel-Redirect, as
    space/views/documents.py does with DOCUMENTS_ACCEL_REDIRECT=/documents-proteges/."""

    def do_GET(self):
        self.send_response(200)
        if self.path == "/mon-espace/documents/1/":
            self.send_header("X-Accel-Redirect", "/documents-proteges/compte-rendu.pdf")
        self.send_header("Content-Length", "6")
        self.end_headers()
        self.wfile.write(b"portal")

    def log_message(self, *args):
        pass


@pytest.fixture
def served(nginx_setup):
    """The guide's two files served by a real nginx on loopback ports, in front of the
    stand-in; the documents folder and the maintenance page from the work tree's layout."""
    nginx, tmp_path, sites = nginx_setup
    documents = tmp_path / "app" / "private" / "documents"
    documents.mkdir(parents=True)
    (documents / "compte-rendu.pdf").write_bytes(b"%PDF-1.4 minutes")
    portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    for path, text in guide_files().items():
        text = with_certificate(text, tmp_path)
        text = re.sub(r"\n\s*listen \[::\]:\d+[^\n]*", "", text)  # no IPv6 needed here
        text = re.sub(r"listen 80\b", f"listen 127.0.0.1:{http_port}", text)
        text = re.sub(r"listen 443\b", f"listen 127.0.0.1:{https_port}", text)
        text = text.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{portal.server_port}")
        text = text.replace("/srv/ptce/app/private/documents/", f"{documents}/")
        text = text.replace("root /srv/ptce/app/deploy;", f"root {ROOT / 'deploy'};")
        (sites / Path(path).name).write_text(text)
    conf = write_conf(tmp_path, sites, root_user=True)
    process = subprocess.Popen(nginx_command(nginx, tmp_path, conf, "-g", "daemon off;"))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield portal, http_port, https_port
    process.terminate()
    process.wait(timeout=10)
    portal.shutdown()


def https_get(port: int, path: str, host: str = "portail.example.org"):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    # The name in the TLS handshake (SNI), by which nginx chooses the server block.
    tls = context.wrap_socket(
        socket.create_connection(("127.0.0.1", port), timeout=5), server_hostname=host
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.sock = tls
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    return response, response.read()


def test_nginx_sends_a_document_with_nosniff_and_a_sandbox_policy(served):
    _, _, https_port = served
    response, body = https_get(https_port, "/mon-espace/documents/1/")
    assert response.status == 200
    assert body == b"%PDF-1.4 minutes"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Security-Policy") == "sandbox; default-src 'none'"
    assert response.getheader("Content-Disposition") == "attachment"
    assert response.getheader("Content-Type") == "application/octet-stream"
    # The internal location is reached only through the portal's yes.
    response, _ = https_get(https_port, "/documents-proteges/compte-rendu.pdf")
    assert response.status == 404


def test_nginx_passes_the_pages_to_the_portal_and_redirects_http(served):
    _, http_port, https_port = served
    response, body = https_get(https_port, "/")
    assert (response.status, body) == (200, b"portal")
    connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
    connection.request("GET", "/agenda/", headers={"Host": "portail.example.org"})
    redirect = connection.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == "https://portail.example.org/agenda/"


def test_the_catch_all_drops_other_names_before_the_portal_sees_them(served):
    _, http_port, https_port = served
    connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
    connection.request("GET", "/", headers={"Host": "203.0.113.7"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        connection.getresponse()  # 444: closed without an answer
    with pytest.raises(ssl.SSLError):
        https_get(https_port, "/", host="scanner.example.net")


def test_a_stopped_portal_shows_the_maintenance_page(served):
    portal, _, https_port = served
    portal.shutdown()
    portal.server_close()
    response, body = https_get(https_port, "/agenda/")
    assert response.status == 502
    assert "Le site est en maintenance" in body.decode()


def test_nginx_writes_no_personal_links_token_in_its_access_log(served, nginx_setup):
    # gunicorn logs the portal's requests with the tokens masked; nginx's own log must not
    # keep them (a registration's, an answer's, a sign-in's), over HTTPS or HTTP.
    _, tmp_path, _ = nginx_setup
    _, http_port, https_port = served
    token = "Rr4tY6uI8oP0aS2dF4gH6jK8"
    for path in (f"/evenements/mon-inscription/{token}/", f"/groupes/reponse/{token}/"):
        response, _ = https_get(https_port, path)
        assert response.status == 200
        connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
        connection.request("GET", path, headers={"Host": "portail.example.org"})
        assert connection.getresponse().status == 301
    https_get(https_port, "/static/ptce.css")  # the static files are still logged
    deadline = time.monotonic() + 5
    log = tmp_path / "access.log"
    while "/static/ptce.css" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, "nginx logged nothing"
        time.sleep(0.05)
    assert token not in log.read_text()
