"""What French needs to build a sentence around a model's name: its gender and whether it
elides (« l'associé », « la réunion », « un·e chef·fe de file »).

Django's admin writes « Ajout de associé » or « Sélectionnez l'objet réunion à changer »
because its sentences only get the bare `verbose_name`. The admin (association/admin_french.py)
builds its titles, buttons and labels from `noun()` instead. The gender is the head word's —
the first word of the name — so that a name given on an inline (« documents de la réunion »)
agrees as the model's does; `tests/association/test_nouns.py` fails for a registered model
whose head word is not listed here."""

from dataclasses import dataclass

FEMININE = frozenset(
    {
        "actualité",
        "adhésion",
        "assemblée",
        "autorisation",
        "avancée",
        "catégorie",
        "connexion",
        "coopération",
        "demande",
        "entrée",
        "forme",
        "identité",
        "inscription",
        "lettre",
        "personne",
        "présence",
        "règle",
        "résolution",
        "réunion",
        "structure",
        "série",
        "séquence",
        "tâche",
        "tentative",
    }
)
MASCULINE = frozenset(
    {
        "abonné",
        "accord",
        "appareil",
        "associé",
        "avis",
        "bilan",
        "changement",
        "chiffre",
        "chiffres",
        "collège",
        "compte",
        "contact",
        "document",
        "e-mail",
        "enregistrement",
        "groupe",
        "lieu",
        "mouvement",
        "portail",
        "poste",
        "projet",
        "résultat",
        "échec",
        "événement",
    }
)
# Inclusive forms (« chef·fe de file », « intervenant·e »): both articles, joined.
EPICENE = frozenset({"chef·fe", "intervenant·e"})

# « h » is mute in the words we use; a word with an aspirated h would be listed apart.
VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüyœh")


@dataclass(frozen=True)
class Noun:
    """A model's name with its articles: `Noun("réunion")` → « une réunion », « la
    réunion », « de la réunion »."""

    name: str

    @property
    def head(self) -> str:
        return self.name.split()[0].lower() if self.name else ""

    @property
    def gender(self) -> str:
        if self.head in EPICENE:
            return "both"
        if self.head in FEMININE:
            return "f"
        return "m"

    @property
    def elides(self) -> bool:
        return self.head[:1] in VOWELS

    @property
    def indefinite(self) -> str:
        """« un associé », « une réunion », « un·e chef·fe de file »."""
        article = {"m": "un", "f": "une", "both": "un·e"}[self.gender]
        return f"{article} {self.name}"

    @property
    def definite(self) -> str:
        """« l'associé », « la réunion », « le document », « la·le chef·fe de file »."""
        if self.elides:
            return f"l'{self.name}"
        article = {"m": "le", "f": "la", "both": "le·la"}[self.gender]
        return f"{article} {self.name}"

    @property
    def demonstrative(self) -> str:
        """« ce lieu », « cet associé », « cette réunion », « ce·tte chef·fe de file »."""
        article = {"m": "cet" if self.elides else "ce", "f": "cette", "both": "ce·tte"}
        return f"{article[self.gender]} {self.name}"

    @property
    def selected(self) -> str:
        """The past participle « sélectionné » agreeing in the plural."""
        return {"m": "sélectionnés", "f": "sélectionnées", "both": "sélectionné·e·s"}[self.gender]


def noun(name) -> Noun:
    return Noun(str(name))
