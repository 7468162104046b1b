#!/usr/bin/python3
"""Writes password hash test vectors made by passlib, argon2-cffi and Flask-Security's double hash.

Run with Debian's interpreter and packages (python3-passlib, python3-argon2, python3-bcrypt):

    /usr/bin/python3 tools/vectors/passlib_vectors.py \
        gatehouse-core/src/test/resources/password/passlib-vectors.tsv

Every row is checked with passlib itself (right password verifies, wrong one does not) before it is
written. Columns, tab-separated: kind, scheme, password, hash. Lines starting with '#' are comments;
'# flask-security-salt: ...' gives the SECURITY_PASSWORD_SALT of the flask-security rows.

kind:
  passlib         passlib.hash.<scheme> hashed the password exactly as typed (passlib does not normalize)
  argon2-cffi     argon2-cffi's low-level API (the C reference libargon2), for argon2 version 1.0 hashes
                  passlib cannot write but verifies
  flask-security  what Flask-Security stores: NFKD-normalize, base64(HMAC-SHA512(salt, password)), then
                  the passlib scheme hashes that string; Gatehouse imports such hashes with a '{fs}' prefix,
                  so the prefix is part of the hash column
"""

import base64
import hashlib
import hmac
import sys
import unicodedata

import argon2
import passlib
from passlib import hash as ph

FS_SALT = "gatehouse-vectors-salt"

PASSWORDS = [
    "password",
    "correct horse battery staple",
    "p\u00e4ssw\u00f6rd \u00e9t\u00e9",  # NFC; differs from its NFKD form
    "\u5bc6\u7801\u5f88\u957f\u7684\u53e3\u4ee4",
    "\U0001f511 emoji key \U0001f512",
    "\ufb01anc\u00e9 \u216b",  # 'fi' ligature and Roman numeral twelve: NFKD changes them to 'fi', 'XII'
]
# Longer than bcrypt's 72 bytes: passlib's bcrypt hashes only the first 72 (its default, truncate_error=False).
LONG_PASSWORD = "a-long-passphrase-" * 5


def flask_security_hmac(password):
    """Flask-Security's get_hmac() after its NFKD normalization (SECURITY_PASSWORD_NORMALIZE_FORM)."""
    normalized = unicodedata.normalize("NFKD", password)
    digest = hmac.new(FS_SALT.encode("utf-8"), normalized.encode("utf-8"), hashlib.sha512).digest()
    return base64.b64encode(digest).decode("ascii")


rows = []


def add(kind, scheme, password, hashed, verifier):
    """Records a row after checking it with passlib: the password verifies, a wrong one does not."""
    secret = flask_security_hmac(password) if kind == "flask-security" else password
    # A wrong password that differs early: bcrypt ignores whatever follows the 72nd byte.
    wrong = flask_security_hmac("!" + password) if kind == "flask-security" else "!" + password
    if not verifier.verify(secret, hashed) or verifier.verify(wrong, hashed):
        raise SystemExit("passlib does not verify its own %s hash" % scheme)
    stored = "{fs}" + hashed if kind == "flask-security" else hashed
    for field in (scheme, password, stored):
        if "\t" in field or "\n" in field:
            raise SystemExit("a field contains a tab or newline")
    rows.append("\t".join((kind, scheme, password, stored)))


def passlib_rows():
    a = ph.argon2
    for password in PASSWORDS:
        h = a.using(type="ID", memory_cost=64, rounds=1, parallelism=1)
        add("passlib", "argon2 type=ID m=64 t=1 p=1", password, h.hash(password), h)
    variants = [
        ("I", 256, 3, 2, 16, 16),
        ("D", 256, 2, 1, 16, 16),
        ("ID", 1024, 2, 4, 32, 32),
        ("ID", 512, 1, 1, 8, 20),
        ("ID", 96, 4, 3, 24, 64),  # memory not a multiple of 4*p: rounded down by argon2
    ]
    for typ, m, t, p, salt_size, hash_len in variants:
        h = a.using(type=typ, memory_cost=m, rounds=t, parallelism=p, salt_size=salt_size, digest_size=hash_len)
        scheme = "argon2 type=%s m=%d t=%d p=%d salt=%d hash=%d" % (typ, m, t, p, salt_size, hash_len)
        add("passlib", scheme, "correct horse battery staple", h.hash("correct horse battery staple"), h)
    # Gatehouse's default parameters, made by passlib: Gatehouse must treat it as current.
    h = a.using(type="ID", memory_cost=19456, rounds=2, parallelism=1, salt_size=16, digest_size=32)
    add("passlib", "argon2 gatehouse-default", "correct horse battery staple", h.hash("correct horse battery staple"), h)
    # passlib's own defaults (argon2id, m=102400, t=2, p=8, 16-byte hash).
    add("passlib", "argon2 passlib-default", "password", a.hash("password"), a)

    for ident in ("2a", "2b", "2y"):
        for password in PASSWORDS[:3]:
            h = ph.bcrypt.using(ident=ident, rounds=4)
            add("passlib", "bcrypt ident=%s rounds=4" % ident, password, h.hash(password), h)
    for password in PASSWORDS[3:]:
        h = ph.bcrypt.using(rounds=5)
        add("passlib", "bcrypt rounds=5", password, h.hash(password), h)
    h = ph.bcrypt.using(rounds=12)
    add("passlib", "bcrypt rounds=12", "correct horse battery staple", h.hash("correct horse battery staple"), h)
    h = ph.bcrypt.using(rounds=4)
    add("passlib", "bcrypt rounds=4 truncated-at-72-bytes", LONG_PASSWORD, h.hash(LONG_PASSWORD), h)

    for password in PASSWORDS:
        h = ph.pbkdf2_sha256.using(rounds=1000)
        add("passlib", "pbkdf2_sha256 rounds=1000", password, h.hash(password), h)
    h = ph.pbkdf2_sha256.using(rounds=2000, salt_size=8)
    add("passlib", "pbkdf2_sha256 rounds=2000 salt=8", "password", h.hash("password"), h)
    add("passlib", "pbkdf2_sha256 passlib-default", "password", ph.pbkdf2_sha256.hash("password"), ph.pbkdf2_sha256)
    h = ph.pbkdf2_sha256.using(rounds=600000, salt_size=16)
    add("passlib", "pbkdf2_sha256 gatehouse-default", "correct horse battery staple",
        h.hash("correct horse battery staple"), h)
    for password in PASSWORDS[:3]:
        h = ph.pbkdf2_sha512.using(rounds=1000)
        add("passlib", "pbkdf2_sha512 rounds=1000", password, h.hash(password), h)
    add("passlib", "pbkdf2_sha512 passlib-default", "password", ph.pbkdf2_sha512.hash("password"), ph.pbkdf2_sha512)
    for password in PASSWORDS[:3]:
        h = ph.pbkdf2_sha1.using(rounds=1000)
        add("passlib", "pbkdf2_sha1 rounds=1000", password, h.hash(password), h)

    for password in PASSWORDS[:3]:
        h = ph.scrypt.using(rounds=4)
        add("passlib", "scrypt ln=4 r=8 p=1", password, h.hash(password), h)
    h = ph.scrypt.using(rounds=6, block_size=4, parallelism=2, salt_size=24)
    add("passlib", "scrypt ln=6 r=4 p=2 salt=24", "password", h.hash("password"), h)
    h = ph.scrypt.using(rounds=17, block_size=8, parallelism=1)
    add("passlib", "scrypt gatehouse-default", "correct horse battery staple",
        h.hash("correct horse battery staple"), h)

    for name, handler in (("sha256_crypt", ph.sha256_crypt), ("sha512_crypt", ph.sha512_crypt)):
        for password in PASSWORDS:
            h = handler.using(rounds=1000)
            add("passlib", name + " rounds=1000", password, h.hash(password), h)
        # rounds=5000 is the implicit default: passlib writes no 'rounds=' field.
        h = handler.using(rounds=5000)
        add("passlib", name + " rounds=5000 implicit", "password", h.hash("password"), h)
        h = handler.using(rounds=1500, salt_size=8)
        add("passlib", name + " rounds=1500 salt=8", "correct horse battery staple",
            h.hash("correct horse battery staple"), h)


def argon2_cffi_rows():
    """Argon2 version 1.0 (0x10) hashes from the C reference, with and without the 'v=' field."""
    salt = b"0123456789abcdef"
    for typ, name in ((argon2.low_level.Type.I, "argon2i"), (argon2.low_level.Type.ID, "argon2id")):
        encoded = argon2.low_level.hash_secret(
            b"correct horse battery staple", salt, time_cost=2, memory_cost=128, parallelism=1,
            hash_len=32, type=typ, version=16).decode("ascii")
        add("argon2-cffi", "%s v=16 m=128 t=2 p=1" % name, "correct horse battery staple", encoded, ph.argon2)
        # Hashes from before version 1.3 have no 'v=' field at all; passlib reads them as version 1.0.
        without_v = encoded.replace("$v=16$", "$", 1)
        add("argon2-cffi", "%s no-version-field m=128 t=2 p=1" % name, "correct horse battery staple",
            without_v, ph.argon2)


def flask_security_rows():
    schemes = [
        ("bcrypt rounds=4", ph.bcrypt.using(rounds=4)),
        ("argon2 m=64 t=1 p=1", ph.argon2.using(type="ID", memory_cost=64, rounds=1, parallelism=1)),
        ("pbkdf2_sha512 rounds=1000", ph.pbkdf2_sha512.using(rounds=1000)),
        ("sha512_crypt rounds=1000", ph.sha512_crypt.using(rounds=1000)),
    ]
    for scheme, handler in schemes:
        for password in PASSWORDS:
            add("flask-security", scheme, password, handler.hash(flask_security_hmac(password)), handler)
    # Flask-Security's default scheme and cost (bcrypt, passlib's default 12 rounds).
    add("flask-security", "bcrypt rounds=12", "correct horse battery staple",
        ph.bcrypt.hash(flask_security_hmac("correct horse battery staple")), ph.bcrypt)
    for scheme, handler in (("pbkdf2_sha256 rounds=1000", ph.pbkdf2_sha256.using(rounds=1000)),
                            ("sha256_crypt rounds=1000", ph.sha256_crypt.using(rounds=1000)),
                            ("scrypt ln=4 r=8 p=1", ph.scrypt.using(rounds=4))):
        add("flask-security", scheme, "password", handler.hash(flask_security_hmac("password")), handler)


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: passlib_vectors.py <output.tsv>")
    passlib_rows()
    argon2_cffi_rows()
    flask_security_rows()
    header = [
        "# Password hash test vectors, generated by tools/vectors/passlib_vectors.py (see tools/vectors/README.md).",
        "# passlib %s, argon2-cffi %s; columns: kind, scheme, password, hash" % (passlib.__version__, argon2.__version__),
        "# flask-security-salt: " + FS_SALT,
    ]
    with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header + rows) + "\n")
    print("wrote %d vectors to %s" % (len(rows), sys.argv[1]))


if __name__ == "__main__":
    main()
