"""Uploaded files: only checked raster images are accepted as the logo, under a name of our own,
and everything under /media/ is served so that a browser can never run it as a page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from PIL import Image

from association.models import SiteIdentity

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]

HTML = b"<!doctype html><title>x</title><script src='/media/identity/evil.js'></script>"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Uploads land in a throwaway folder, never in the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def image_bytes(fmt="PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f5f8b").save(buffer, format=fmt)
    return buffer.getvalue()


def post_logo(client, upload=None, clear=False):
    identity = SiteIdentity.load()
    data = model_to_dict(identity, exclude=["id", "logo"])
    if upload is not None:
        data["logo"] = upload
    if clear:
        data["logo-clear"] = "on"
    url = reverse("admin:association_siteidentity_change", args=[identity.pk])
    return client.post(url, data)


def stored_files(media_root):
    return sorted(
        p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()
    )


def test_an_html_file_disguised_as_a_png_is_refused(coordinator_client, media_root):
    response = post_logo(coordinator_client, SimpleUploadedFile("logo.png", HTML, "image/png"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["logo"]
    assert any("pas une image" in error for error in errors), errors
    assert not SiteIdentity.load().logo
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.gif", image_bytes("GIF")),
        ("logo.png", image_bytes("GIF")),  # the real format counts, not the name
    ],
)
def test_only_png_jpeg_and_webp_are_accepted(coordinator_client, media_root, name, content):
    response = post_logo(coordinator_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"]
    assert stored_files(media_root) == []


def test_a_too_large_image_is_refused_with_a_french_message(coordinator_client, media_root):
    response = post_logo(
        coordinator_client, SimpleUploadedFile("l.png", image_bytes(size=(4001, 10)))
    )
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["logo"]
    assert "pixels" in error and "au plus" in error
    assert stored_files(media_root) == []


def test_a_too_heavy_file_is_refused_with_a_french_message(coordinator_client, settings):
    settings.LOGO_MAX_BYTES = 100
    response = post_logo(coordinator_client, SimpleUploadedFile("l.png", image_bytes()))
    [error] = response.context["adminform"].form.errors["logo"]
    assert "Ko" in error and "au plus" in error


def test_a_real_image_is_stored_under_a_new_name_and_replaces_the_old_file(
    coordinator_client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_logo(coordinator_client, SimpleUploadedFile("mon logo.png", image_bytes()))
    assert response.status_code == 302
    first = SiteIdentity.load().logo.name
    assert first.startswith("identity/") and first.endswith(".png")
    assert "mon" not in first and "logo.png" not in first
    assert stored_files(media_root) == [first]

    with django_capture_on_commit_callbacks(execute=True):
        post_logo(coordinator_client, SimpleUploadedFile("autre.png", image_bytes("JPEG")))
    second = SiteIdentity.load().logo.name
    assert second != first and second.endswith(".jpg")  # named after its real format
    assert stored_files(media_root) == [second]

    with django_capture_on_commit_callbacks(execute=True):
        post_logo(coordinator_client, clear=True)
    assert not SiteIdentity.load().logo
    assert stored_files(media_root) == []


def test_uploaded_images_are_served_inert(client, media_root):
    (media_root / "identity").mkdir()
    (media_root / "identity" / "logo.png").write_bytes(image_bytes())
    response = client.get("/media/identity/logo.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize("name", ["page.html", "dessin.svg", "script.js", "sans-extension"])
def test_any_other_file_is_served_as_a_download(client, media_root, name):
    (media_root / name).write_bytes(HTML)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.logged_errors  # Django logs a path leaving the folder to django.security
def test_media_are_served_with_debug_off_and_never_outside_the_folder(
    client, settings, media_root
):
    settings.DEBUG = False
    (media_root.parent / "secret.txt").write_text("secret")
    (media_root / "logo.png").write_bytes(image_bytes())
    assert client.get("/media/logo.png").status_code == 200
    for probe in ["/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/..%2fsecret.txt"]:
        response = client.get(probe)
        assert response.status_code in (400, 404), probe
        assert b"secret" not in response.getvalue()
    assert client.get("/media/").status_code == 404


OUR_FORMAT_ERROR = (
    "Ce fichier n'est pas une image PNG, JPEG ou WebP (les images SVG ne sont pas acceptées)."
)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.gif", image_bytes("GIF")),  # an image Pillow reads, of a refused format
        ("logo.html", HTML),  # no image at all
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    ],
    ids=["gif", "html", "svg"],
)
def test_a_refused_logo_gets_our_one_french_message(coordinator_client, name, content):
    """Not Django's list of seventy extensions, nor its « not an image » before ours."""
    response = post_logo(coordinator_client, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [OUR_FORMAT_ERROR]


def test_the_name_of_an_accepted_image_does_not_count(coordinator_client, media_root):
    response = post_logo(coordinator_client, SimpleUploadedFile("logo.html", image_bytes()))

    assert response.status_code == 302
    assert SiteIdentity.load().logo.name.endswith(".png")


def test_the_file_picker_offers_only_the_accepted_types(coordinator_client):
    identity = SiteIdentity.load()
    page = coordinator_client.get(
        reverse("admin:association_siteidentity_change", args=[identity.pk])
    ).content.decode()

    assert 'accept="image/jpeg,image/png,image/webp"' in page
