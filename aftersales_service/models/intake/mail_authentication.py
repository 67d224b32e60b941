"""Reading the verdict of the company's own mail server on a mail's sender (RFC 8601).

A mail's From can be forged. The receiving mail server checks DKIM, SPF and DMARC and writes
its verdict in an ``Authentication-Results`` header that starts with its own name (the
authserv-id); a well configured server removes headers that claim its name from outside. Only
headers of the server the company trusts count, and only a pass aligned with the From domain.
"""

import re

_RESULT = re.compile(r"\b(dmarc|dkim|spf)\s*=\s*([a-z]+)\b(.*?)(?=;|$)", re.I | re.S)
_PROPERTY = re.compile(r"\b(header\.from|header\.d|header\.i|smtp\.mailfrom)\s*=\s*([^\s;]+)", re.I)


def _aligned(domain, from_domain):
    """Whether `domain` (of a signature or an envelope) is the From domain or a parent of it
    (relaxed alignment)."""
    domain = domain.lower().strip(".").split("@")[-1]
    return bool(domain) and (from_domain == domain or from_domain.endswith("." + domain))


def authenticated_by(headers, authserv_id, from_address):
    """The method ("dmarc", "dkim" or "spf") by which the trusted server `authserv_id` saw the
    From address authenticated in the ``Authentication-Results`` `headers`, or None."""
    trusted = (authserv_id or "").strip().lower()
    from_domain = (from_address or "").rpartition("@")[2].strip().strip(">").lower()
    if not trusted or not from_domain:
        return None
    for header in headers or ():
        serv, _sep, results = str(header).partition(";")
        if not serv.split() or serv.split()[0].lower() != trusted:
            continue
        for method, verdict, details in _RESULT.findall(results):
            if verdict.lower() != "pass":
                continue
            properties = {name.lower(): value for name, value in _PROPERTY.findall(details)}
            domain = {
                "dmarc": properties.get("header.from"),
                "dkim": properties.get("header.d") or properties.get("header.i"),
                "spf": properties.get("smtp.mailfrom"),
            }[method.lower()]
            if method.lower() == "dmarc" and not domain:
                domain = from_domain  # DMARC is by definition about the From domain
            if domain and _aligned(domain, from_domain):
                return method.lower()
    return None
