"""Workflows of the working groups, one module per subject: meetings (cancel, held, changes),
series, invitations and answers, reminders, attendance."""
