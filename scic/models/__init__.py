"""The SCIC's records, one module per subject."""

from scic.models.assembly import Attendance, GeneralAssembly, Resolution, ScicMailKind, VoteCount
from scic.models.consent import ConvocationConsent
from scic.models.register import (
    APPEND_ONLY_MESSAGE,
    PLACEMENT_APPEND_ONLY_MESSAGE,
    Associate,
    Category,
    College,
    Placement,
    ShareMovement,
)
from scic.models.rules import Rule

__all__ = [
    "APPEND_ONLY_MESSAGE",
    "PLACEMENT_APPEND_ONLY_MESSAGE",
    "Associate",
    "Attendance",
    "Category",
    "College",
    "ConvocationConsent",
    "GeneralAssembly",
    "Placement",
    "Resolution",
    "Rule",
    "ScicMailKind",
    "ShareMovement",
    "VoteCount",
]
