"""Form errors in the reader's language: pydantic's errors by type, and the services' messages by pattern.

One place for every message a form shows beside a field. Pydantic's English text ("String should have at
least 1 character") is never shown: each error type maps to a sentence of our own with pydantic's context
values (min_length, ge, ...) filled in. A service's Invalid detail is English for the API and the logs;
the forms match it against the patterns below and show the translated sentence with the same values.
A message with no entry here is shown as it is (and the untranslated-text test reports it on Dutch pages).
"""

from __future__ import annotations

import re
from typing import Any

from babel.numbers import format_decimal

from app.i18n import N_, current_locale, translate

# pydantic error type -> (message, the message when the count is 1 or None, the ctx key holding the count)
PYDANTIC_MESSAGES: dict[str, tuple[str, str | None, str | None]] = {
    "missing": (N_("Fill in this field."), None, None),
    "string_too_short": (N_("Use at least %(n)s characters."), N_("Fill in this field."), "min_length"),
    "string_too_long": (N_("Use at most %(n)s characters."), None, "max_length"),
    "too_short": (N_("Choose at least %(n)s."), N_("Choose at least one."), "min_length"),
    "too_long": (N_("Choose at most %(n)s."), None, "max_length"),
    "greater_than_equal": (N_("Enter %(n)s or more."), None, "ge"),
    "greater_than": (N_("Enter more than %(n)s."), None, "gt"),
    "less_than_equal": (N_("Enter %(n)s or less."), None, "le"),
    "less_than": (N_("Enter less than %(n)s."), None, "lt"),
    "int_parsing": (N_("Enter a whole number."), None, None),
    "int_type": (N_("Enter a whole number."), None, None),
    "int_from_float": (N_("Enter a whole number."), None, None),
    "float_parsing": (N_("Enter a number."), None, None),
    "float_type": (N_("Enter a number."), None, None),
    "decimal_parsing": (N_("Enter a number."), None, None),
    "bool_parsing": (N_("Choose yes or no."), None, None),
    "bool_type": (N_("Choose yes or no."), None, None),
    "finite_number": (N_("Enter a number."), None, None),
    "date_parsing": (N_("Enter a date (YYYY-MM-DD)."), None, None),
    "date_from_datetime_parsing": (N_("Enter a date (YYYY-MM-DD)."), None, None),
    "literal_error": (N_("Choose one of the options."), None, None),
    "enum": (N_("Choose one of the options."), None, None),
    "string_pattern_mismatch": (N_("This value has the wrong form."), None, None),
    "url_parsing": (N_("Enter a web address starting with http:// or https://."), None, None),
    "extra_forbidden": (N_("This field is not part of the form."), None, None),
    # Types only a JSON body can get wrong (a form sends text): the API's problem documents show these.
    "string_type": (N_("Send this as text (a JSON string)."), None, None),
    "dict_type": (N_("Send a JSON object here."), None, None),
    "model_type": (N_("Send a JSON object here."), None, None),
    "model_attributes_type": (N_("Send a JSON object here."), None, None),
    "list_type": (N_("Send a JSON array here."), None, None),
    "datetime_type": (N_("Enter a date and time with its offset from UTC, such as 2026-11-28T09:10:00Z."), None, None),
    "datetime_parsing": (
        N_("Enter a date and time with its offset from UTC, such as 2026-11-28T09:10:00Z."),
        None,
        None,
    ),
    "datetime_from_date_parsing": (
        N_("Enter a date and time with its offset from UTC, such as 2026-11-28T09:10:00Z."),
        None,
        None,
    ),
    "timezone_aware": (
        N_("Give the time with its offset from UTC, such as 2026-11-28T09:10:00Z or +01:00."),
        None,
        None,
    ),
}

# A service's English detail (after the "field: " prefix) -> the sentence shown on the form.
DETAIL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"^(?P<value>'.*'|\".*\") is not an e-mail address$", N_("%(value)s is not an e-mail address.")),
        (
            r"^(?P<value>\S+) is out of range; use (?P<low>\d+) to (?P<high>\d+)$",
            N_("%(value)s is out of range: use %(low)s to %(high)s."),
        ),
        (
            r"^(?P<value>'.*'|\".*\") is not a whole number; use (?P<low>\d+) to (?P<high>\d+)$",
            N_("%(value)s is not a whole number: use %(low)s to %(high)s."),
        ),
        (
            r"^(?P<value>\S+) is outside the years (?P<low>\d+) to (?P<high>\d+)$",
            N_("%(value)s is outside the years %(low)s to %(high)s."),
        ),
        (r"^must not be empty$", N_("Fill in this field.")),
        (r"^a name is required$", N_("Fill in this field.")),
        (r"^'(?P<value>.*)' is not a date \(YYYY-MM-DD\)$", N_("'%(value)s' is not a date (YYYY-MM-DD).")),
        (r"^the two passwords differ$", N_("The two passwords differ.")),
        (r"^the current password is not right$", N_("The current password is not right.")),
        (r"^the new password is the current one$", N_("The new password is the current one.")),
        (
            r"^at most (?P<high>\d+) characters, got (?P<value>\d+)$",
            N_("Use at most %(high)s characters (now %(value)s)."),
        ),
        (
            r"^the candidate has no e-mail address to send the invitation to$",
            N_("The candidate has no e-mail address to send the invitation to."),
        ),
        (
            r"^(?P<value>'.*'|\".*\") is not an http:// or https:// URL$",
            N_("%(value)s is not a web address starting with http:// or https://."),
        ),
        (r"^give at least one scope$", N_("Choose at least one scope.")),
        (r"^give a name of 1 to (?P<high>\d+) characters$", N_("Give a name of 1 to %(high)s characters.")),
        (r"^use at most (?P<high>\d+) characters$", N_("Use at most %(high)s characters.")),
        (
            r"^the host (?P<value>'.*'|\".*\") cannot be resolved$",
            N_("The host %(value)s cannot be found: check the address."),
        ),
        (
            r"^(?P<value>'.*'|\".*\") resolves to the private or local address (?P<address>\S+);",
            N_("%(value)s points to the private or local address %(address)s: webhooks only go to public addresses."),
        ),
        (r"^put no user name or password in the URL$", N_("Put no user name or password in the web address.")),
        (r"^(?P<value>'.*'|\".*\") has no valid port$", N_("%(value)s has no valid port number.")),
        (r"^choose one or more of ", N_("Choose one or more events.")),
        (r"^(?P<value>.+) not known; use some of (?P<known>.+)$", N_("%(value)s is not known: choose from %(known)s.")),
        (r"^name at least one language the mentor works in$", N_("Choose at least one language.")),
        (r"^value is not a valid email address\b", N_("Enter an e-mail address, such as name@example.org.")),
        (
            r"^(?P<value>\S+) is your own address; name someone else$",
            N_("%(value)s is your own address; name someone else."),
        ),
        (r"^(?P<value>\S+) is already one of your referees$", N_("%(value)s is already one of your referees.")),
        (
            r"^(?P<value>\S+) is the candidate's own address; a referee is someone else$",
            N_("%(value)s is the candidate's own address: a referee is someone else."),
        ),
        (
            r"^(?P<value>\S+) is already a referee of this candidate$",
            N_("%(value)s is already a referee of this candidate."),
        ),
        (
            r"^agree that the people you name are contacted$",
            N_("Tick the box to agree that the people you name are contacted."),
        ),
        (r"^naming referees on this link has closed$", N_("Naming referees on this link has closed.")),
        (
            r"^a candidate has at most (?P<high>\d+) referees$",
            N_("You cannot name more referees: a candidate has at most %(high)s."),
        ),
    )
)


def pydantic_message(error: Any) -> str:
    """Return the translated sentence for one of pydantic's errors (an item of ValidationError.errors())."""
    entry = PYDANTIC_MESSAGES.get(str(error.get("type", "")))
    if entry is None:
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        return detail_message(message)
    message, for_one, key = entry
    count = (error.get("ctx") or {}).get(key) if key else None
    if count is None:
        return translate(message)
    if count == 1 and for_one is not None:
        return translate(for_one)
    return translate(message) % {"n": format_decimal(count, locale=current_locale.get())}


def detail_message(detail: str) -> str:
    """Return a service's error detail (without its "field: " prefix) as a translated sentence."""
    for pattern, message in DETAIL_PATTERNS:
        match = pattern.match(detail)
        if match:
            return translate(message) % match.groupdict()
    return detail
