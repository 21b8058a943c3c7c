"""Error reports to Sentry or GlitchTip when SENTRY_DSN is set, without the personal data a
report would otherwise carry (GDPR: the tracker is a processor outside the association).

sentry-sdk without `send_default_pii` still sends the query string, the request body (a join
form's name, e-mail and phone), the variables of every frame, the headers (a Referer holding a
sign-in link) and the error's own text (PostgreSQL's « Key (email)=(…) already exists »). Here
no body nor frame variable is collected, and `scrub` removes the rest before an event leaves.
Loaded by the settings: imports nothing of the portal."""

import logging
import re
import smtplib

# What may identify a visitor in free text. Each pattern starts only where a run of its
# characters starts (a lookbehind) and takes the run whole (possessive): linear on a long
# text, where « [\w.]+@ » tried at every position is quadratic (30 s on 100 kB).
# An e-mail address, « marie@orange » too (a typo is still hers), its @ percent-encoded in an
# address (« marie%40example.org »), its local part quoted (« "marie.dupont"@example.org »).
EMAIL = re.compile(
    r'(?<![\w.+-])(?:[\w.+-]++|"[^"\r\n]{1,64}+")(?:@|%40)[\w-]+(?:\.[\w-]+)*', re.IGNORECASE
)
# A French phone number (« 06 12 34 56 78 », « 06/12/34/56/78 » with slashes throughout, so a
# date « 01/12/2026 14 h » is not one, « (06) 12 34 56 78 »), or another country's: +CC then
# three to five groups of digits (not « +0.123 », « (+1) », nor a date with its hour
# « 01-12-2026 14:22 »).
PHONE = re.compile(
    r"(?<!\d)(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9]"
    r"(?:(?:[\s.-]?\d{2}){4}|(?:/\d{2}){4})(?![\d:])"
    r"|(?<![\w(])\(0[1-9]\)[\s.-]?\d{2}(?:[\s.-]?\d{2}){3}(?![\d:])"
    r"|(?<![\w+])\+[1-9]\d{0,2}(?:[\s.-]?\d{2,4}){3,5}(?![\d:])"
)
# A signed value or one-time token: a run of 20 URL-safe characters or more with a digit and a
# capital or a colon (a slug, all small letters, digits and hyphens, is kept; so is an ISO
# moment, « 2026-12-01T14:22:26Z »).
RUN = re.compile(r"(?<![A-Za-z0-9_\-:])[A-Za-z0-9_\-:]{20,}+")
DIGIT, CAPITAL_OR_COLON = re.compile(r"\d"), re.compile(r"[A-Z:]")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?")
# A password link's token: « <timestamp>-<hexadecimal hash> » (Django's token generator).
HEX = re.compile(r"(?<![\w-])[0-9a-z]{1,13}-[0-9a-f]{20,}(?![\w-])|(?<!\w)[0-9a-f]{16,}(?!\w)")
# The values a database error quotes, to the end of the message: « Key (email)=(…) »,
# « Failing row contains (…) », « invalid input syntax for type integer: "…" ».
ROW_VALUES = re.compile(
    r"(\)=\(|Failing row contains \(|DETAIL:\s+|invalid input syntax for type [\w ]+: )[\s\S]*"
)
# Longer texts are cut before scrubbing: the tracker cuts them anyway.
MAX_TEXT = 8192
KEPT_HEADERS = {"host", "user-agent", "accept", "accept-language", "content-type"}
FILTERED = "[Filtered]"


def _token(match: re.Match) -> str:
    run = match[0]
    if ISO_MOMENT.fullmatch(run):
        return run
    return "[jeton]" if DIGIT.search(run) and CAPITAL_OR_COLON.search(run) else run


def scrub_text(text):
    if not isinstance(text, str):
        return text
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + "…"
    text = ROW_VALUES.sub(
        lambda match: match[1] + ("[valeurs])" if match[1].endswith("(") else "[valeurs]"), text
    )
    text = EMAIL.sub("[courriel]", text)
    text = PHONE.sub("[téléphone]", text)
    text = HEX.sub("[jeton]", text)
    return RUN.sub(_token, text)


def _url(url: str, event: dict) -> str:
    """The address without its query, its path replaced by the route (« /reponse/<str:token>/ »)
    when sentry-sdk named it: a path may hold a link's token in any form."""
    url = url.split("?", 1)[0]
    route = event.get("transaction")
    if (event.get("transaction_info") or {}).get("source") == "route" and route:
        origin = re.match(r"[a-z]+://[^/]+", url)
        return (origin[0] if origin else "") + route
    return scrub_text(url)


def scrub(event: dict, hint: dict | None = None) -> dict:
    """sentry-sdk's `before_send`: the event without what could identify a person."""
    # The user, and what a log call attached: Django's security loggers attach the request,
    # sent as its repr with the whole path and query string.
    for field in ("user", "extra", "tags"):
        event.pop(field, None)
    # The transaction names the route (« /groupes/reponse/<str:token>/ »), or, when the path
    # matched none, the path itself.
    if (event.get("transaction_info") or {}).get("source") != "route" and event.get("transaction"):
        event["transaction"] = scrub_text(event["transaction"])
    request = event.get("request")
    if isinstance(request, dict):
        for field in ("query_string", "data", "cookies"):
            if request.get(field):
                request[field] = FILTERED
        if "url" in request:
            request["url"] = _url(request["url"], event)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
            }
        request.pop("env", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = scrub_text(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry["message"] = scrub_text(logentry.get("message"))
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    if "message" in event:
        event["message"] = scrub_text(event["message"])
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        scrub_breadcrumb(crumb)
    return event


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    """sentry-sdk's `before_breadcrumb`: a log line or query kept without its values."""
    crumb["message"] = scrub_text(crumb.get("message"))
    crumb.pop("data", None)
    return crumb


def start(dsn: str, environment: str) -> None:
    try:
        import sentry_sdk
    except ImportError as missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install -e '.[sentry]'."
        ) from missing
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        # Breadcrumbs are the log lines before an error: gunicorn's has the visitor's address
        # and query string, others name people. None is kept.
        max_breadcrumbs=0,
        before_send=scrub,
        before_breadcrumb=scrub_breadcrumb,
    )


class AdminMailHandler(logging.Handler):
    """Errors mailed to ADMINS when no tracker is set: the message, the request's method and
    path and the traceback, scrubbed like a tracker's event. Django's own handler would mail the
    form's fields, the cookies and every frame's variables."""

    # The same message at most once in this many seconds from one process: a database outage
    # makes every request fail the same way.
    REPEAT_SECONDS = 600

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_sent: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        from django.conf import settings
        from django.core.mail import mail_admins

        if not settings.ADMINS:
            return
        try:
            message = " ".join(scrub_text(record.getMessage()).split())
            if record.created - self.last_sent.get(message, -self.REPEAT_SECONDS) < (
                self.REPEAT_SECONDS
            ):
                return
            self.last_sent[message] = record.created
            lines = [message]
            request = getattr(record, "request", None)
            if request is not None and hasattr(request, "path"):
                lines.append(f"{request.method} {scrub_text(request.path)}")
            if record.exc_info:
                lines += ["", scrub_text(logging.Formatter().formatException(record.exc_info))]
            mail_admins(f"{record.levelname}: {message}"[:150], "\n".join(lines))
        except (OSError, smtplib.SMTPException):
            # The mail server is down: the error itself is on the console already, and a
            # traceback of the failed mail after each one would only bury it.
            pass
        except Exception:
            self.handleError(record)


class ScrubLogRecords(logging.Filter):
    """The console's filter (settings.LOGGING): what the portal and its workers write for the
    operator, messages and tracebacks, without e-mail addresses, phone numbers or tokens (a
    mail's last error quotes the refused recipient; a database error, the row)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub_text(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_text_whole(record.exc_text)
        return True


def scrub_text_whole(text: str) -> str:
    """`scrub_text` on a traceback, which may be longer than an event's text: cut at 64 KiB."""
    if len(text) > 8 * MAX_TEXT:
        text = text[: 8 * MAX_TEXT] + "…"
    return "\n".join(scrub_text(line) for line in text.split("\n"))
