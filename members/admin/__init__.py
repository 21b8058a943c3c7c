"""The member file in the back-office, one module per area."""

from django.contrib import admin

from members.admin import join_requests, memberships  # noqa: F401
from members.admin.personal_data import install_personal_data_admin

# Last, once every module above has registered its admins.
install_personal_data_admin(admin.site)
