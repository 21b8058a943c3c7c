"""Forms of the SCIC: an associate's reply to a convocation, and the coordinator's pages in
the back-office (a movement of the register, the votes of a resolution)."""

from django import forms

from scic.models import Associate, Attendance

Status = Attendance.Status


class ReplyForm(forms.Form):
    """The associate's answer to the convocation."""

    status = forms.ChoiceField(
        label="Votre réponse",
        widget=forms.RadioSelect,
        choices=[
            (Status.PRESENT, "Je serai présent·e"),
            (Status.REPRESENTED, "Je donne pouvoir à un autre associé"),
            (Status.ABSENT, "Je serai absent·e, sans donner de pouvoir"),
        ],
        error_messages={"required": "Choisissez une réponse."},
    )
    proxy_holder = forms.ModelChoiceField(
        label="Associé qui vous représentera",
        queryset=Associate.objects.none(),
        required=False,
        empty_label="Choisissez…",
    )

    def __init__(self, *args, attendance: Attendance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proxy_holder"].queryset = (
            Associate.objects.filter(attendances__assembly=attendance.assembly_id)
            .exclude(pk=attendance.associate_id)
            .select_related("structure", "person")
        )
        self.fields["proxy_holder"].label_from_instance = lambda associate: associate.name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.REPRESENTED and not cleaned.get("proxy_holder"):
            self.add_error("proxy_holder", "Choisissez l'associé à qui vous donnez pouvoir.")
        return cleaned
