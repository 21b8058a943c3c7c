"""The statutory rules, as records: thresholds and legal references are data the coordinator
edits (the articles have been renumbered before), loaded by a data migration. The code only
knows what each rule measures, by its `code`."""

from decimal import Decimal

from django.db import models


class RuleQuerySet(models.QuerySet):
    def composition(self):
        """The checks on the register shown on the dashboard and before each assembly."""
        return self.filter(code__in=Rule.COMPOSITION_CODES, is_active=True)

    def applies(self, code: str) -> bool:
        """The rule is loaded and turned on (« appliquée »)."""
        return self.filter(code=code, is_active=True).exists()

    def value_of(self, code: str, default: Decimal | None = None) -> Decimal | None:
        """The threshold of one rule (its minimum, else its maximum); `default` when the rule
        is missing or turned off."""
        rule = self.filter(code=code, is_active=True).first()
        if rule is None:
            return default
        return rule.minimum if rule.minimum is not None else rule.maximum


class Rule(models.Model):
    """One rule of the law or the statutes, with its reference and thresholds."""

    class Code(models.TextChoices):
        MIN_CATEGORIES = "min_categories", "Nombre minimal de catégories d'associés"
        REQUIRED_CATEGORIES = (
            "required_categories",
            "Salariés (ou producteurs) et bénéficiaires parmi les associés",
        )
        ONE_MEMBER_ONE_VOTE = "one_member_one_vote", "Un associé, une voix"
        COLLEGE_SHARE = "college_share", "Part des voix de chaque collège"
        MIN_COLLEGES = "min_colleges", "Nombre minimal de collèges"
        PUBLIC_CAPITAL = "public_capital", "Part du capital détenue par les collectivités"
        PAID_UP_AT_SUBSCRIPTION = (
            "paid_up_at_subscription",
            "Part libérée à la souscription",
        )
        PROXY_LIMIT = "proxy_limit", "Pouvoirs détenus par un associé"
        QUORUM_ORDINARY_FIRST = (
            "quorum_ordinary_first",
            "Quorum de l'assemblée ordinaire, première convocation",
        )
        QUORUM_ORDINARY_SECOND = (
            "quorum_ordinary_second",
            "Quorum de l'assemblée ordinaire, deuxième convocation",
        )
        QUORUM_EXTRAORDINARY_FIRST = (
            "quorum_extraordinary_first",
            "Quorum de l'assemblée extraordinaire, première convocation",
        )
        QUORUM_EXTRAORDINARY_SECOND = (
            "quorum_extraordinary_second",
            "Quorum de l'assemblée extraordinaire, deuxième convocation",
        )
        MAJORITY_ORDINARY = "majority_ordinary", "Majorité des résolutions ordinaires"
        MAJORITY_EXTRAORDINARY = (
            "majority_extraordinary",
            "Majorité des résolutions extraordinaires",
        )
        EMAIL_CONVOCATION_CONSENT = (
            "email_convocation_consent",
            "Convocation par voie électronique sur accord préalable de l'associé",
        )

    COMPOSITION_CODES = (
        Code.MIN_CATEGORIES,
        Code.REQUIRED_CATEGORIES,
        Code.ONE_MEMBER_ONE_VOTE,
        Code.COLLEGE_SHARE,
        Code.MIN_COLLEGES,
        Code.PUBLIC_CAPITAL,
        Code.PAID_UP_AT_SUBSCRIPTION,
        # Not a composition of the register, but measured on it: who has agreed.
        Code.EMAIL_CONVOCATION_CONSENT,
    )

    code = models.CharField(
        "règle", max_length=40, choices=Code.choices, unique=True, editable=False
    )
    statement = models.TextField(
        "énoncé", help_text="La règle telle que la loi ou les statuts la formulent."
    )
    reference = models.CharField(
        "référence",
        max_length=300,
        help_text="Article de loi ou des statuts. Mettez-la à jour si l'article est renuméroté.",
    )
    minimum = models.DecimalField(
        "minimum",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Seuil bas (un nombre, ou un pourcentage pour les parts et les majorités).",
    )
    maximum = models.DecimalField(
        "maximum",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Seuil haut (un nombre, ou un pourcentage).",
    )
    is_active = models.BooleanField(
        "appliquée",
        default=True,
        help_text="Décochez seulement si les statuts écartent cette règle.",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "règle légale ou statutaire"
        verbose_name_plural = "règles légales et statutaires"
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__isnull=True)
                | models.Q(maximum__isnull=True)
                | models.Q(minimum__lte=models.F("maximum")),
                name="scic_rule_minimum_below_maximum",
                violation_error_message="Le minimum doit être inférieur ou égal au maximum.",
            ),
            models.CheckConstraint(
                condition=(models.Q(minimum__isnull=True) | models.Q(minimum__gte=0))
                & (models.Q(maximum__isnull=True) | models.Q(maximum__gte=0)),
                name="scic_rule_thresholds_not_negative",
            ),
        ]

    def __str__(self):
        return self.get_code_display()
