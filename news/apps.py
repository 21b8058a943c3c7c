from django.apps import AppConfig


class NewsConfig(AppConfig):
    """The association's voice: news articles (« Actualités ») and the newsletter (« La lettre
    du PTCE ») composed from the records, sent through the outbox to double-opt-in subscribers.
    Above the report (its figures) and « Mon espace » (its session), below the portal."""

    name = "news"
    verbose_name = "Actualités et lettre"

    def ready(self):
        from association.content import watch_app
        from association.roles import ALL, COORDINATOR_GROUP, LEAD_GROUP, register_permissions
        from audit.registry import register as audit
        from members.services.personal_data import declare_personal_data, register_personal_data
        from members.services.retention import register_retention_rule
        from news.models import Article, Delivery, Issue, NewsMailKind, Section
        from news.personal_data import SUBSCRIBERS, forget_unconfirmed_subscribers
        from outbox.models import register_mail_kinds

        register_mail_kinds(
            NewsMailKind,
            templates={
                NewsMailKind.CONFIRMATION: "news/emails/confirmation",
                NewsMailKind.ISSUE: "news/emails/issue",
            },
        )
        # The trail: who wrote and published an article (a lead's draft for their group), who
        # composed and scheduled a newsletter. Not its sections (recomposed from the records at
        # will), nor the subscribers and deliveries (docs/audit.md says why).
        audit(Article, exclude=("created_at", "updated_at"), scope="group_id")
        audit(Issue, exclude=("sender_heartbeat",), m2m=("audience_groups",))
        register_personal_data(SUBSCRIBERS)
        register_retention_rule(forget_unconfirmed_subscribers)
        declare_personal_data(Delivery, "deleted with the subscriber (cascade)")
        declare_personal_data(Article, "no person's data: an article (its author is a login)")
        declare_personal_data(Issue, "no person's data: a newsletter")
        declare_personal_data(Section, "no person's data: a newsletter's section")
        # Subscribers and deliveries are no public page's content.
        watch_app(self, exclude=("Subscriber", "Delivery"))
        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {
                "article": (*ALL, "publish_article"),
                "issue": ALL,
                "section": ALL,
                # Added by their owners or by the import (which records the consent), never typed.
                "subscriber": ("view", "change", "delete"),
                "delivery": ("view",),
            },
        )
        # A lead writes drafts for their own groups (news/admin/articles.py); the coordinator
        # publishes them.
        register_permissions(LEAD_GROUP, self.label, {"article": ("view", "add", "change")})
