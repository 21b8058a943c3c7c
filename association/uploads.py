"""Files people upload (the identity's logo): what is accepted, under which name it is stored,
and how it is served back.

An uploaded file is served from the site's own origin, where the Content-Security-Policy trusts
same-origin scripts: a page or script smuggled in as a "logo" would run with a superuser's
session. So only raster images whose decoded format is checked are accepted, stored under a name
we choose, and every file under MEDIA_URL is served inert (no sniffing, a sandboxing policy, and
as a download unless it is one of those images)."""

import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
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
