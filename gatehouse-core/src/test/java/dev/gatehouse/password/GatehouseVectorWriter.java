package dev.gatehouse.password;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes hashes made by Gatehouse, for tools/vectors/check_gatehouse_hashes.py to verify with passlib
 * (so passlib, and therefore Flask-Security, reads what Gatehouse writes). See tools/vectors/README.md.
 */
public final class GatehouseVectorWriter {

    private static final List<String> PASSWORDS = List.of(
            "correct horse battery staple", "p\u00e4ssw\u00f6rd \u00e9t\u00e9", "\ufb01anc\u00e9 \u216b");

    private GatehouseVectorWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GatehouseVectorWriter <output.tsv>");
        }
        List<String> lines = new ArrayList<>();
        lines.add("# Hashes written by Gatehouse's PasswordHasher (GatehouseVectorWriter), verified by passlib with");
        lines.add("# tools/vectors/check_gatehouse_hashes.py (see tools/vectors/README.md). Gatehouse hashes the NFKD");
        lines.add("# form of the password. Columns: scheme, password, hash");
        for (HashScheme scheme : List.of(HashScheme.ARGON2ID, HashScheme.BCRYPT, HashScheme.SCRYPT,
                HashScheme.PBKDF2_SHA256, HashScheme.PBKDF2_SHA512)) {
            add(lines, scheme, PASSWORDS.get(0));
        }
        for (HashScheme scheme : List.of(HashScheme.argon2id(256, 2, 2), HashScheme.scrypt(4, 8, 1),
                HashScheme.pbkdf2Sha256(1000), HashScheme.pbkdf2Sha512(1000))) {
            for (String password : PASSWORDS.subList(1, PASSWORDS.size())) {
                add(lines, scheme, password);
            }
        }
        Files.write(Path.of(args[0]), lines, StandardCharsets.UTF_8);
        System.out.println("wrote " + (lines.size() - 3) + " Gatehouse hashes to " + args[0]);
    }

    private static void add(List<String> lines, HashScheme scheme, String password) {
        String hash = PasswordHasher.builder().scheme(scheme).build().hash(password);
        lines.add(scheme + "\t" + password + "\t" + hash);
    }
}
