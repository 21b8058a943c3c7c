"""Records of the member file that may already be someone about to be added: the look-alike
check run before a person or a structure is created (accepting a join request, recording
someone who came to a meeting), so that the file never gets a silent duplicate.

Names are compared in Python, with `normalize_name`: accents cannot be ignored portably in
SQL, and a member file holds hundreds of rows, not millions. One query per call."""

from members.models import Person, Structure
from members.services.names import normalize_name


def name_key(value: str) -> str:
    """`normalize_name` without the spaces, so « A.P.E.I. » finds « APEI » and « Jean Michel »
    finds « Jean-Michel »."""
    return normalize_name(value).replace(" ", "")


def find_people_like(*, first_name: str, last_name: str, email: str = "") -> list[Person]:
    """People with this e-mail (any case) or this name (first and last names in either order,
    compared with `normalize_name`), with their structure. E-mail matches come first."""
    email = email.strip().lower()
    names = {
        name_key(f"{first_name} {last_name}"),
        name_key(f"{last_name} {first_name}"),
    } - {""}
    by_email, by_name = [], []
    for person in Person.objects.select_related("structure"):
        if email and person.email.lower() == email:
            by_email.append(person)
        elif name_key(f"{person.first_name} {person.last_name}") in names:
            by_name.append(person)
    return by_email + by_name


def find_structures_like(*, name: str) -> list[Structure]:
    """Structures with this name or acronym (compared with `normalize_name`)."""
    wanted = name_key(name)
    if not wanted:
        return []
    return [
        structure
        for structure in Structure.objects.all()
        if wanted in (name_key(structure.name), name_key(structure.acronym))
    ]
