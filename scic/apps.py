from django.apps import AppConfig


class ScicConfig(AppConfig):
    """The SCIC (société coopérative d'intérêt collectif): colleges, categories, the register of
    associates, the statutory checks and the general assembly. It stands on the member file:
    an associate is a structure or a person of it."""

    name = "scic"
    verbose_name = "SCIC (coopérative)"

    def ready(self):
        from members.services.personal_data import declare_personal_data, register_personal_data
        from scic.models import Category, College, GeneralAssembly, Placement, ShareMovement
        from scic.personal_data import REGISTER_SOURCE

        register_personal_data(REGISTER_SOURCE)
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
