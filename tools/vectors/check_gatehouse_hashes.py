#!/usr/bin/python3
"""Verifies hashes written by Gatehouse with passlib: the other direction of passlib_vectors.py.

    /usr/bin/python3 tools/vectors/check_gatehouse_hashes.py \
        gatehouse-core/src/test/resources/password/gatehouse-vectors.tsv

Gatehouse hashes the NFKD form of a password (as Flask-Security does before hashing), so the
password is normalized the same way before passlib verifies it. Exits non-zero on any failure.
"""

import sys
import unicodedata

from passlib.context import CryptContext

# The passlib schemes whose formats Gatehouse writes.
CONTEXT = CryptContext(schemes=["argon2", "bcrypt", "scrypt", "pbkdf2_sha256", "pbkdf2_sha512"])


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: check_gatehouse_hashes.py <gatehouse-vectors.tsv>")
    failures = 0
    checked = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f.read().splitlines():
            if not line or line.startswith("#"):
                continue
            scheme, password, hashed = line.split("\t")
            secret = unicodedata.normalize("NFKD", password)
            ok = CONTEXT.verify(secret, hashed) and not CONTEXT.verify("!" + secret, hashed)
            print("%-4s %-32s %s (passlib: %s)" % ("ok" if ok else "FAIL", scheme, hashed[:40] + "...",
                                                  CONTEXT.identify(hashed)))
            failures += 0 if ok else 1
            checked += 1
    print("%d of %d Gatehouse hashes verified by passlib" % (checked - failures, checked))
    sys.exit(1 if failures or not checked else 0)


if __name__ == "__main__":
    main()
