"""The national picture, read from three live instances of this portal (each its own process,
database and identity, on loopback) and from a hostile server; and the rules of reading
another site, which hold without the tests' relaxation."""

import datetime
import http.server
import io
import json
import socket
import threading
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opendata.datasets import BY_NAME
from opendata.exports import csv_value
from opendata.fetch import Refused, check_address, fetch, resolve
from opendata.harvest import harvest_portal, parse_rows
from opendata.models import HarvestedRecord, RemotePortal
from opendata.national import AGENDA_PER_PORTAL, AGENDA_SIZE
from tests.conftest import run_queued_tasks
from tests.opendata.live_portals import (
    HOSTILE_PATHS,
    hostile_server,
    start_portals,
    stop_portals,
)
from tests.public_site import TODAY, frozen, page_text

SLOW = 4  # seconds the slow server waits; the reader allows 2


@pytest.fixture(scope="module")
def live_portals(tmp_path_factory):
    portals = start_portals(tmp_path_factory.mktemp("portals"))
    with urllib.request.urlopen(portals[0].package, timeout=10) as response:
        package = json.load(response)
    server = hostile_server(package, slow_seconds=SLOW)
    try:
        yield portals, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        stop_portals(portals)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_three_live_portals_are_merged_and_the_hostile_ones_refused(
    live_portals, db, client, settings
):
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = True  # the live instances are on loopback
    settings.OPEN_DATA_HARVEST_TIMEOUT = 2
    portals, hostile = live_portals
    hostile_urls = {name: hostile + path for name, path in HOSTILE_PATHS.items()}
    # The hostile ones between the good ones: a broken portal never stops the others.
    addresses = [portals[0].package, *hostile_urls.values(), portals[1].package,
                 portals[2].package]  # fmt: skip
    out = io.StringIO()

    call_command("read_portals", *addresses, stdout=out)

    outcomes = dict(RemotePortal.objects.values_list("package_url", "last_outcome"))
    assert [outcomes[p.package] for p in portals] == ["read"] * 3
    assert {outcomes[url] for url in hostile_urls.values()} == {"refused"}
    report = {p.package_url: p.last_report for p in RemotePortal.objects.all()}
    assert "dépasse la taille permise (1024 Kio)" in report[hostile_urls["oversized"]]
    assert "le schéma n'a pas la colonne « identifiant »" in report[hostile_urls["wrong schema"]]
    assert (
        "l'adresse 10.20.30.40 est privée ou réservée"
        in report[hostile_urls["to a private address"]]
    )
    assert "169.254.169.254 est lien-local" in report[hostile_urls["to the cloud's metadata"]]
    assert "n'a pas répondu à temps" in report[hostile_urls["too slow"]]
    assert "« structures » : 3 lignes lue(s)." in report[portals[1].package]
    assert "Paquet refusé : " in out.getvalue()

    structures = HarvestedRecord.objects.filter(dataset="structures")
    assert structures.count() == 2 + 3 + 4
    assert set(structures.values_list("licence", flat=True)) == {"etalab-2.0"}
    assert {r.source_url for r in structures} == {
        f"{p.url}/donnees/structures.csv" for p in portals
    }

    page = client.get(reverse("opendata:national"))
    text = page_text(page)
    for portal in portals:
        assert portal.name in text
    assert "PTCE Grésivaudan structure 2" in text and "Forum de PTCE Val de Lys" in text
    # The figures side by side: last year's meetings declared by each, 20, 30 and 40.
    assert "Réunions organisées 20 30 40" in text


def test_only_https_to_public_addresses_outside_the_tests(db, settings):
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = False
    with pytest.raises(Refused, match="n'est pas une adresse https://"):
        resolve("http://example.org/donnees/datapackage.json")
    with pytest.raises(Refused, match="est de bouclage"):
        resolve("https://localhost/donnees/datapackage.json")
    for private in ("https://192.168.1.10/", "https://[fd00::1]/", "https://100.64.0.1/"):
        with pytest.raises(Refused, match="privée ou réservée"):
            fetch(private)


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "::7f00:1", "::a00:1"],
    ids=["nat64-private", "nat64-metadata", "nat64-loopback", "compatible-loopback",
         "compatible-private"],
)  # fmt: skip
def test_an_ipv6_address_carrying_a_private_ipv4_one_is_refused(address, settings):
    # NAT64 (64:ff9b::/96) translates to the IPv4 address in its last 32 bits, which Python
    # calls global; the old IPv4-compatible form (::a.b.c.d) too.
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = False
    with pytest.raises(Refused, match="seules les adresses publiques"):
        check_address(address)
    check_address("64:ff9b::808:808")  # 8.8.8.8 through NAT64: public


def test_the_relaxation_lets_loopback_in_but_never_private_addresses(db, settings):
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = True
    assert resolve("http://127.0.0.1:9/")[3] == ("127.0.0.1",)
    with pytest.raises(Refused, match="n'est pas une adresse https://"):
        resolve("http://93.184.215.14/")  # a public address over http
    with pytest.raises(Refused, match="lien-local"):
        resolve("https://169.254.169.254/")


def test_rows_that_do_not_fit_their_columns_are_left_out_with_their_reason():
    header = ",".join(column.name for column in BY_NAME["reunions"].columns)
    good = "reunion-1,mobilite,Mobilité,2026-01-09,14:00:00,,Salle,,Carvin,planned,false,https://a.example/r/1/"
    bad_date = "reunion-2,mobilite,Mobilité,demain,,,,,,planned,false,"
    script = "reunion-3,mobilite,Mobilité,2026-01-09,,,,,,planned,false,javascript:alert(1)"
    body = "\r\n".join([header, good, bad_date, script, good]).encode()

    rows, refusals = parse_rows(body, BY_NAME["reunions"])

    assert [row["identifiant"] for row in rows] == ["reunion-1"]
    assert refusals == [
        "ligne 3 : « date » n'est pas de type date AAAA-MM-JJ : « demain »",
        "ligne 4 : « page » n'est pas une adresse web : « javascript:alert(1) »",
        "ligne 5 : identifiant « reunion-1 » en double",
    ]


def _read_network(portals: int, structures: int, meetings: int) -> None:
    now = timezone.now()
    for number in range(portals):
        portal = RemotePortal.objects.create(
            package_url=f"https://ptce-{number}.example/donnees/datapackage.json",
            name=f"PTCE {number}",
            last_read_at=now,
            last_outcome=RemotePortal.Outcome.READ,
            licence_name="etalab-2.0",
        )
        common = {"portal": portal, "source_url": "https://x.example/", "licence": "etalab-2.0",
                  "read_at": now}  # fmt: skip
        HarvestedRecord.objects.bulk_create(
            [
                *(HarvestedRecord(dataset="structures", identifier=f"s-{i}",
                                  data={"nom": f"Structure {i}", "commune": "Vinay"}, **common)
                  for i in range(structures)),
                *(HarvestedRecord(dataset="reunions", identifier=f"reunion-{i}",
                                  date=TODAY + datetime.timedelta(days=i),
                                  data={"groupe_nom": "Mobilité", "heure_debut": "14:00:00"},
                                  **common)
                  for i in range(meetings)),
                HarvestedRecord(dataset="chiffres", identifier="2024-meetings",
                                data={"annee": "2024", "indicateur": "meetings",
                                      "valeur_publiee": str(10 + number)}, **common),
            ]
        )  # fmt: skip


@pytest.mark.parametrize("size", [(2, 3, 3), (8, 40, 60)], ids=["small", "large"])
@frozen()
def test_the_national_page_costs_the_same_queries_whatever_the_network(
    size, db, client, site_identity, django_assert_num_queries
):
    _read_network(*size)
    # The content version, identity, portals, figures, agenda, directory.
    with django_assert_num_queries(6):
        page = client.get(reverse("opendata:national"))
    text = page_text(page)
    assert "Réunions organisées " + " ".join(str(10 + n) for n in range(size[0])) in text
    assert "Structure 2, Vinay" in text


@frozen()
def test_a_portal_no_longer_read_leaves_the_national_page(db, client, site_identity):
    _read_network(2, 1, 1)
    RemotePortal.objects.filter(name="PTCE 1").update(is_active=False)

    text = page_text(client.get(reverse("opendata:national")))

    assert "PTCE 0" in text and "PTCE 1" not in text
    assert "Réunions organisées 10 " in text and " 11" not in text


@frozen()
def test_a_portal_publishing_figures_for_a_year_to_come_does_not_blank_the_others(
    db, client, site_identity
):
    _read_network(2, 1, 1)
    future = RemotePortal.objects.create(
        package_url="https://futur.example/donnees/datapackage.json", name="PTCE du futur"
    )
    HarvestedRecord.objects.create(
        portal=future, dataset="chiffres", identifier="9999-meetings", licence="etalab-2.0",
        data={"annee": "9999", "indicateur": "meetings", "valeur_publiee": "5"},
        source_url="https://futur.example/", read_at=timezone.now(),
    )  # fmt: skip

    text = page_text(client.get(reverse("opendata:national")))

    assert "Les chiffres de 2024" in text
    assert "Réunions organisées 10 11 —" in text


@frozen()
def test_one_busy_portal_does_not_fill_the_whole_agenda(db, client, site_identity):
    _read_network(2, 0, 0)
    busy, other = RemotePortal.objects.order_by("pk")
    common = {"dataset": "reunions", "licence": "etalab-2.0", "source_url": "https://x.example/",
              "read_at": timezone.now()}  # fmt: skip
    HarvestedRecord.objects.bulk_create(
        HarvestedRecord(portal=busy, identifier=f"reunion-{n}", date=TODAY,
                        data={"groupe_nom": "Occupé"}, **common)
        for n in range(AGENDA_SIZE)
    )  # fmt: skip
    HarvestedRecord.objects.create(
        portal=other, identifier="reunion-1", date=TODAY + datetime.timedelta(days=7),
        data={"groupe_nom": "Mobilité"}, **common,
    )  # fmt: skip

    text = page_text(client.get(reverse("opendata:national")))

    assert "Réunion du groupe Mobilité" in text
    assert text.count("Réunion du groupe Occupé") == AGENDA_PER_PORTAL
    assert f"Au plus {AGENDA_PER_PORTAL} rendez-vous par PTCE et {AGENDA_SIZE} en tout" in text


@pytest.mark.parametrize("value", ["NaN", "INF", "-inf", "1e30"])
@frozen()
def test_a_figure_no_one_can_print_does_not_break_the_national_page(
    value, db, client, site_identity
):
    # Table Schema's numbers include NaN and INF; float() reads them and 1e30 too.
    _read_network(2, 1, 1)
    HarvestedRecord.objects.filter(portal__name="PTCE 1", dataset="chiffres").update(
        data={"annee": "2024", "indicateur": "meetings", "valeur_publiee": value}
    )

    response = client.get(reverse("opendata:national"))

    assert response.status_code == 200
    assert "Réunions organisées 10 —" in page_text(response)


@frozen()
def test_a_cancelled_meeting_and_a_cancelled_event_each_say_so_in_french(
    db, client, site_identity
):
    _read_network(1, 0, 1)
    portal = RemotePortal.objects.get()
    HarvestedRecord.objects.filter(dataset="reunions").update(
        data={"groupe_nom": "Mobilité", "annulee": "true"}
    )
    HarvestedRecord.objects.create(
        portal=portal, dataset="evenements", identifier="evenement-1", licence="etalab-2.0",
        data={"titre": "Forum", "annule": "true"}, date=TODAY, source_url="https://x.example/",
        read_at=timezone.now(),
    )  # fmt: skip

    text = page_text(client.get(reverse("opendata:national")))

    assert "Réunion du groupe Mobilité (annulée)" in text and "Forum (annulé)" in text


@pytest.mark.logged_errors
@pytest.mark.django_db(transaction=True)  # the task worker reads the queue
def test_the_coordinator_reads_a_portal_from_the_admin_and_sees_why_it_was_refused(
    coordinator_client,
):
    portal = RemotePortal.objects.create(package_url="https://192.168.1.10/datapackage.json")

    response = coordinator_client.post(
        reverse("admin:opendata_remoteportal_changelist"),
        {"action": "read_now", "_selected_action": [portal.pk]},
        follow=True,
    )
    assert "Lecture lancée" in page_text(response)
    run_queued_tasks()

    portal.refresh_from_db()
    assert portal.last_outcome == RemotePortal.Outcome.REFUSED
    assert "Paquet refusé : l'adresse 192.168.1.10 est privée ou réservée" in portal.last_report
    change = coordinator_client.get(
        reverse("admin:opendata_remoteportal_change", args=[portal.pk])
    )
    assert "est privée ou réservée" in page_text(change)


@pytest.mark.timeout(60)
@pytest.mark.django_db(transaction=True)
def test_a_portal_that_never_answers_does_not_hold_the_coordinator_s_request(
    coordinator_client, settings
):
    # Five files of a portal, each allowed OPEN_DATA_HARVEST_TIMEOUT: far beyond the web
    # server's own timeout (gunicorn: 30 s), which would kill the request and its report.
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = True
    settings.OPEN_DATA_HARVEST_TIMEOUT = 3
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/datapackage.json"
        portal = RemotePortal.objects.create(package_url=url)
        started = time.monotonic()

        coordinator_client.post(
            reverse("admin:opendata_remoteportal_changelist"),
            {"action": "read_now", "_selected_action": [portal.pk]},
        )

        assert time.monotonic() - started < 2
        run_queued_tasks()
    portal.refresh_from_db()
    assert "n'a pas répondu à temps (3 s)" in portal.last_report


def _dripping_server(head: bytes):
    """A server on loopback that sends `head`, then one byte of a header every 0.3 s for a
    minute: each receive gets something, none waits the timeout (a « slowloris » server)."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        connection, _ = server.accept()
        with connection:
            connection.recv(4096)
            try:
                connection.sendall(head)
                for _ in range(200):
                    connection.sendall(b"X")
                    time.sleep(0.3)
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()
    return server


@pytest.mark.timeout(30)
def test_a_server_dripping_its_headers_meets_the_deadline(db, settings):
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = True
    server = _dripping_server(b"HTTP/1.1 200 OK\r\n")
    started = time.monotonic()

    with server, pytest.raises(Refused, match="n'a pas répondu à temps"):
        fetch(f"http://127.0.0.1:{server.getsockname()[1]}/", timeout=1)

    assert time.monotonic() - started < 3


def _handler(files: dict[str, bytes]):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    return Handler


def _serving(files: dict[str, bytes]):
    """A server on loopback answering each path of `files` with its body."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(files))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(
    "resource",
    [
        {"name": ["structures"], "path": "s.csv"},
        {"name": "structures", "path": "s.csv", "schema": {"fields": [{"name": ["nom"]}]}},
    ],
    ids=["name-not-text", "column-name-not-text"],
)
def test_a_package_of_the_wrong_shape_is_refused_with_its_reason(resource, db, settings):
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = True
    package = {"licenses": [{"name": "etalab-2.0"}], "resources": [resource]}
    server = _serving({"/datapackage.json": json.dumps(package).encode()})
    url = f"http://127.0.0.1:{server.server_address[1]}/datapackage.json"
    with server:
        report = harvest_portal(RemotePortal.objects.create(package_url=url))
        server.shutdown()

    assert report.outcome == RemotePortal.Outcome.REFUSED
    assert "erreur inattendue" not in report.text
    assert report.text.startswith("Paquet refusé : ")


def test_a_file_of_more_rows_than_a_ptce_has_is_refused(settings):
    # A portal sending 200 000 structures would fill the national page for every visitor.
    settings.OPEN_DATA_HARVEST_MAX_ROWS = 3
    header = ",".join(column.name for column in BY_NAME["chiffres"].columns)
    line = "2024-m{},2024,meetings,1,,1,calculee"
    body = "\r\n".join([header, *(line.format(n) for n in range(4))]).encode()

    with pytest.raises(Refused, match="plus de 3 lignes"):
        parse_rows(body, BY_NAME["chiffres"])
    rows, _refusals = parse_rows(body.rsplit(b"\r\n", 1)[0], BY_NAME["chiffres"])
    assert len(rows) == 3


def test_a_name_with_an_address_this_host_cannot_reach_is_read_at_its_next(
    db, settings, monkeypatch
):
    # A portal on IPv4 and IPv6, read from a host without IPv6 (a container's usual network):
    # its first address refuses the connection, the next one answers. No name of this machine
    # resolves to two loopback addresses, so the resolver gives them, in the system's order.
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = True
    server = type("V6", (http.server.ThreadingHTTPServer,), {"address_family": socket.AF_INET6})(
        ("::1", 0), _handler({"/": b"lu"})
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
               (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))]  # fmt: skip
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *args, **kwargs: (
            answers if host == "double.example" else real(host, *args, **kwargs)
        ),
    )

    with server:
        assert fetch(f"http://double.example:{port}/") == b"lu"
        server.shutdown()


def test_a_text_read_comes_back_as_the_other_portal_wrote_it(db, settings):
    # Its CSV quoted what a spreadsheet would run, a quote already there doubled
    # (association/spreadsheets.py): the national page shows the texts as they were typed.
    settings.OPEN_DATA_HARVEST_ALLOW_LOOPBACK = True
    dataset = BY_NAME["structures"]
    typed = {"s1": "=Réseau", "s2": "'=Réseau", "s3": "\tRéseau", "s4": "-12 rue"}
    body = "".join(
        csv_lines_of(
            dataset, [{"identifiant": k, "nom": v, "type": "other"} for k, v in typed.items()]
        )
    ).encode()
    package = {"licenses": [{"name": "etalab-2.0"}], "resources": [
        {"name": "structures", "path": "s.csv", "schema": dataset.table_schema()}]}  # fmt: skip
    server = _serving({"/datapackage.json": json.dumps(package).encode(), "/s.csv": body})
    url = f"http://127.0.0.1:{server.server_address[1]}/datapackage.json"
    with server:
        harvest_portal(RemotePortal.objects.create(package_url=url))
        server.shutdown()

    read = dict(HarvestedRecord.objects.values_list("identifier", "data__nom"))
    assert read == typed


def csv_lines_of(dataset, rows):
    """The lines our CSV export writes for `rows` (the columns not given empty)."""
    names = [column.name for column in dataset.columns]
    yield ",".join(names) + "\r\n"
    for row in rows:
        cells = (csv_value(row.get(name, "")) for name in names)
        yield ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\r\n"


def test_a_portal_is_named_once_then_keeps_the_coordinators_name(db):
    """Named from its package's publisher at the first reading; a package renaming itself
    later does not change what the national page calls it (the coordinator can)."""
    from opendata.harvest import _store

    portal = RemotePortal.objects.create(package_url="https://ptce-artois.example/p.json")
    package = {"contributors": [{"role": "publisher", "title": "PTCE de l'Artois"}]}
    _store(portal, package, {}, {})
    assert portal.name == "PTCE de l'Artois"
    renamed = {"contributors": [{"role": "publisher", "title": "Le seul vrai PTCE"}]}
    _store(portal, renamed, {}, {})
    portal.refresh_from_db()
    assert portal.name == "PTCE de l'Artois"
