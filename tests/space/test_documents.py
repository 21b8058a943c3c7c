"""The groups' documents: accepted by their content (never their name), within a size limit,
stored under a random name outside MEDIA_ROOT, and sent only after the right is checked, with
Content-Disposition and nosniff."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from association.uploads import document_format, validate_document
from groups.models import Document
from tests.conftest import sign_in_to_space
from tests.factories import PDF_BYTES, DocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _zip(members: dict[str, bytes], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first, members.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, fmt)
    return buffer.getvalue()


def _odf(kind: str) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return _zip({"mimetype": mimetype, "content.xml": b"<x/>"}, first="mimetype")


def _ooxml(part: str, content_types: bytes = b"<Types/>") -> bytes:
    return _zip({"[Content_Types].xml": content_types, part: b"<x/>"})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, "pdf"),
        (_odf("text"), "odt"),
        (_odf("spreadsheet"), "ods"),
        (_odf("presentation"), "odp"),
        (_ooxml("word/document.xml"), "docx"),
        (_ooxml("xl/workbook.xml"), "xlsx"),
        (_ooxml("ppt/presentation.xml"), "pptx"),
        (_image("PNG"), "png"),
        (_image("JPEG"), "jpg"),
    ],
)
def test_accepted_formats_are_recognised_by_their_content(content, expected):
    # Whatever the name says: a PDF named « photo.png » is a PDF.
    file = ContentFile(content, name="nom-trompeur.png")
    assert document_format(file) == expected
    validate_document(file)


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"MZ\x90\x00 an executable",
        _zip({"readme.txt": b"hello"}),
        _odf("graphics"),
        _ooxml(
            "word/document.xml", b"<Types>application/vnd.ms-word.document.macroEnabled</Types>"
        ),
        _image("GIF"),
        PDF_BYTES[1:],
        # A page of HTML behind a PDF header: no « %%EOF » at its end.
        b"%PDF-1.4\n<html><script>alert(1)</script></html>\n",
        # Macros under another name or another case: refused all the same.
        _ooxml(
            "word/document.xml", b'<Types ContentType="application/vnd.ms-office.VBAPROJECT"/>'
        ),
        _zip(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/workbook.xml": b"<x/>",
                "xl/VBAPROJECT.BIN": b"x",
            }
        ),
        _zip(
            {
                "mimetype": b"application/vnd.oasis.opendocument.text",
                "content.xml": b"<x/>",
                "Basic/Standard/Module1.xml": b"<script:module/>",
            },
            first="mimetype",
        ),
        _zip(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<x/>",
                "Scripts/python/macro.py": b"import os",
            },
            first="mimetype",
        ),
        # A « mimetype » part far too large to be one is not read.
        _zip(
            {"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 2_000_000},
            first="mimetype",
        ),
    ],
    ids=[
        "html",
        "svg",
        "exe",
        "zip",
        "odg",
        "docm",
        "gif",
        "pdf-tronque",
        "html-derriere-un-en-tete-pdf",
        "docx-vba-renomme",
        "xlsx-vba-majuscules",
        "odt-basic",
        "ods-python",
        "odt-mimetype-geant",
    ],
)
def test_anything_else_is_refused_whatever_its_name(content):
    with pytest.raises(ValidationError) as error:
        validate_document(ContentFile(content, name="compte-rendu.pdf"))
    assert "n'est ni un PDF" in error.value.messages[0]


def test_an_empty_basic_library_container_is_no_macro():
    odt = _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<x/>",
            "Basic/script-lc.xml": b"<library:libraries/>",
        },
        first="mimetype",
    )
    assert document_format(ContentFile(odt)) == "odt"


def test_a_zip_bomb_is_refused_unopened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<x/>")
        archive.writestr("word/media/zeros.bin", bytes(250 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024  # under the size limit: the zip says it all
    assert document_format(ContentFile(buffer.getvalue())) is None


def test_a_document_over_the_limit_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="Mo au plus"):
        validate_document(ContentFile(PDF_BYTES + b" " * 1000, name="gros.pdf"))


def test_stored_under_a_random_name_outside_media(documents_root):
    document = DocumentFactory(file=ContentFile(PDF_BYTES, name="<script>.html"))
    assert document.extension == "pdf" and document.size == len(PDF_BYTES)
    assert document.file.name.endswith(".pdf") and "script" not in document.file.name
    assert str(documents_root) in document.file.path
    assert str(settings.MEDIA_ROOT) not in document.file.path
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 (no public address, ever)


def test_the_file_goes_with_its_record(django_capture_on_commit_callbacks):
    document = DocumentFactory()
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not storage.exists(name)


def test_a_participant_downloads_a_reserved_document_with_safe_headers(two_groups, partner_client):
    document = two_groups.document_a
    response = partner_client.get(reverse("space:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="document-secret-a.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_a_reserved_document_sends_a_visitor_to_sign_in_and_hides_from_others(two_groups, client):
    url = reverse("space:document", args=[two_groups.document_a.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("space:sign_in")
    )
    sign_in_to_space(client, two_groups.participant_b)
    assert client.get(url).status_code == 404
    # A participant through their structure reads it too.
    colleague = PersonFactory(structure=two_groups.participant_a.structure)
    two_groups.group_a.participant_structures.add(colleague.structure)
    sign_in_to_space(client, colleague)
    assert client.get(url).status_code == 200


def test_a_public_document_is_for_everyone(two_groups, client):
    response = client.get(reverse("space:document", args=[two_groups.public_document_a.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    page = client.get(two_groups.past_a.get_absolute_url()).content.decode()
    assert "Document SECRET-A" not in page


def test_the_proxy_can_send_the_file(two_groups, client, settings):
    settings.DOCUMENTS_ACCEL_REDIRECT = "/documents-proteges/"
    document = two_groups.public_document_a
    response = client.get(reverse("space:document", args=[document.pk]))
    assert response["X-Accel-Redirect"] == f"/documents-proteges/{document.file.name}"
    assert response.content == b""


@pytest.mark.ignore_template_errors
def test_a_lead_attaches_a_document_to_a_meeting_of_their_group(two_groups, lead_client):
    meeting = two_groups.upcoming_a
    response = lead_client.post(
        reverse("admin:groups_document_add"),
        {
            "group": two_groups.group_a.pk,
            "meeting": meeting.pk,
            "title": "Ordre du jour",
            "kind": "agenda",
            "visibility": "participants",
            "file": ContentFile(_odf("text"), name="odj.odt"),
        },
    )
    assert response.status_code == 302
    assert Document.objects.get(title="Ordre du jour").extension == "odt"
    refused = lead_client.post(
        reverse("admin:groups_document_add"),
        {
            "group": two_groups.group_b.pk,
            "title": "Intrus",
            "kind": "other",
            "visibility": "public",
            "file": ContentFile(PDF_BYTES, name="x.pdf"),
        },
    )
    assert refused.status_code == 200
    assert not Document.objects.filter(title="Intrus").exists()


def test_a_replaced_file_leaves_the_private_storage(django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    document = DocumentFactory()
    old = document.file.name
    storage = document.file.storage
    assert storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        document.file = ContentFile(PDF_BYTES, name="nouveau.pdf")
        document.save()
    assert not storage.exists(old)
    assert storage.exists(document.file.name)


def test_with_2fa_required_a_staff_session_without_its_code_reads_no_reserved_document(
    two_groups, client, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    client.force_login(two_groups.lead_user_a)  # a password, no one-time code
    assert client.get(reverse("admin:index")).status_code == 302  # the admin's login
    url = reverse("space:document", args=[two_groups.document_a.pk])
    assert client.get(url).status_code != 200
    settings.ADMIN_REQUIRE_2FA = False
    assert client.get(url).status_code == 200


def test_documents_are_kept_by_no_shared_cache(two_groups, client):
    # A public document made reserved later must not stay in a proxy's cache for an hour.
    response = client.get(reverse("space:document", args=[two_groups.public_document_a.pk]))
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
