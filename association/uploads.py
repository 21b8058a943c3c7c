"""Files people upload (the identity's logo): what is accepted, under which name it is stored,
and how it is served back.

An uploaded file is served from the site's own origin, where the Content-Security-Policy trusts
same-origin scripts: a page or script smuggled in as a "logo" would run with a superuser's
session. So only raster images whose decoded format is checked are accepted, stored under a name
we choose, and every file under MEDIA_URL is served inert (no sniffing, a sandboxing policy, and
as a download unless it is one of those images)."""

import secrets
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.views.static import serve
from PIL import Image, UnidentifiedImageError

# Pillow's format name → the extension the stored file gets and the type it is served as.
RASTER_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
}
INLINE_CONTENT_TYPES = {content_type for _, content_type in RASTER_FORMATS.values()}
# Served with every uploaded file: nothing in it may run, load or be framed.
SANDBOX_POLICY = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'none'"


def _image_format(file: File) -> str | None:
    """The format Pillow decodes `file` as, after checking its structure; None if it is no
    image Pillow reads (HTML, SVG, a truncated file…)."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
            return image.format
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ):
        return None
    finally:
        file.seek(0)


def validate_raster_image(file: File) -> None:
    """A PNG, JPEG or WebP image, within LOGO_MAX_BYTES and LOGO_MAX_PIXELS on each side,
    whatever the file's name or announced type says."""
    max_bytes = settings.LOGO_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            "Ce fichier pèse %(size)s\u00a0Ko ; une image de %(max)s\u00a0Ko au plus est "
            "acceptée.",
            code="file_too_large",
            params={"size": -(-file.size // 1024), "max": max_bytes // 1024},
        )
    image_format = _image_format(file)
    if image_format not in RASTER_FORMATS:
        raise ValidationError(
            "Ce fichier n'est pas une image PNG, JPEG ou WebP (les images SVG ne sont pas "
            "acceptées).",
            code="invalid_image",
        )
    file.seek(0)
    with Image.open(file) as image:
        width, height = image.size
    file.seek(0)
    max_pixels = settings.LOGO_MAX_PIXELS
    if width > max_pixels or height > max_pixels:
        raise ValidationError(
            "Cette image mesure %(width)s\u00a0\u00d7\u00a0%(height)s pixels ; %(max)s pixels au "
            "plus de côté sont acceptés.",
            code="image_too_large",
            params={"width": width, "height": height, "max": max_pixels},
        )


class RasterImageFormField(forms.FileField):
    """The form field of a `RasterImageField`: a plain file field, so that the model field's
    `validate_raster_image` says what is wrong in its own words (`forms.ImageField` would
    first answer with Django's « not an image or corrupted »). Browsers offer only the
    accepted types."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(sorted(INLINE_CONTENT_TYPES))
        return attrs


class RasterImageField(models.ImageField):
    """An image field checked by `validate_raster_image` alone: without `ImageField`'s own
    extension check, whose message lists seventy extensions Pillow reads (the file's name does
    not count here: it is stored under a name of ours)."""

    default_validators = [validate_raster_image]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RasterImageFormField, **kwargs})


def stored_image_name(file: File, *, folder: str) -> str:
    """Where an accepted image is stored: a random name with the extension of its real format,
    never the uploader's file name (which may say anything, `.html` included)."""
    extension, _ = RASTER_FORMATS.get(_image_format(file), ("bin", ""))
    return f"{folder}/{secrets.token_urlsafe(12)}.{extension}"


def serve_upload(request, path: str):
    """A file under MEDIA_ROOT, served inert. `django.views.static.serve` refuses paths that
    leave the folder and directory listings (404)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT, show_indexes=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in INLINE_CONTENT_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response


# --- Documents (agendas, minutes, presentations of the working groups) ------------------------

# Extension → the type a document is sent as. Nothing else is accepted, whatever its name.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
}
# An OOXML document is a zip holding this part (its main document).
_OOXML_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_ODF_TYPES = {DOCUMENT_TYPES[ext]: ext for ext in ("odt", "ods", "odp")}
# A zip that unpacks into more than this, or holds more members, is refused: a « zip bomb »
# would exhaust whoever opens it.
_ZIP_MAX_UNPACKED = 200 * 1024 * 1024
_ZIP_MAX_MEMBERS = 5000


def document_format(file: File) -> str | None:
    """The extension of what `file` really is (« pdf », « docx »…), read from its content —
    magic bytes, the zip's structure, Pillow for images — never from its name; None if it is
    none of DOCUMENT_TYPES (or a macro-enabled Office file, or a suspicious zip)."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_document_format(file)
    image = _image_format(file)
    return {"PNG": "png", "JPEG": "jpg"}.get(image or "")


def _zip_document_format(file: File) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if (
                len(members) > _ZIP_MAX_MEMBERS
                or sum(m.file_size for m in members) > _ZIP_MAX_UNPACKED
            ):
                return None
            names = {m.filename for m in members}
            # ODF: an uncompressed « mimetype » first, naming the kind of document.
            if members and members[0].filename == "mimetype":
                return _ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace"))
            if "[Content_Types].xml" in names:
                content_types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in content_types or "vbaProject.bin" in str(names):
                    return None
                return next((ext for part, ext in _OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        file.seek(0)
    return None


def validate_document(file: File) -> None:
    """A PDF, OpenDocument (ODT, ODS, ODP), Office (DOCX, XLSX, PPTX), PNG or JPEG file, by its
    content, within DOCUMENT_MAX_BYTES."""
    max_bytes = settings.DOCUMENT_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            "Ce fichier pèse %(size)s\u00a0Mo ; %(max)s\u00a0Mo au plus sont acceptés.",
            code="file_too_large",
            params={
                "size": f"{file.size / 1024 / 1024:.1f}".replace(".", ","),
                "max": f"{max_bytes / 1024 / 1024:.0f}",
            },
        )
    if document_format(file) is None:
        raise ValidationError(
            "Ce fichier n'est ni un PDF, ni un document OpenDocument (ODT, ODS, ODP) ou Office "
            "(DOCX, XLSX, PPTX), ni une image PNG ou JPEG. Les fichiers Office avec macros ne "
            "sont pas acceptés.",
            code="invalid_document",
        )


def stored_document_name(file: File, *, folder: str) -> str:
    """A random name with the extension of the document's real format."""
    return f"{folder}/{secrets.token_urlsafe(18)}.{document_format(file) or 'bin'}"


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder whose files have no URL: they are only ever sent by a view that checks the
    right first (the groups' documents). Asking for a URL is a bug, not a link to print."""

    def url(self, name):
        raise ValueError("Ces fichiers n'ont pas d'adresse publique : passez par leur vue.")
