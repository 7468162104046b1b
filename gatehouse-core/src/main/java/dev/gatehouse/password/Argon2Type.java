package dev.gatehouse.password;

import java.util.Optional;

/** The three argon2 variants, with their PHC identifiers. */
enum Argon2Type {
    D("argon2d"),
    I("argon2i"),
    ID("argon2id");

    private final String phcId;

    Argon2Type(String phcId) {
        this.phcId = phcId;
    }

    String phcId() {
        return phcId;
    }

    static Optional<Argon2Type> fromPhcId(String id) {
        for (Argon2Type type : values()) {
            if (type.phcId.equals(id)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
