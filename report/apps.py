from django.apps import AppConfig


class ReportConfig(AppConfig):
    """The yearly report, on its own floor under ptce: activity reports, cooperations, the
    figures computed from the records, the public report and the network drawn."""

    name = "report"
    verbose_name = "Bilan annuel"

    def ready(self):
        from audit.registry import register as audit
        from report.models import (
            ActivityCount,
            ActivityReport,
            Cooperation,
            StaffContract,
            YearlyFigures,
        )

        # The declared figures: what the association reports to its funders, the year's totals
        # and what it declares per project, its staff positions and its cooperations.
        audit(YearlyFigures)
        for model in (ActivityReport, ActivityCount, StaffContract):
            audit(model, exclude=("created_at", "updated_at"))
        audit(Cooperation, m2m=("structures",), exclude=("created_at", "updated_at"))

        from association.content import watch_app
        from association.roles import ALL, COORDINATOR_GROUP, register_permissions

        # The home page's figures count its records: the cached pages follow them.
        watch_app(self)

        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {
                "activityreport": ALL,
                "activitycount": ALL,
                "cooperation": ALL,
                "staffcontract": ALL,
                "yearlyfigures": ALL,
            },
        )
