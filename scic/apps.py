from django.apps import AppConfig


class ScicConfig(AppConfig):
    """The SCIC (société coopérative d'intérêt collectif): colleges, categories, the register of
    associates, the statutory checks and the general assembly. It stands on the member file:
    an associate is a structure or a person of it."""

    name = "scic"
    verbose_name = "SCIC (coopérative)"

    def ready(self):
        from audit.registry import register as audit
        from scic import models as scic

        for model in (
            scic.College,
            scic.Category,
            scic.Associate,
            scic.Placement,
            scic.ShareMovement,
            scic.ConvocationConsent,
            scic.Rule,
            scic.GeneralAssembly,
            scic.Resolution,
            scic.Attendance,
            scic.VoteCount,
        ):
            audit(model)

        from association.roles import ALL, COORDINATOR_GROUP, register_permissions
        from members.services.personal_data import declare_personal_data, register_personal_data
        from scic.models import Category, College, GeneralAssembly, Placement, ShareMovement
        from scic.personal_data import CONSENT_SOURCE, REGISTER_SOURCE

        register_personal_data(REGISTER_SOURCE)
        register_personal_data(CONSENT_SOURCE)
        declare_personal_data(College, "no person's data: a voting college's name")
        declare_personal_data(Category, "no person's data: a category's name")
        # The register's entries are written once (the law's register): who entered them
        # stays as it was, the back-office account's name at the time.
        for entry in (Placement, ShareMovement):
            declare_personal_data(
                entry, "kept by law, written once: « enregistré par » keeps the account's name"
            )
        declare_personal_data(
            GeneralAssembly,
            "kept by law: the minutes name the sitting's chair and secretary as typed",
        )
        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {
                "college": ALL,
                "category": ALL,
                # The rules are loaded by a migration: edited (thresholds, references), never
                # added.
                "rule": ("view", "change"),
                # The register is a legal record: an associate leaves (a dated exit), is never
                # deleted.
                "associate": ("view", "add", "change"),
                # Append-only: a correction is a new movement.
                "sharemovement": ("view", "add"),
                # Append-only too: a change of category or college is a new dated entry.
                "placement": ("view", "add"),
                # Recorded, then withdrawn by a date: never deleted, the proof of the consent.
                "convocationconsent": ("view", "add", "change"),
                "generalassembly": ALL,
                "resolution": ALL,
                "attendance": ALL,
                "votecount": ALL,
            },
        )
