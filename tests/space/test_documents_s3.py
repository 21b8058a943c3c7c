"""The groups' documents in an S3-compatible bucket (DOCUMENTS_S3_BUCKET): tried for real
against a local S3 server (moto's, on a free loopback port, started by the test itself).
Uploaded through the back-office, written private, sent by the portal's view after the right
check (never a redirect to the bucket), removed with their record."""

import boto3
import environ
import pytest
from botocore.exceptions import ClientError
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from groups.models import Document
from ptce.environment import documents_storage
from tests.conftest import sign_in_to_space
from tests.factories import PDF_BYTES, PersonFactory, WorkingGroupFactory

BUCKET = "ptce-documents"
REGION = "eu-west-3"
KEYS = {"DOCUMENTS_S3_ACCESS_KEY_ID": "essai", "DOCUMENTS_S3_SECRET_ACCESS_KEY": "secret-essai"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_env(monkeypatch, s3_endpoint):
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCUMENTS_S3_BUCKET", BUCKET)
    monkeypatch.setenv("DOCUMENTS_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("DOCUMENTS_S3_REGION", REGION)
    monkeypatch.setenv("DOCUMENTS_S3_PREFIX", "documents")
    monkeypatch.delenv("DOCUMENTS_ACCEL_REDIRECT", raising=False)
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


@pytest.fixture
def bucket(s3_env, s3_endpoint, settings):
    """A fresh private bucket, and the portal's documents stored in it as the settings say."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["DOCUMENTS_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["DOCUMENTS_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": documents_storage(s3_env, settings.DOCUMENTS_ROOT),
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_the_settings_choose_a_private_bucket_or_the_folder(s3_env, s3_endpoint, monkeypatch):
    root = django_settings.DOCUMENTS_ROOT
    config = documents_storage(s3_env, root)
    assert config["BACKEND"] == "association.s3.PrivateS3Storage"
    assert config["OPTIONS"] == {
        "bucket_name": BUCKET,
        "location": "documents",
        "default_acl": "private",
        "endpoint_url": s3_endpoint,
        "region_name": REGION,
        "access_key": "essai",
        "secret_key": "secret-essai",
    }
    # The proxy's X-Accel-Redirect sends a local folder: with a bucket, it is a mistake.
    monkeypatch.setenv("DOCUMENTS_ACCEL_REDIRECT", "/documents-proteges/")
    with pytest.raises(ImproperlyConfigured):
        documents_storage(s3_env, root)
    monkeypatch.setenv("DOCUMENTS_S3_BUCKET", "")
    assert (
        documents_storage(s3_env, root)["BACKEND"]
        == "association.uploads.PrivateFileSystemStorage"
    )


@pytest.mark.django_db
@pytest.mark.ignore_template_errors
def test_uploaded_private_sent_after_the_check_and_deleted_with_the_record(
    bucket, coordinator, client, django_capture_on_commit_callbacks
):
    group = WorkingGroupFactory()
    participant = PersonFactory()
    group.participant_people.add(participant)

    # Uploaded through the back-office.
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:groups_document_add"),
        {
            "group": group.pk,
            "title": "Compte rendu de juin",
            "kind": "minutes",
            "visibility": "participants",
            "file": ContentFile(PDF_BYTES, name="<script>.html"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Compte rendu de juin")
    assert document.extension == "pdf" and document.size == len(PDF_BYTES)
    key = f"documents/{document.file.name}"
    assert [item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]] == [key]

    # Written private, as a download; and no address of it is ever handed out.
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    assert bucket.head_object(Bucket=BUCKET, Key=key)["ContentDisposition"] == "attachment"
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018

    # Sent by the portal, after the right check, with the same headers as from the folder.
    url = reverse("space:document", args=[document.pk])
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("space:sign_in"))
    sign_in_to_space(client, PersonFactory())
    assert client.get(url).status_code == 404
    sign_in_to_space(client, participant)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="compte-rendu-de-juin.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert "Location" not in response

    # Deleted with its record, once the deletion is committed.
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:groups_document_delete", args=[document.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert "Contents" not in bucket.list_objects_v2(Bucket=BUCKET)
    with pytest.raises(ClientError):
        bucket.head_object(Bucket=BUCKET, Key=key)
