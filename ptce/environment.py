"""What ptce/settings.py reads from the environment and cannot take as it is: the .env file
checked before it is read, a mail URL turned into Django's MAILERS entry, the documents'
storage. Nothing here imports Django's settings: they are being built."""

import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured


def refuse_comments_after_values(env_file: str) -> None:
    """« NAME=value   # a note » keeps the note in the value for django-environ (and for
    systemd's EnvironmentFile): refuse the file rather than run with « 1   # one nginx » as a
    number or a SECRET_KEY ending in a comment. Comments go on their own line."""
    if not Path(env_file).is_file():
        return
    for number, line in enumerate(Path(env_file).read_text().splitlines(), start=1):
        match = re.fullmatch(r"(?:export )?(\w+)=(.*)", line)
        quoted = match and re.fullmatch(r"'.*'|\".*\"", match[2])
        if match and not quoted and re.search(r"\s#", match[2]):
            raise ImproperlyConfigured(
                f"{env_file}, line {number}: {match[1]} is followed by a comment on the same "
                "line, which would be read as part of the value. Put the comment on a line of "
                "its own (starting with #)."
            )


def mailer_from_url(url: str, timeout: int) -> dict:
    """Django 6.1's MAILERS entry from an EMAIL_URL: smtp://user:pass@host:25 (plain),
    smtp+tls://…:587 (STARTTLS), smtp+ssl://…:465 (TLS from the start), consolemail://,
    filemail:///path. A « @ » in the user name or a « / », « ? », « # », « : » in the password
    is written %40, %2F, %3F, %23, %3A (docs/deploy.md)."""
    scheme = url.split("://", 1)[0]
    if scheme in {"smtps", "submission"}:
        # django-environ takes « smtps » for STARTTLS (which hangs on port 465) and does not
        # know « submission »: name the one meant.
        raise ImproperlyConfigured(
            f"EMAIL_URL: « {scheme}:// » is ambiguous. Use smtp+ssl://user:password@host:465 "
            "(TLS from the start) or smtp+tls://user:password@host:587 (STARTTLS)."
        )
    config = environ.Env.email_url_config(url)
    backend = config.pop("EMAIL_BACKEND")
    if not backend.endswith("smtp.EmailBackend"):
        options = {"file_path": config["EMAIL_FILE_PATH"]} if config.get("EMAIL_FILE_PATH") else {}
        return {"BACKEND": backend, "OPTIONS": options}
    options = {
        "host": config.get("EMAIL_HOST") or "localhost",
        "port": config.get("EMAIL_PORT"),
        "username": config.get("EMAIL_HOST_USER") or "",
        "password": config.get("EMAIL_HOST_PASSWORD") or "",
        "use_tls": bool(config.get("EMAIL_USE_TLS")),
        "use_ssl": bool(config.get("EMAIL_USE_SSL")),
        "timeout": timeout,
    }
    return {"BACKEND": backend, "OPTIONS": options}


def documents_storage(env: environ.Env, documents_root: Path) -> dict:
    """STORAGES["documents"] from the environment: the DOCUMENTS_ROOT folder, or the bucket
    DOCUMENTS_S3_BUCKET (its endpoint for a provider other than AWS, its region, its keys;
    without keys, boto3's own chain: an instance role…). The portal still sends every file
    itself: the bucket stays private and no address of it is ever handed out."""
    bucket = env.str("DOCUMENTS_S3_BUCKET", default="")
    if not bucket:
        return {
            "BACKEND": "association.uploads.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(documents_root)},
        }
    if env.str("DOCUMENTS_ACCEL_REDIRECT", default=""):
        raise ImproperlyConfigured(
            "DOCUMENTS_ACCEL_REDIRECT sends files from a local folder: leave it empty when "
            "DOCUMENTS_S3_BUCKET keeps them in a bucket."
        )
    options = {
        "bucket_name": bucket,
        "location": env.str("DOCUMENTS_S3_PREFIX", default=""),
        # Empty for a bucket whose ACLs are disabled (its policy keeps it private).
        "default_acl": env.str("DOCUMENTS_S3_ACL", default="private") or None,
    }
    for option, name in [
        ("endpoint_url", "DOCUMENTS_S3_ENDPOINT_URL"),
        ("region_name", "DOCUMENTS_S3_REGION"),
        ("access_key", "DOCUMENTS_S3_ACCESS_KEY_ID"),
        ("secret_key", "DOCUMENTS_S3_SECRET_ACCESS_KEY"),
        ("addressing_style", "DOCUMENTS_S3_ADDRESSING_STYLE"),
    ]:
        if value := env.str(name, default=""):
            options[option] = value
    return {"BACKEND": "association.s3.PrivateS3Storage", "OPTIONS": options}
