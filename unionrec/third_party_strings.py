"""Messages of other packages that appear on unionrec's pages but have no Vietnamese translation
in those packages. They are listed here, marked with gettext_noop, only so that
`manage.py makemessages --no-obsolete` keeps them in locale/*/LC_MESSAGES/django.po, where our
translation overrides the package's (LOCALE_PATHS are searched first).

Nothing imports this module. Each msgid must stay exactly as the package writes it: after
upgrading one of these packages, check that its strings still match.
"""

from django.utils.translation import gettext_noop

# django-tables2: the pagination of DJANGO_TABLES2_TEMPLATE (django_tables2/bootstrap5.html),
# under the member list.
DJANGO_TABLES2 = (
    gettext_noop("previous"),
    gettext_noop("next"),
)

# Django: its own catalogue has no Vietnamese for these. The first is the empty choice of a
# ModelChoiceField (the transfer and move forms); a field of a form or of the API refuses NUL
# characters with the second; the others are the page shown when a form's CSRF token is missing
# or stale (for instance a login page left open past the session's lifetime).
DJANGO = (
    gettext_noop("- Select an option -"),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop(
        "You are seeing this message because this HTTPS site requires a "
        "“Referer header” to be sent by your web browser, but none was "
        "sent. This header is required for security reasons, to ensure "
        "that your browser is not being hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable “Referer” headers, "
        "please re-enable them, at least for this site, or for HTTPS "
        "connections, or for “same-origin” requests."
    ),
    gettext_noop(
        'If you are using the <meta name="referrer" '
        'content="no-referrer"> tag or including the “Referrer-Policy: '
        "no-referrer” header, please remove them. The CSRF protection "
        "requires the “Referer” header to do strict referer checking. If "
        "you’re concerned about privacy, use alternatives like "
        '<a rel="noreferrer" …> for links to third-party sites.'
    ),
    gettext_noop(
        "You are seeing this message because this site requires a CSRF "
        "cookie when submitting forms. This cookie is required for "
        "security reasons, to ensure that your browser is not being "
        "hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable cookies, please "
        "re-enable them, at least for this site, or for “same-origin” "
        "requests."
    ),
    gettext_noop("More information is available with DEBUG=True."),
)

# django-filter: the filter form of the browsable API (/api/v1/members/).
DJANGO_FILTER = (
    gettext_noop("Field filters"),
    gettext_noop("Submit"),
)

# Django REST framework: its Vietnamese catalogue has 20 of its messages. These are the ones the
# API under /api/v1/ can answer with (authentication, permissions, pagination, the fields of
# members.api's serializers) and the labels of the browsable API's pages.
DJANGO_REST_FRAMEWORK = (
    # rest_framework/exceptions.py
    gettext_noop("A server error occurred."),
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    # rest_framework/authentication.py (TokenAuthentication)
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop("Invalid token."),
    # rest_framework/pagination.py
    gettext_noop("Invalid page."),
    gettext_noop("A page number within the paginated result set."),
    gettext_noop("Number of results to return per page."),
    # rest_framework/fields.py, relations.py, serializers.py, validators.py
    gettext_noop("This field may not be null."),
    gettext_noop("Not a valid string."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("A valid integer is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("More than {count} items..."),
    gettext_noop("Object with {slug_name}={value} does not exist."),
    gettext_noop("Invalid value."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("This field must be unique."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    # rest_framework/templates/rest_framework/base.html (the browsable API)
    gettext_noop("Extra Actions"),
    gettext_noop("Filters"),
    gettext_noop("navbar"),
    gettext_noop("content"),
    gettext_noop("main content"),
    gettext_noop("request form"),
    gettext_noop("request info"),
    gettext_noop("response info"),
)
