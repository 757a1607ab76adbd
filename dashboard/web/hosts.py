"""Which `Host` headers the server answers (DNS rebinding).

A web page on evil.example can rebind its name to 127.0.0.1 and then read
the local dashboard as its own origin; the browser still sends
`Host: evil.example`. So the server answers only the names it was bound for:
the loopback names, the bind address when it is a specific one, and names
the user allows (`serve --allowed-host NAME`, CONTESTED_MAP_ALLOWED_HOSTS for
gunicorn). The port is not compared: a name is what a rebinding attacker
cannot choose, and a proxy may forward any port.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

#: Always answered: what a browser sends for http://127.0.0.1:PORT/, http://localhost:PORT/, http://[::1]:PORT/.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
#: gunicorn (create_server) reads extra names from here, separated by commas or spaces.
ALLOWED_HOSTS_ENV = "CONTESTED_MAP_ALLOWED_HOSTS"
REFUSED = "unknown host name; to serve this name, start the server with --allowed-host NAME"

_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_PORT = re.compile(r"[0-9]{1,5}")


def host_name(value: str | None) -> str | None:
    """The name in a Host header value (`name`, `name:port`, `[v6]`, `[v6]:port`), normalised:
    lower case, no trailing dot, IPv6 without brackets in its compressed form. None if malformed."""
    if not value or len(value) > 300:
        return None
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1 :]
        try:
            address = ipaddress.IPv6Address(name)
        except ValueError:
            return None
        if rest and not (rest.startswith(":") and _PORT.fullmatch(rest[1:])):
            return None
        return str(address)
    name, colon, port = value.partition(":")
    if colon and not _PORT.fullmatch(port):
        return None  # "localhost:", "localhost:port", or a bare IPv6 address (not valid in a Host header)
    name = name.removesuffix(".")
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in name.split(".")):
        return None
    return name


def normalise_allowed(name: str) -> str:
    """An `--allowed-host` value as stored: a host name or address, optionally with a port
    (ignored); a bare IPv6 address is accepted too. ValueError if it is none of these."""
    text = name.strip()
    if ":" in text and not text.startswith("["):
        try:  # a bare IPv6 address: "2001:db8::1"
            return str(ipaddress.IPv6Address(text.lower()))
        except ValueError:
            pass
    normal = host_name(text)
    if normal is None:
        raise ValueError(f"not a host name or address: {name!r}")
    return normal


def allowed_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names plus `extra` (normalised; ValueError on a malformed one)."""
    return LOOPBACK_NAMES | {normalise_allowed(name) for name in extra}


def names_from_env(value: str | None) -> tuple[str, ...]:
    """The names in CONTESTED_MAP_ALLOWED_HOSTS ("a.example, b.example" or "a.example b.example")."""
    return tuple(part for part in re.split(r"[,\s]+", value or "") if part)
