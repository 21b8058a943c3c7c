"""The coordinator's lists in the back-office at several sizes of data: time and queries.

    .venv/bin/python scripts/bench_admin.py [--scales 1 100] [--rounds 5]
    .venv/bin/python scripts/bench_admin.py --database-url postgres://ptce:ptce@127.0.0.1:5432/NAME

For each scale (ptce/demo/volume.py SCALES) it builds the network in a fresh database (a SQLite
file in bench/, or the PostgreSQL database given, dropped and created again), adds what the
member file and the join workflow hold in real life and the public network lacks (French
surnames, structures named as structures are, memberships over three years, join requests with
their mails), then, logged in as a coordinator (the `coordinateur` group, not a superuser),
renders each list of `members` and `joining` and the three searches used daily, in process,
and prints the median of `--rounds` renders and the query count of each. With SQLite the
queries run in the process, so its CPU time (beside the wall-clock time) is the figure a busy
machine disturbs least; with PostgreSQL the server's share is only in the wall-clock time.
Separate from the tests: its figures depend on the machine.
"""

import argparse
import statistics
import time

from benchlib import build, collect_static, fresh_database, in_django, production_env

SURNAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Lefevre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "Francois",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clement",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
]
FIRST_NAMES = [
    "Marie",
    "Jean",
    "Pierre",
    "Michel",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Philippe",
    "Catherine",
    "Louise",
    "Fabrice",
    "Sandrine",
    "Thierry",
    "Valérie",
    "Christophe",
    "Karine",
    "Stéphane",
    "Céline",
    "Olivier",
    "Sophie",
]
STRUCTURE_WORDS = [
    "Association",
    "Jardins",
    "Compagnons",
    "Ressourcerie",
    "Régie",
    "Coopérative",
    "Atelier",
    "Maison",
    "Collectif",
    "Centre",
]
TOWNS = ("Carvin", "Hénin-Beaumont", "Oignies", "Courrières", "Libercourt", "Montigny")

# The lists of members/ and joining/ a coordinator works in, and the three searches used
# daily: a common French surname, a word of structure names, an applicant's name.
LISTS = {
    "people": "/admin/members/person/",
    "structures": "/admin/members/structure/",
    "memberships": "/admin/members/membership/",
    "join requests": "/admin/joining/joinrequest/",
    "meetings": "/admin/groups/meeting/",
    "events": "/admin/events/event/",
    "mails": "/admin/outbox/outgoingmail/",
    "people ?membre=oui": "/admin/members/person/?membre=oui",
    "memberships ?year": "/admin/members/membership/?year=2025",
}
SEARCHES = {
    "search people « martin »": "/admin/members/person/?q=martin",
    "search structures « jardins »": "/admin/members/structure/?q=jardins",
    "search join requests « dubois »": "/admin/joining/joinrequest/?q=dubois",
}


def enrich(scale: int) -> None:
    """What the bench's network lacks for the back-office: names as the member file has them,
    memberships of people and past years, join requests (20 per 1x) with their two mails."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from groups.models import WorkingGroup
    from joining.models import JoinMailKind, JoinRequest
    from members.models import Membership, Person, Structure
    from outbox.models import OutgoingMail

    year = timezone.localdate().year
    structures = list(Structure.objects.order_by("pk"))
    for i, structure in enumerate(structures):
        word = STRUCTURE_WORDS[i % len(STRUCTURE_WORDS)]
        structure.name = f"{word} {SURNAMES[(i * 7) % len(SURNAMES)]} {i:04d}"
        structure.acronym = f"{word[:3].upper()}{i}"
        structure.town = TOWNS[i % len(TOWNS)]
    Structure.objects.bulk_update(structures, ["name", "acronym", "town"], batch_size=500)
    people = list(Person.objects.order_by("pk"))
    for i, person in enumerate(people):
        person.first_name = FIRST_NAMES[i % len(FIRST_NAMES)]
        person.last_name = SURNAMES[(i * 13) % len(SURNAMES)]
        person.email = f"{person.first_name}.{person.last_name}.{i}@example.org".lower()
    Person.objects.bulk_update(people, ["first_name", "last_name", "email"], batch_size=500)
    Membership.objects.bulk_create(
        [
            Membership(structure=s, year=y, status=Membership.Status.ACTIVE, fee=50)
            for y in (year - 2, year - 1)
            for s in structures[::2]
        ]
        + [
            Membership(person=p, year=y, status=Membership.Status.ACTIVE, fee=10)
            for y in (year - 1, year)
            for p in people[::3]
        ],
        batch_size=1000,
    )
    groups = list(WorkingGroup.objects.all())
    now = timezone.now()
    requests = JoinRequest.objects.bulk_create(
        JoinRequest(
            wants_membership=True,
            wants_groups=i % 2 == 0,
            applicant_kind=("person", "structure")[i % 3 == 0],
            first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
            last_name=SURNAMES[i % len(SURNAMES)],
            email=f"demande{i}@example.org",
            structure_name=f"Association {i}" if i % 3 == 0 else "",
            town=TOWNS[i % len(TOWNS)],
            message="Bonjour, nous aimerions rejoindre le pôle.",
            consent_given_at=now,
            privacy_notice_version="1",
            form_token=f"bench-{i}",
            status=("new", "in_progress", "accepted")[i % 3] if i % 10 else "new",
            handled_at=now if i % 3 == 2 else None,
            created_at=now - datetime.timedelta(days=i),
        )
        for i in range(20 * scale)
    )
    JoinRequest.groups.through.objects.bulk_create(
        JoinRequest.groups.through(joinrequest=r, workinggroup=groups[i % len(groups)])
        for i, r in enumerate(requests)
        if r.wants_groups
    )
    content_type = ContentType.objects.get_for_model(JoinRequest)
    OutgoingMail.objects.bulk_create(
        (
            OutgoingMail(
                content_type=content_type,
                object_id=r.pk,
                kind=kind,
                recipient=r.email,
                subject="PTCE",
                body_text="Bonjour.",
            )
            for r in requests
            for kind in (
                JoinMailKind.COORDINATOR_NOTIFICATION,
                JoinMailKind.APPLICANT_ACKNOWLEDGEMENT,
            )
        ),
        batch_size=1000,
    )


def generate(scale: int, rounds: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from association.roles import COORDINATOR_GROUP

    build(scale)
    enrich(scale)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    coordinator = get_user_model().objects.create_user("coordination", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    client = Client(headers={"X-Forwarded-Proto": "https"}, secure=True)
    client.force_login(coordinator)
    report = {}
    for name, path in {**LISTS, **SEARCHES}.items():
        client.get(path)  # warm: content types, permissions' caches
        timings, cpu = [], []
        for _ in range(rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200, (path, response.status_code)
        report[name] = {
            "path": path,
            "ms": statistics.median(timings) * 1000,
            "cpu_ms": statistics.median(cpu) * 1000,
            "queries": len(queries),
            "slowest_sql_ms": max(float(q["time"]) for q in queries.captured_queries) * 1000,
        }
    # The rows each page found, read from the context the test instrumentation keeps (turned
    # on only now: it would have weighed on the timings).
    setup_test_environment()
    for page in report.values():
        page["results"] = client.get(page["path"]).context["cl"].result_count
    return report


def run_scale(scale: int, rounds: int, database_url: str | None) -> dict:
    database_url = fresh_database(f"admin-scale-{scale}", database_url)
    return in_django(production_env(database_url), generate, scale, rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL database, dropped and created")
    args = parser.parse_args()
    collect_static()  # the admin's pages name their static files through the manifest
    reports = {scale: run_scale(scale, args.rounds, args.database_url) for scale in args.scales}
    first, last = args.scales[0], args.scales[-1]
    header = " | ".join(f"{s}x ms · CPU ms (queries, rows)" for s in args.scales)
    print(f"| page | {header} | {last}x / {first}x (ms · CPU) | slowest SQL {last}x ms |")
    print("| --- |" + " --- |" * (len(args.scales) + 2))
    for name in reports[first]:
        cells = " | ".join(
            f"{reports[s][name]['ms']:.0f} · {reports[s][name]['cpu_ms']:.0f} "
            f"({reports[s][name]['queries']}, {reports[s][name]['results']})"
            for s in args.scales
        )
        a, b = reports[first][name], reports[last][name]
        print(
            f"| {name} | {cells} | {b['ms'] / a['ms']:.2f} · {b['cpu_ms'] / a['cpu_ms']:.2f} "
            f"| {b['slowest_sql_ms']:.0f} |"
        )


if __name__ == "__main__":
    main()
