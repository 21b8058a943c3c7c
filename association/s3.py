"""The groups' documents in an S3-compatible bucket (django-storages), when the settings name
one (DOCUMENTS_S3_BUCKET). Imported only then: boto3 is not loaded for a local folder.

Like `PrivateFileSystemStorage`, the bucket's files have no address to hand out: each is sent
by the portal's view after the right is checked, never by redirecting to the bucket (not even
a signed, short-lived address)."""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A private bucket: each object is written with the « private » canned ACL (unless the
    settings say the bucket refuses ACLs), as a download, never over an existing name, and
    without any URL, signed or not."""

    default_acl = "private"
    file_overwrite = False
    querystring_auth = True
    # Read back through a temporary file that goes to disk past 2 MiB, not all in memory.
    max_memory_size = 2 * 1024 * 1024
    # Should the bucket ever be opened by mistake, a browser still downloads, sniffing nothing.
    object_parameters = {"ContentDisposition": "attachment"}
    # (django-storages' __init__ keeps these class attributes over its AWS_* settings; only the
    # OPTIONS of STORAGES["documents"] replace them.)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Ces fichiers n'ont pas d'adresse publique : passez par leur vue.")
