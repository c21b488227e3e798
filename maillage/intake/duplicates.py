"""Is a new application from an organization that already applied to this program?

The pilot received answers from the same organization twice (two people, or one person twice);
the coordinator wants to see it before scoring, not to have it silently merged.
"""

from __future__ import annotations

import re
import unicodedata

# Words that say nothing about which organization it is: legal forms and generic nouns.
NOISE_WORDS = frozenset(
    {
        "inc",
        "incorporee",
        "incorporated",
        "ltee",
        "ltd",
        "limitee",
        "enr",
        "senc",
        "obnl",
        "osbl",
        "organisme",
        "organism",
        "organization",
        "organisation",
        "corporation",
        "corp",
        "le",
        "la",
        "les",
        "l",
        "de",
        "du",
        "des",
        "d",
        "the",
        "of",
    }
)

# Personal mailbox providers: two people on gmail.com are not one organization.
GENERIC_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.ca",
        "hotmail.fr",
        "outlook.com",
        "outlook.fr",
        "live.com",
        "live.ca",
        "live.fr",
        "msn.com",
        "yahoo.com",
        "yahoo.ca",
        "yahoo.fr",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "videotron.ca",
        "videotron.qc.ca",
        "bell.net",
        "sympatico.ca",
        "cogeco.ca",
        "globetrotter.net",
        "telus.net",
        "shaw.ca",
        "rogers.com",
        "xplornet.com",
        "derytele.com",
        "fastmail.com",
        "laposte.net",
        "orange.fr",
        "free.fr",
        "sfr.fr",
        "wanadoo.fr",
    }
)


def normalise_organization_name(name: str) -> str:
    """Case, accents, punctuation and legal noise removed: « L'Organisme ABC inc. » → « abc »."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    # Apostrophes of every kind separate an elided article (l’, d’) from the word.
    words = re.split(r"[^a-z0-9]+", text)
    kept = [word for word in words if word and word not in NOISE_WORDS]
    return " ".join(kept)


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""


def email_keys(email: str) -> tuple[str, str]:
    """The address and its domain as the duplicate check compares them (stored on each
    application, `Application.email_key` and `email_domain`): case and spaces do not count."""
    email = (email or "").strip()
    return email.lower(), email_domain(email)


def organization_domain(email: str) -> str:
    """The e-mail domain if it identifies an organization, '' for a personal mailbox."""
    domain = email_domain(email)
    return "" if domain in GENERIC_DOMAINS else domain
