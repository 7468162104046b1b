#!/usr/bin/python3
"""Derives Gatehouse's built-in list of common passwords from John the Ripper's password.lst.

Source: Debian's john-data package (apt-get install -y john-data), file /usr/share/john/password.lst,
compiled by Solar Designer of the Openwall Project, whose header states: "It is assumed to be in the
public domain." Run from the repository root:

    /usr/bin/python3 tools/common-passwords/make_common_passwords.py \
        /usr/share/john/password.lst \
        gatehouse-core/src/main/resources/dev/gatehouse/password/common-passwords.txt

Every entry is kept, in the list's order (most common first), exact duplicates dropped; Gatehouse
compares case-insensitively, so entries that differ only in case collapse when loaded. Entries
shorter than the policy's minimum length can never match a password the policy would otherwise
accept; they are kept so the list stays the list, whatever the configured minimum.
"""

import sys

COMMENT = "#!comment:"


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: make_common_passwords.py <password.lst> <output.txt>")
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="ascii") as f:
        lines = f.read().splitlines()
    upstream_header = [l for l in lines if l.startswith(COMMENT)]
    if not any("public domain" in l for l in upstream_header):
        raise SystemExit("the source no longer says it is in the public domain; check its licence")
    seen = set()
    entries = []
    for line in lines:
        if line.startswith(COMMENT) or line == "" or line in seen:
            continue
        seen.add(line)
        entries.append(line)
    header = [
        COMMENT + " Common passwords refused by Gatehouse's PasswordPolicy (compared case-insensitively).",
        COMMENT + " Derived from John the Ripper's password.lst (Debian john-data 1.9.0) by",
        COMMENT + " tools/common-passwords/make_common_passwords.py; the upstream header follows.",
    ] + upstream_header
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header + entries) + "\n")
    print("wrote %d entries to %s" % (len(entries), target))


if __name__ == "__main__":
    main()
