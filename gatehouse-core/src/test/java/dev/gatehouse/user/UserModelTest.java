package dev.gatehouse.user;

import static dev.gatehouse.user.AnyOf.anyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The user model on its own: values, validation and role checks, without a store. */
class UserModelTest {

    private static final String HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$JmRv0m1TQ+Fj0nErz1rOd3rJ3mS7DsWtmljG9F3AF2c";
    private static final String STAMP = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private static User.Builder user(long id) {
        return User.builder(id).email("user@example.com").securityStamp(STAMP).createdAt(NOW);
    }

    private static InvalidInputException invalid(ThrowingCallable call) {
        return (InvalidInputException) assertThatThrownBy(call).isInstanceOf(InvalidInputException.class).actual();
    }

    // ================================================================ User

    @Test
    void user_exposesEveryField_andToBuilderCopiesThemAll() {
        User user = user(7).username("name").passwordHash(HASH).active(false).confirmedAt(NOW)
                .lastLoginAt(NOW.minusSeconds(60)).currentLoginAt(NOW).lastLoginIp("192.0.2.1").currentLoginIp("192.0.2.2")
                .loginCount(3).addRole(new Role("r", "d", Set.of("p"))).attribute("k", "v").build();

        assertThat(user.id()).isEqualTo(7);
        assertThat(user.isAuthenticated()).isTrue();
        assertThat(user.username()).contains("name");
        assertThat(user.passwordHash()).contains(HASH);
        assertThat(user.isActive()).isFalse();
        assertThat(user.confirmedAt()).contains(NOW);
        assertThat(user.lastLoginAt()).contains(NOW.minusSeconds(60));
        assertThat(user.currentLoginAt()).contains(NOW);
        assertThat(user.lastLoginIp()).contains("192.0.2.1");
        assertThat(user.currentLoginIp()).contains("192.0.2.2");
        assertThat(user.loginCount()).isEqualTo(3);
        assertThat(user.roleNames()).containsExactly("r");
        assertThat(user.permissions()).containsExactly("p");
        assertThat(user.attribute("k")).contains("v");
        assertThat(user.attribute("missing")).isEmpty();
        assertThat(user.toBuilder().build()).isEqualTo(user).hasSameHashCodeAs(user);
        assertThat(user.toBuilder().loginCount(4).build()).isNotEqualTo(user);
    }

    @Test
    void user_isImmutable() {
        Map<String, String> attributes = new java.util.LinkedHashMap<>(Map.of("k", "v"));
        Set<Role> roles = new HashSet<>(Set.of(Role.named("r")));
        User user = user(1).roles(roles).attributes(attributes).build();

        attributes.put("k2", "v2");
        roles.add(Role.named("other"));

        assertThat(user.attributes()).containsOnlyKeys("k");
        assertThat(user.roleNames()).containsExactly("r");
        assertThatThrownBy(() -> user.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> user.roles().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> user.permissions().add("p")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void user_refusesAPlaintextPassword_aNonPositiveId_andANegativeLoginCount() {
        InvalidInputException plaintext = invalid(() -> user(1).passwordHash("hunter2").build());
        assertThat(plaintext.field()).isEqualTo("password");
        assertThat(plaintext.getMessage()).doesNotContain("hunter2");

        assertThatThrownBy(() -> user(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user(-5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user(1).loginCount(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user(1).email(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> user(1).securityStamp(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> user(1).createdAt(null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void user_toString_revealsNoSecrets() {
        User user = user(1).passwordHash(HASH).build();

        assertThat(user.toString()).contains("id=1", "user@example.com").doesNotContain(HASH, STAMP);
    }

    @Test
    void user_builderAddRole_replacesARoleOfTheSameName() {
        User user = user(1).addRole(new Role("r", "old", Set.of("a"))).addRole(new Role("r", "new", Set.of("b"))).build();

        assertThat(user.roles()).containsExactly(new Role("r", "new", Set.of("b")));
        assertThat(user.permissions()).containsExactly("b");
    }

    // ================================================================ role checks

    @Test
    void hasRoles_isAnAndOfNamesAndOrGroups() {
        User abd = user(1).roles(Set.of(Role.named("a"), Role.named("b"), Role.named("d"))).build();
        User ad = user(2).roles(Set.of(Role.named("a"), Role.named("d"))).build();

        assertThat(abd.hasRoles("a", anyOf("b", "c"), "d")).isTrue();
        assertThat(ad.hasRoles("a", anyOf("b", "c"), "d")).isFalse();
        assertThat(ad.hasRoles("a", "d")).isTrue();
        assertThat(ad.hasRoles()).isTrue();
        assertThat(ad.hasRole("a")).isTrue();
        assertThat(ad.hasRole("A")).isFalse();
    }

    @Test
    void hasRoles_withPlainNamesNeedsEveryOne_inAnyOrder() {
        User a = user(1).roles(Set.of(Role.named("a"))).build();
        User b = user(2).roles(Set.of(Role.named("b"))).build();
        User ab = user(3).roles(Set.of(Role.named("a"), Role.named("b"))).build();

        assertThat(a.hasRoles("a", "b")).isFalse();
        assertThat(a.hasRoles("b", "a")).isFalse();
        assertThat(b.hasRoles("a", "b")).isFalse();
        assertThat(ab.hasRoles("a", "b")).isTrue();
        assertThat(ab.hasRoles("b", "a", "c")).isFalse();
        assertThat(ab.hasRoles(anyOf("c"), "a")).as("an unmet group is not rescued by a met name").isFalse();
    }

    @Test
    void hasRoles_refusesArgumentsThatAreNeitherNamesNorGroups_evenAfterAnUnmetRequirement() {
        User user = user(1).roles(Set.of(Role.named("a"))).build();

        assertThatThrownBy(() -> user.hasRoles("a", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> user.hasRoles("missing", List.of("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user.hasRoles("a", (Object) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> user.hasRoles(Role.named("a"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyOf_needsAtLeastOneRole() {
        assertThatThrownBy(AnyOf::anyOf).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnyOf(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(anyOf("x", "y").roles()).containsExactly("x", "y");
    }

    @Test
    void permissions_areTheUnionOfTheRoles() {
        User user = user(1).roles(Set.of(new Role("a", "", Set.of("read", "write")), new Role("b", "", Set.of("write", "delete"))))
                .build();

        assertThat(user.permissions()).containsExactlyInAnyOrder("read", "write", "delete");
        assertThat(user.hasPermission("delete")).isTrue();
        assertThat(user.hasPermission("admin")).isFalse();
        assertThat(user.hasAnyPermission("admin", "read")).isTrue();
        assertThat(user.hasAnyPermission()).isFalse();
        assertThat(user.hasAllPermissions("read", "delete")).isTrue();
        assertThat(user.hasAllPermissions("read", "admin")).isFalse();
        assertThat(user.hasAllPermissions()).isTrue();
    }

    @Test
    void anonymousUser_holdsNothing() {
        AnonymousUser anonymous = AnonymousUser.INSTANCE;

        assertThat(anonymous.isAuthenticated()).isFalse();
        assertThat(anonymous.roleNames()).isEmpty();
        assertThat(anonymous.permissions()).isEmpty();
        assertThat(anonymous.hasRole("admin")).isFalse();
        assertThat(anonymous.hasRoles("admin")).isFalse();
        assertThat(anonymous.hasRoles(anyOf("a", "b"))).isFalse();
        assertThat(anonymous.hasRoles()).isTrue();
        assertThat(anonymous.hasPermission("x")).isFalse();
        assertThat(anonymous.hasAnyPermission("x")).isFalse();
        assertThat(anonymous.toString()).isEqualTo("AnonymousUser");
        assertThatThrownBy(() -> anonymous.hasRoles(3)).isInstanceOf(IllegalArgumentException.class);
    }

    // ================================================================ Role

    @Test
    void role_validatesNameDescriptionAndPermissions() {
        assertThat(new Role("r", null, Set.of()).description()).isEmpty();
        assertThat(new Role("r".repeat(80), "d".repeat(Role.MAX_DESCRIPTION_LENGTH), Set.of("p".repeat(80))).name()).hasSize(80);

        assertThat(invalid(() -> Role.named("")).field()).isEqualTo("name");
        assertThat(invalid(() -> Role.named("   ")).field()).isEqualTo("name");
        assertThat(invalid(() -> Role.named(null)).field()).isEqualTo("name");
        assertThat(invalid(() -> Role.named("r".repeat(81))).field()).isEqualTo("name");
        assertThat(invalid(() -> Role.named(" admin")).field()).isEqualTo("name");
        assertThat(invalid(() -> Role.named("ad\nmin")).field()).isEqualTo("name");
        assertThat(invalid(() -> Role.named("bad\uD800")).field()).isEqualTo("name");
        assertThat(invalid(() -> new Role("r", "d".repeat(Role.MAX_DESCRIPTION_LENGTH + 1), Set.of())).field())
                .isEqualTo("description");
        assertThat(invalid(() -> new Role("r", "nul\u0000", Set.of())).field()).isEqualTo("description");
        assertThat(invalid(() -> new Role("r", "", Set.of("ok", " padded"))).field()).isEqualTo("permissions");
        assertThat(invalid(() -> new Role("r", "", Set.of(""))).field()).isEqualTo("permissions");
    }

    @Test
    void role_withAndWithoutPermissions_returnNewRoles() {
        Role base = new Role("r", "d", Set.of("a", "b"));

        assertThat(base.withPermissions(Set.of("c"))).isEqualTo(new Role("r", "d", Set.of("a", "b", "c")));
        assertThat(base.withoutPermissions(Set.of("a", "zz"))).isEqualTo(new Role("r", "d", Set.of("b")));
        assertThat(base.permissions()).containsExactlyInAnyOrder("a", "b");
        assertThatThrownBy(() -> base.permissions().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ================================================================ Identifiers

    @Test
    void checkEmail_trimsNormalizesAndKeepsCase() {
        assertThat(Identifiers.checkEmail("  Alice@Example.com \n")).isEqualTo("Alice@Example.com");
        // Full-width letters are NFKC-normalized to ASCII.
        assertThat(Identifiers.checkEmail("ａｌｉｃｅ@example.com")).isEqualTo("alice@example.com");
        assertThat(Identifiers.checkEmail("ÉLODIE@Example.com")).isEqualTo("ÉLODIE@Example.com");
        assertThat(Identifiers.checkEmail("a".repeat(242) + "@example.com")).hasSize(Identifiers.MAX_EMAIL_LENGTH);
    }

    @Test
    void checkEmail_refusesMalformedAddresses() {
        List<String> bad = List.of("", "   ", "no-at-sign", "@example.com", "alice@", "a@b@example.com",
                "alice\r\n@example.com", "alice@exa\nmple.com", "ali ce@example.com", "alice@example.com\u0000x",
                "<alice@example.com>", "alice,bob@example.com", "alice;@example.com", "\"alice\"@example.com",
                "alice\\@example.com", "alice@.example.com", "alice@example.com.", "alice@example..com",
                "alice\u0085@example.com", "alice\u2028@example.com", "alice\uD800@example.com",
                "a".repeat(243) + "@example.com");
        for (String email : bad) {
            InvalidInputException e = invalid(() -> Identifiers.checkEmail(email));
            assertThat(e.field()).as(email).isEqualTo("email");
        }
        assertThat(invalid(() -> Identifiers.checkEmail(null)).code()).isEqualTo("EMAIL_NOT_PROVIDED");
        assertThat(invalid(() -> Identifiers.checkEmail("x")).code()).isEqualTo("INVALID_EMAIL_ADDRESS");
    }

    @Test
    void emailKey_isLowerCaseNormalizedAndLocaleIndependent() {
        assertThat(Identifiers.emailKey(" ALICE@Example.COM ")).isEqualTo("alice@example.com");
        assertThat(Identifiers.emailKey("E\u0301LODIE@example.com")).isEqualTo(Identifiers.emailKey("élodie@EXAMPLE.com"));
        java.util.Locale previous = java.util.Locale.getDefault();
        try {
            // In a Turkish locale "I".toLowerCase() is a dotless ı; keys must not depend on the locale.
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(Identifiers.emailKey("IRIS@example.com")).isEqualTo("iris@example.com");
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    @Test
    void checkUsername_andUsernameKey() {
        assertThat(Identifiers.checkUsername("  Bob ")).isEqualTo("Bob");
        assertThat(Identifiers.checkUsername("ｂｏｂ")).isEqualTo("bob");
        assertThat(Identifiers.checkUsername("x".repeat(64))).hasSize(64);
        assertThat(Identifiers.usernameKey("ZOË")).isEqualTo("zoë");

        for (String name : List.of("", " ", "bob smith", "bob@example.com", "b\nob", "b\tob", "b\u0007ob", "x".repeat(65), "bad\uDC00")) {
            assertThat(invalid(() -> Identifiers.checkUsername(name)).field()).as(name).isEqualTo("username");
        }
        assertThat(invalid(() -> Identifiers.checkUsername(null)).code()).isEqualTo("USERNAME_NOT_PROVIDED");
    }

    @Test
    void checkAttributes_validatesNamesAndValues_andKeepsOrder() {
        Map<String, String> ordered = new java.util.LinkedHashMap<>();
        ordered.put("z", "1");
        ordered.put("a_1", "");
        ordered.put("m" + "x".repeat(63), "v".repeat(Identifiers.MAX_ATTRIBUTE_VALUE_LENGTH));
        assertThat(Identifiers.checkAttributes(ordered)).containsExactlyEntriesOf(ordered);

        for (String name : List.of("", "Upper", "1digit", "with-dash", "with space", "m" + "x".repeat(64), "é")) {
            assertThat(invalid(() -> Identifiers.checkAttributes(Map.of(name, "v"))).field()).as(name).isEqualTo("attributes");
        }
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertThat(invalid(() -> Identifiers.checkAttributes(nullValue)).field()).isEqualTo("k");
        assertThat(invalid(() -> Identifiers.checkAttributes(Map.of("k", "v".repeat(4097)))).field()).isEqualTo("k");
        assertThat(invalid(() -> Identifiers.checkAttributes(Map.of("k", "a\u0000b"))).field()).isEqualTo("k");
        assertThat(invalid(() -> Identifiers.checkAttributes(Map.of("k", "\uD83D"))).field()).isEqualTo("k");
        assertThat(Identifiers.checkAttributes(Map.of("k", "😀"))).containsEntry("k", "😀");
    }

    // ================================================================ stamps, limits, queries

    @Test
    void securityStamps_generateFresh256BitStamps_andCheckImportedOnes() {
        String a = SecurityStamps.generate();
        String b = SecurityStamps.generate();

        assertThat(a).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b);
        assertThat(Base64.getUrlDecoder().decode(a)).hasSize(32);
        assertThat(SecurityStamps.check("a".repeat(32))).hasSize(32);
        assertThat(SecurityStamps.check("a".repeat(64))).hasSize(64);
        for (String stamp : List.of("a".repeat(31), "a".repeat(65), "a".repeat(31) + "+", "a".repeat(40) + "=", "")) {
            assertThat(invalid(() -> SecurityStamps.check(stamp)).field()).isEqualTo("security_stamp");
        }
        assertThat(invalid(() -> SecurityStamps.check(null)).code()).isEqualTo("INVALID_SECURITY_STAMP");
    }

    @Test
    void storeLimits_truncateInstantsToMicros_andBoundTheirRange() {
        assertThat(StoreLimits.instant("t", Instant.parse("2024-01-01T00:00:00.123456789Z")))
                .isEqualTo(Instant.parse("2024-01-01T00:00:00.123456Z"));
        assertThat(StoreLimits.instant("t", StoreLimits.MIN_INSTANT)).isEqualTo(Instant.EPOCH);
        assertThat(StoreLimits.instant("t", Instant.parse("9999-12-31T23:59:59.999999999Z"))).isEqualTo(StoreLimits.MAX_INSTANT);
        assertThat(invalid(() -> StoreLimits.instant("t", Instant.EPOCH.minusNanos(1000))).field()).isEqualTo("t");
        assertThat(invalid(() -> StoreLimits.instant("t", Instant.MAX)).code()).isEqualTo("INVALID_TIMESTAMP");
        assertThatThrownBy(() -> StoreLimits.instant("t", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void storeLimits_ipAddress() {
        assertThat(StoreLimits.ipAddress("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(StoreLimits.ipAddress("::ffff:192.0.2.1")).isEqualTo("::ffff:192.0.2.1");
        assertThat(StoreLimits.ipAddress("x".repeat(64))).hasSize(64);
        for (String ip : List.of("", " ", "1.2.3.4 ", "1.2.3.4\n", "x".repeat(65), "1\u0000")) {
            assertThat(invalid(() -> StoreLimits.ipAddress(ip)).field()).isEqualTo("ip");
        }
    }

    @Test
    void userQuery_validatesPaging_andPageHasNextDoesNotOverflow() {
        assertThatThrownBy(() -> new UserQuery(Optional.empty(), Optional.empty(), -1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserQuery.firstPage(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserQuery.firstPage(UserQuery.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserQuery(null, Optional.empty(), 0, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new UserQuery(Optional.empty(), null, 0, 1)).isInstanceOf(NullPointerException.class);
        assertThat(UserQuery.firstPage(10).withRole("r").withActive(false).next())
                .isEqualTo(new UserQuery(Optional.of("r"), Optional.of(false), 10, 10));

        UserQuery farAway = new UserQuery(Optional.empty(), Optional.empty(), Integer.MAX_VALUE, 1000);
        User one = user(1).build();
        assertThat(new Page<>(List.of(one), 3, UserQuery.firstPage(1)).hasNext()).isTrue();
        assertThat(new Page<>(List.of(one), 1, UserQuery.firstPage(1)).hasNext()).isFalse();
        assertThat(new Page<User>(List.of(), Long.MAX_VALUE - 1, farAway).hasNext()).isTrue();
        assertThat(new Page<>(List.of(one, one), 5, farAway).hasNext()).as("no int overflow").isFalse();
    }

    @Test
    void newUser_validatesAndCopiesItsInput() {
        Set<String> roles = new HashSet<>(Set.of("a"));
        NewUser newUser = NewUser.builder(" New@Example.com ").username(" newbie ").passwordHash(HASH).roles(roles)
                .attribute("k", "v").build();
        roles.add("b");

        assertThat(newUser.email()).isEqualTo("New@Example.com");
        assertThat(newUser.username()).contains("newbie");
        assertThat(newUser.active()).isTrue();
        assertThat(newUser.securityStamp()).isEmpty();
        assertThat(newUser.roleNames()).containsExactly("a");
        assertThat(invalid(() -> NewUser.builder("bad").build()).field()).isEqualTo("email");
        assertThat(invalid(() -> NewUser.builder("a@example.com").securityStamp("short").build()).field())
                .isEqualTo("security_stamp");
        assertThat(invalid(() -> NewUser.builder("a@example.com").attribute("Bad", "x").build()).field())
                .isEqualTo("attributes");
    }

    @Test
    void newUser_acceptsRecognizedHashes_andRefusesPlaintext() {
        for (String hash : List.of(HASH, "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
                "{fs}" + HASH, "{bcrypt}$2a$10$dXJ3SW6G7P50lGmMkkmwe.20cQQubK3.HZWzG3YB1tlRy.fqvM/BG")) {
            assertThat(NewUser.builder("a@example.com").passwordHash(hash).build().passwordHash()).contains(hash);
        }
        for (String plaintext : List.of("hunter2", "correct horse battery staple", "P@ssw0rd!", "$argon2id$short",
                "5f4dcc3b5aa765d61d8327deb882cf99", "a".repeat(2000))) {
            InvalidInputException e = invalid(() -> NewUser.builder("a@example.com").passwordHash(plaintext).build());
            assertThat(e.code()).isEqualTo("PLAINTEXT_PASSWORD_REFUSED");
            assertThat(e.getMessage()).doesNotContain(plaintext);
        }
    }

    @Test
    void exceptions_carryStableCodesAndNoValues() {
        assertThat(new DuplicateUserException("email").code()).isEqualTo("DUPLICATE_USER");
        assertThat(new DuplicateUserException("username").field()).isEqualTo("username");
        assertThat(new DuplicateRoleException("admin").code()).isEqualTo("DUPLICATE_ROLE");
        assertThat(new NoSuchRoleException("admin").code()).isEqualTo("NO_SUCH_ROLE");
        assertThat(new NoSuchUserException(5).code()).isEqualTo("NO_SUCH_USER");
        assertThat(new NoSuchUserException("that email").getMessage()).isEqualTo("no user with that email");
        assertThat(new StoreException("down", new RuntimeException()).code()).isEqualTo("STORE_FAILURE");
    }
}
