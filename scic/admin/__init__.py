"""The SCIC in the back-office: rules, colleges and categories, the register and its
movements, the general assemblies."""

from scic.admin import assembly, movements, register, rules  # noqa: F401 (registers them)
