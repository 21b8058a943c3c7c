"""Uploaded files are readable by the portal's user and its group only (nginx joins the group
to send the documents itself), not by every account of the server (issue #26: 0644)."""

import stat

from django.core.files.base import ContentFile
from django.core.files.storage import storages


def test_a_document_and_its_folder_are_private_to_the_portals_user_and_group(documents_root):
    storage = storages["documents"]
    name = storage.save("groupe/2026/compte-rendu.pdf", ContentFile(b"%PDF-1.4 minutes"))
    written = documents_root / name
    assert stat.S_IMODE(written.stat().st_mode) == 0o640
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o750
    assert stat.S_IMODE((documents_root / "groupe").stat().st_mode) == 0o750
    storage.delete(name)
