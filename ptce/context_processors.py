from ptce.models import SiteIdentity


def site_identity(request):
    """The association's identity, for the header, footer and page titles."""
    return {"site": SiteIdentity.load()}
