"""Who is invited to a meeting, what they answered, the reminders they were sent and whether
they came: one `MeetingAnswer` per person and meeting."""

from django.db import models
from django.db.models.functions import Lower

from groups.models.groups import WorkingGroup
from groups.models.meetings import Meeting
from members.models import Person
from outbox.models import register_mail_kinds


class MeetingMailKind(models.TextChoices):
    """The mails of meetings (see `outbox`)."""

    INVITATION = "meeting-invitation", "Invitation à une réunion"
    REMINDER = "meeting-reminder", "Rappel de réunion"
    CHANGE = "meeting-change", "Réunion déplacée ou annulée"
    ANSWER_CONFIRMATION = "meeting-answer-confirmation", "Confirmation d'une réponse"


register_mail_kinds(
    MeetingMailKind,
    templates={
        MeetingMailKind.INVITATION: "groups/emails/invitation",
        MeetingMailKind.REMINDER: "groups/emails/reminder",
        MeetingMailKind.CHANGE: "groups/emails/change",
        MeetingMailKind.ANSWER_CONFIRMATION: "groups/emails/guest_confirmation",
    },
)


class MeetingAnswerQuerySet(models.QuerySet):
    def counted(self):
        """Answers that count: a participant's, or a guest's once confirmed by e-mail."""
        return self.filter(models.Q(person__isnull=False) | models.Q(confirmed_at__isnull=False))

    def coming(self):
        return self.counted().filter(response=MeetingAnswer.Response.YES)

    def expected(self):
        """Who a reminder or a change notice goes to: yes, maybe, or no answer yet."""
        return self.counted().exclude(response=MeetingAnswer.Response.NO)


class MeetingAnswer(models.Model):
    """A person invited to a meeting (or a guest who answered from its public page), their
    answer, and whether they came. Names here never appear on a public page."""

    class Response(models.TextChoices):
        YES = "yes", "Je viens"
        NO = "no", "Je ne viens pas"
        MAYBE = "maybe", "Peut-être"

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="answers"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_answers",
    )
    # A guest (not in the member file) answers with a name and an e-mail, confirmed by a link.
    guest_name = models.CharField("nom (invité)", max_length=200, blank=True)
    guest_email = models.EmailField("e-mail (invité)", blank=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    invited_at = models.DateTimeField("invitée le", null=True, blank=True)
    response = models.CharField(
        "réponse", max_length=10, choices=Response.choices, blank=True, db_index=True
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    present = models.BooleanField("présent·e", null=True, blank=True)

    objects = MeetingAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation et réponse"
        verbose_name_plural = "invitations et réponses"
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="one_answer_per_person_and_meeting",
            ),
            models.UniqueConstraint(
                "meeting",
                Lower("guest_email"),
                condition=models.Q(person__isnull=True),
                name="one_answer_per_guest_and_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | (~models.Q(guest_name="") & ~models.Q(guest_email="")),
                name="meeting_answer_has_a_person_or_a_guest",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.meeting}"

    @property
    def name(self) -> str:
        return self.person.full_name if self.person_id else self.guest_name

    @property
    def email(self) -> str:
        return self.person.email if self.person_id else self.guest_email


class MeetingReminder(models.Model):
    """A reminder sent: unique per answer and delay, so that two runs of `send_reminders`, even
    at the same moment, never send it twice (the database refuses the second row)."""

    answer = models.ForeignKey(
        MeetingAnswer,
        verbose_name="invitation",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    days_before = models.PositiveSmallIntegerField("jours avant")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "days_before"], name="one_reminder_per_answer_and_delay"
            ),
        ]

    def __str__(self):
        return f"Rappel J-{self.days_before} — {self.answer}"


class InvitationOptOut(models.Model):
    """A person who stopped a group's invitations (one link in each mail, or one click in the
    mail client: List-Unsubscribe)."""

    group = models.ForeignKey(
        WorkingGroup, verbose_name="groupe", on_delete=models.CASCADE, related_name="opt_outs"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="invitation_opt_outs",
    )
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "désinscription des invitations"
        verbose_name_plural = "désinscriptions des invitations"
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_opt_out_per_group"),
        ]

    def __str__(self):
        return f"{self.person} — {self.group}"
