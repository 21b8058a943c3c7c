from django.apps import AppConfig


class ReportConfig(AppConfig):
    """The yearly report, on its own floor under ptce: activity reports, cooperations, the
    figures computed from the records, the public report and the network drawn."""

    name = "report"
    verbose_name = "Bilan annuel"

    def ready(self):
        from django.db.models.signals import post_save

        from association.content import watch_app
        from association.roles import ALL, COORDINATOR_GROUP, register_permissions
        from groups.models import Project
        from report.models import record_project_status

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
                "projectstatuschange": ALL,
                "yearlyfigures": ALL,
            },
        )

        # The history of a project's status is a side effect of changing it, wherever that is
        # done (the projects' admin lives in groups, which knows nothing of the report).
        post_save.connect(record_project_status, sender=Project, dispatch_uid="project_status")
