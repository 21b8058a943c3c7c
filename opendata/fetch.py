"""Reading another portal's files without letting it reach inside ours.

A package's address, and every address it names or redirects to, is typed by someone else:
it could point at the server's own services (a database, a cloud's metadata at
169.254.169.254) or hold a reader for ever. So, for every request and every redirect:
- only https:// (the certificate checked against the name);
- the name is resolved once, and every address it resolves to must be public (not private,
  loopback, link-local, multicast, reserved…); the connection goes to the addresses checked
  (the first that takes it, in the resolver's order), so a second resolution cannot swap
  them (DNS rebinding);
- a deadline for the whole exchange (connection, TLS handshake, headers, body: a watchdog
  shuts the socket at the deadline, so a server sending a byte now and then cannot hold the
  reader beyond it), and a size limit counted while reading (a Content-Length is not
  believed);
- at most MAX_REDIRECTS redirects, each checked as the first address.
Each refusal is a `Refused` with its reason in French, for the coordinator's report.

OPEN_DATA_HARVEST_ALLOW_LOOPBACK relaxes two rules for the tests' live instances only:
http:// and loopback addresses. Private and link-local addresses stay refused."""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 3
USER_AGENT = "PortailPTCE-donnees-ouvertes/1 (+lecture des paquets de donnees)"


class Refused(Exception):
    """A file not read, and why, in French."""


def _allow_loopback() -> bool:
    return settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK


# IPv6 addresses that carry an IPv4 one in their last 32 bits and reach it: NAT64's well-known
# prefix (RFC 6052) and the old « IPv4-compatible » form. Python calls them global whatever
# they carry (the IPv4-mapped ::ffff:0:0/96 it already reads through).
CARRYING_IPV4 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))


def _carried_ipv4(ip) -> ipaddress.IPv4Address | None:
    if ip.version == 6 and any(ip in network for network in CARRYING_IPV4):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_address(address: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope (« fe80::1%eth0 »)
    if ip.is_loopback and _allow_loopback():
        return
    carried = _carried_ipv4(ip)
    if not ip.is_global or ip.is_multicast or (carried and not carried.is_global):
        kind = (
            "de bouclage (loopback)"
            if ip.is_loopback
            else "lien-local"
            if ip.is_link_local
            else "privée ou réservée"
        )
        raise Refused(f"l'adresse {address} est {kind} : seules les adresses publiques sont lues")


def resolve(url: str) -> tuple[str, str, int, tuple[str, ...]]:
    """(scheme, host, port, the checked addresses to connect to, in the resolver's order of
    preference) for `url`, or Refused."""
    parts = urlsplit(url)
    allowed = ("https", "http") if _allow_loopback() else ("https",)
    if parts.scheme not in allowed:
        raise Refused(f"« {url} » n'est pas une adresse https://")
    if not parts.hostname:
        raise Refused(f"« {url} » n'a pas de nom de serveur")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(f"« {url} » a un port invalide") from None
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(f"le nom « {parts.hostname} » est introuvable") from None
    addresses = tuple(dict.fromkeys(info[4][0] for info in found))
    for address in addresses:
        check_address(address)
    if parts.scheme == "http" and not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise Refused(f"« {url} » n'est pas une adresse https://")
    return parts.scheme, parts.hostname, port, addresses


class _Watchdog:
    """Shuts a connection's socket down at the deadline, whatever it is waiting for: a socket
    timeout only bounds each receive, and a server sending one byte of its headers now and then
    would never meet it."""

    def __init__(self, deadline: float):
        self._lock = threading.Lock()
        self._sock = None
        self.fired = False
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                self._shut()

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._sock = None

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            if self._sock is not None:
                self._shut()

    def _shut(self) -> None:
        # The plain socket's shutdown, also for TLS: SSLSocket's own would unwrap it under the
        # reading thread's feet.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)


def _connect(addresses: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    """A connection to the first of the checked addresses that takes it: a name with an IPv6
    and an IPv4 address stays readable from a host without IPv6."""
    error = OSError("no address")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as refused:
            error = refused
    raise error


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to an address already checked, its certificate checked against the
    name."""

    def __init__(self, host, port, *, addresses, timeout, watchdog):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._addresses = addresses
        self._watchdog = watchdog

    def connect(self):
        sock = _connect(self._addresses, self.port, self.timeout)
        self._watchdog.watch(sock)
        sock = self._context.wrap_socket(
            sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock = sock
        self._watchdog.watch(sock)
        sock.do_handshake()


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, addresses, timeout, watchdog):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses
        self._watchdog = watchdog

    def connect(self):
        self.sock = _connect(self._addresses, self.port, self.timeout)
        self._watchdog.watch(self.sock)


def fetch(url: str, *, max_bytes: int | None = None, timeout: float | None = None) -> bytes:
    """The body of `url` after at most MAX_REDIRECTS checked redirects; Refused otherwise."""
    max_bytes = max_bytes or settings.OPEN_DATA_HARVEST_MAX_BYTES
    timeout = timeout or settings.OPEN_DATA_HARVEST_TIMEOUT
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, addresses = resolve(url)
        kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        watchdog = _Watchdog(deadline)
        connection = kind(
            host, port, addresses=addresses, timeout=_left(deadline, url), watchdog=watchdog
        )
        try:
            parts = urlsplit(url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", target, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise Refused(f"« {url} » redirige sans dire où")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise Refused(f"« {url} » répond {response.status} au lieu de 200")
            body = _read(response, url, max_bytes, deadline)
            if watchdog.fired:  # the body cut at the deadline is not the whole file
                raise TimeoutError
            return body
        except (OSError, http.client.HTTPException) as error:
            if watchdog.fired or isinstance(error, TimeoutError | socket.timeout):
                raise Refused(f"« {url} » n'a pas répondu à temps ({timeout:g} s)") from None
            raise Refused(f"« {url} » est injoignable ({error.__class__.__name__})") from None
        finally:
            watchdog.stop()
            connection.close()
    raise Refused(f"plus de {MAX_REDIRECTS} redirections à partir de « {url} »")


def _left(deadline: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Refused(f"« {url} » n'a pas répondu à temps")
    return left


def _read(response, url: str, max_bytes: int, deadline: float) -> bytes:
    """What one receive brings at a time (`read1`), so that a server dripping bytes meets the
    deadline and an endless body the size limit."""
    declared = response.getheader("Content-Length", "")
    if declared.isdecimal() and int(declared) > max_bytes:
        raise Refused(f"« {url} » dépasse la taille permise ({max_bytes // 1024} Kio)")
    chunks, size = [], 0
    while True:
        _left(deadline, url)
        chunk = response.read1(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise Refused(
                f"« {url} » dépasse la taille permise ({max_bytes // 1024} Kio) : lecture arrêtée"
            )
        chunks.append(chunk)
