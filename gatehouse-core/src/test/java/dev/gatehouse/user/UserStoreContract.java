package dev.gatehouse.user;

import static dev.gatehouse.testing.Races.race;
import static dev.gatehouse.user.AnyOf.anyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.Races.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UserStore} must have, as executable tests. A store module subclasses
 * this and supplies a fresh, empty store per test through {@link #newStore(Clock)}; the in-memory,
 * H2, PostgreSQL and MariaDB stores all run it.
 *
 * <p>Tests never assume particular id values, only that ids are positive and ascend in creation
 * order, so database stores need not reset their sequences between tests.
 */
public abstract class UserStoreContract {

    /** A realistic Argon2id PHC string: stores must accept it and return it unchanged. */
    protected static final String HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$JmRv0m1TQ+Fj0nErz1rOd3rJ3mS7DsWtmljG9F3AF2c";
    /** A realistic bcrypt hash. */
    protected static final String OTHER_HASH = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
    /** The test clock's start, with microseconds so that precision loss would show. */
    protected static final Instant START = Instant.parse("2024-05-01T12:34:56.123456Z");
    /** An id no store hands out during a test. */
    protected static final long UNKNOWN_ID = Long.MAX_VALUE;
    /** How many threads the concurrency tests race; database pools must allow this many connections. */
    protected static final int THREADS = 8;

    protected MutableClock clock;
    protected UserStore store;

    /** A fresh, empty store whose {@code createdAt} timestamps come from {@code clock}. */
    protected abstract UserStore newStore(Clock clock);

    @BeforeEach
    void freshStore() {
        clock = new MutableClock(START);
        store = newStore(clock);
    }

    // ================================================================ lookups

    @Test
    void findUserById_findsTheCreatedUser_andNothingForAnUnknownId() {
        User alice = store.createUser(NewUser.builder("alice@example.com").build());

        assertThat(store.findUserById(alice.id())).contains(alice);
        assertThat(store.findUserById(UNKNOWN_ID)).isEmpty();
        assertThat(store.findUserById(0)).isEmpty();
        assertThat(store.findUserById(-1)).isEmpty();
    }

    @Test
    void findUserByEmail_ignoresCase_andSurroundingSpace_andKeepsTheStoredCase() {
        User alice = store.createUser(NewUser.builder("Alice.Smith@Example.COM").build());

        assertThat(alice.email()).isEqualTo("Alice.Smith@Example.COM");
        assertThat(store.findUserByEmail("alice.smith@example.com")).contains(alice);
        assertThat(store.findUserByEmail("ALICE.SMITH@EXAMPLE.COM")).contains(alice);
        assertThat(store.findUserByEmail("  alice.smith@example.com\t")).contains(alice);
        assertThat(store.findUserByEmail("alice.smith@example.org")).isEmpty();
    }

    @Test
    void findUserByEmail_ignoresCaseOfNonAsciiLetters_andUnicodeNormalizationForm() {
        User elodie = store.createUser(NewUser.builder("ÉLODIE@Example.com").build());

        assertThat(store.findUserByEmail("élodie@example.com")).contains(elodie);
        // "E" + COMBINING ACUTE ACCENT is the same address after NFKC normalization.
        assertThat(store.findUserByEmail("E\u0301lodie@example.com")).contains(elodie);
        assertThat(store.findUserByEmail("elodie@example.com")).as("an accent is not a case").isEmpty();
        assertThat(store.findUserById(elodie.id()).orElseThrow().email()).isEqualTo("ÉLODIE@Example.com");
    }

    @Test
    void findUserByEmail_worksForTheLongestAddress_evenWhenItsKeyIsLongerThanTheAddress() {
        // U+0130 (İ) lower-cases to two chars, so this 254-character address has a 496-character key.
        String email = "\u0130".repeat(Identifiers.MAX_EMAIL_LENGTH - "@example.com".length()) + "@example.com";
        assertThat(email).hasSize(Identifiers.MAX_EMAIL_LENGTH);
        assertThat(Identifiers.emailKey(email).length()).isGreaterThan(email.length());

        User user = store.createUser(NewUser.builder(email).build());

        assertThat(user.email()).isEqualTo(email);
        assertThat(store.findUserByEmail(Identifiers.emailKey(email))).contains(user);
        assertThat(store.findUserByEmail(email)).contains(user);
    }

    @Test
    void findUserByUsername_ignoresCase_andUsersWithoutUsernameAreNotFound() {
        User bob = store.createUser(NewUser.builder("bob@example.com").username("BobTheBuilder").build());
        store.createUser(NewUser.builder("carol@example.com").build());

        assertThat(bob.username()).contains("BobTheBuilder");
        assertThat(store.findUserByUsername("bobthebuilder")).contains(bob);
        assertThat(store.findUserByUsername("BOBTHEBUILDER")).contains(bob);
        assertThat(store.findUserByUsername("ZOË")).isEmpty();
        assertThat(store.findUserByUsername("carol")).isEmpty();
        assertThat(store.findUserByUsername("carol@example.com")).isEmpty();
    }

    @Test
    void findUserByUsername_ignoresCaseOfNonAsciiLetters() {
        User zoe = store.createUser(NewUser.builder("zoe@example.com").username("ZOË_Ørsted").build());

        assertThat(store.findUserByUsername("zoë_ørsted")).contains(zoe);
        assertThat(store.findUserByUsername("zoe_orsted")).isEmpty();
    }

    @Test
    void findUserBySecurityStamp_comparesExactly() {
        String stamp = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd";
        User user = store.createUser(NewUser.builder("stamp@example.com").securityStamp(stamp).build());

        assertThat(store.findUserBySecurityStamp(stamp)).contains(user);
        assertThat(store.findUserBySecurityStamp(stamp.toLowerCase(java.util.Locale.ROOT))).isEmpty();
        assertThat(store.findUserBySecurityStamp(stamp.toUpperCase(java.util.Locale.ROOT))).isEmpty();
        assertThat(store.findUserBySecurityStamp(stamp.substring(1))).isEmpty();
        assertThat(store.findUserBySecurityStamp(SecurityStamps.generate())).isEmpty();
    }

    @Test
    void lookupsOfValuesThatCannotBeStored_findNothing_ratherThanFail() {
        store.createUser(NewUser.builder("alice@example.com").username("alice").build());

        assertThat(store.findUserByEmail("not an email")).isEmpty();
        assertThat(store.findUserByEmail("")).isEmpty();
        assertThat(store.findUserByEmail("a".repeat(10_000) + "@example.com")).isEmpty();
        assertThat(store.findUserByUsername("a".repeat(10_000))).isEmpty();
        assertThat(store.findUserByUsername("")).isEmpty();
        assertThat(store.findUserBySecurityStamp("")).isEmpty();
        assertThat(store.findUserBySecurityStamp("short")).isEmpty();
        assertThat(store.findUserBySecurityStamp("x".repeat(10_000))).isEmpty();
        assertThat(store.findRole("r".repeat(10_000))).isEmpty();
    }

    @Test
    void nullArguments_areRefusedWithNullPointerException() {
        User user = store.createUser(NewUser.builder("alice@example.com").build());
        store.createRole("admin");

        assertThatThrownBy(() -> store.findUserByEmail(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.findUserByUsername(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.findUserBySecurityStamp(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.listUsers(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.createUser(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.updateUser(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.setSecurityStamp(user.id(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.recordLogin(user.id(), null, Optional.empty()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.recordLogin(user.id(), START, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.findRole(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.createRole((Role) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.findOrCreateRole(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.updateRole(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.deleteRole(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.addRoleToUser(user.id(), (String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.removeRoleFromUser(user.id(), (String) null))
                .isInstanceOf(NullPointerException.class);

        assertThat(store.findUserById(user.id())).contains(user);
        assertThat(store.listRoles()).containsExactly(Role.named("admin"));
    }

    // ================================================================ createUser

    @Test
    void createUser_defaults_activeNowFreshStampAndNothingElse() {
        User user = store.createUser(NewUser.builder("new@example.com").build());

        assertThat(user.id()).isPositive();
        assertThat(user.email()).isEqualTo("new@example.com");
        assertThat(user.isActive()).isTrue();
        assertThat(user.createdAt()).isEqualTo(START);
        assertThat(user.username()).isEmpty();
        assertThat(user.passwordHash()).isEmpty();
        assertThat(user.confirmedAt()).isEmpty();
        assertThat(user.lastLoginAt()).isEmpty();
        assertThat(user.currentLoginAt()).isEmpty();
        assertThat(user.lastLoginIp()).isEmpty();
        assertThat(user.currentLoginIp()).isEmpty();
        assertThat(user.loginCount()).isZero();
        assertThat(user.roles()).isEmpty();
        assertThat(user.permissions()).isEmpty();
        assertThat(user.attributes()).isEmpty();
        assertThat(user.securityStamp()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(user.securityStamp())).as("256 random bits").hasSize(32);
        assertThat(store.findUserById(user.id())).contains(user);
    }

    @Test
    void createUser_storesEveryGivenField() {
        store.createRole(new Role("editor", "Edits posts", Set.of("post:edit", "post:read")));
        store.createRole("reviewer");
        String stamp = "0123456789abcdef0123456789abcdef";
        Instant confirmed = Instant.parse("2023-01-02T03:04:05.678901Z");

        User user = store.createUser(NewUser.builder("Full@Example.com")
                .username("Fully")
                .passwordHash(HASH)
                .active(false)
                .confirmedAt(confirmed)
                .securityStamp(stamp)
                .roles("editor", "reviewer")
                .attribute("display_name", "Full Name")
                .attribute("locale", "fr_FR")
                .build());

        assertThat(user.email()).isEqualTo("Full@Example.com");
        assertThat(user.username()).contains("Fully");
        assertThat(user.passwordHash()).contains(HASH);
        assertThat(user.isActive()).isFalse();
        assertThat(user.confirmedAt()).contains(confirmed);
        assertThat(user.securityStamp()).isEqualTo(stamp);
        assertThat(user.roleNames()).containsExactlyInAnyOrder("editor", "reviewer");
        assertThat(user.roles()).contains(new Role("editor", "Edits posts", Set.of("post:edit", "post:read")));
        assertThat(user.permissions()).containsExactlyInAnyOrder("post:edit", "post:read");
        assertThat(user.attributes()).containsExactly(Map.entry("display_name", "Full Name"), Map.entry("locale", "fr_FR"));
        assertThat(store.findUserById(user.id())).contains(user);
        assertThat(store.findUserBySecurityStamp(stamp)).contains(user);
    }

    @Test
    void createUser_takesCreatedAtFromTheStoreClock_truncatedToMicroseconds() {
        User first = store.createUser(NewUser.builder("first@example.com").build());
        clock.set(Instant.parse("2031-07-08T09:10:11.987654321Z"));
        User second = store.createUser(NewUser.builder("second@example.com").build());

        assertThat(first.createdAt()).isEqualTo(START);
        assertThat(second.createdAt()).isEqualTo(Instant.parse("2031-07-08T09:10:11.987654Z"));
        assertThat(store.findUserById(second.id()).orElseThrow().createdAt()).isEqualTo(second.createdAt());
    }

    @Test
    void createUser_givesEachUserItsOwnAscendingIdAndStamp() {
        List<User> users = IntStream.range(0, 5)
                .mapToObj(i -> store.createUser(NewUser.builder("u" + i + "@example.com").build()))
                .toList();

        assertThat(users).extracting(User::id).isSorted().doesNotHaveDuplicates();
        assertThat(users).extracting(User::securityStamp).doesNotHaveDuplicates();
    }

    @Test
    void createUser_neverReceivesAPlaintextPassword() {
        InvalidInputException refused = thrown(InvalidInputException.class,
                () -> store.createUser(NewUser.builder("plain@example.com").passwordHash("correct horse battery staple").build()));

        assertThat(refused.field()).isEqualTo("password");
        assertThat(refused.code()).isEqualTo("PLAINTEXT_PASSWORD_REFUSED");
        assertThat(refused.getMessage()).doesNotContain("correct horse");
        assertThat(store.findUserByEmail("plain@example.com")).isEmpty();
        assertThat(store.listUsers(UserQuery.firstPage(10)).total()).isZero();
    }

    @Test
    void createUser_refusesAnEmailTakenInAnotherCase() {
        User alice = store.createUser(NewUser.builder("alice@example.com").username("alice").build());

        DuplicateUserException duplicate = thrown(DuplicateUserException.class,
                () -> store.createUser(NewUser.builder("ALICE@Example.Com").username("other").build()));

        assertThat(duplicate.field()).isEqualTo("email");
        assertThat(duplicate.code()).isEqualTo("DUPLICATE_USER");
        assertThat(store.listUsers(UserQuery.firstPage(10)).items()).containsExactly(alice);
        assertThat(store.findUserByUsername("other")).isEmpty();
    }

    @Test
    void createUser_refusesANonAsciiEmailTakenInAnotherCase() {
        store.createUser(NewUser.builder("élodie@example.com").build());

        assertThat(thrown(DuplicateUserException.class,
                () -> store.createUser(NewUser.builder("ÉLODIE@EXAMPLE.COM").build())).field()).isEqualTo("email");
        assertThat(store.listUsers(UserQuery.firstPage(10)).total()).isEqualTo(1);
    }

    @Test
    void createUser_refusesAUsernameTakenInAnotherCase() {
        User bob = store.createUser(NewUser.builder("bob@example.com").username("Bob").build());

        DuplicateUserException duplicate = thrown(DuplicateUserException.class,
                () -> store.createUser(NewUser.builder("robert@example.com").username("bOB").build()));

        assertThat(duplicate.field()).isEqualTo("username");
        assertThat(store.findUserByEmail("robert@example.com")).isEmpty();
        assertThat(store.listUsers(UserQuery.firstPage(10)).items()).containsExactly(bob);
    }

    @Test
    void createUser_allowsManyUsersWithoutUsername() {
        store.createUser(NewUser.builder("one@example.com").build());
        store.createUser(NewUser.builder("two@example.com").build());

        assertThat(store.listUsers(UserQuery.firstPage(10)).total()).isEqualTo(2);
    }

    @Test
    void createUser_refusesASecurityStampAnotherUserHolds() {
        User first = store.createUser(NewUser.builder("first@example.com").build());

        InvalidInputException refused = thrown(InvalidInputException.class,
                () -> store.createUser(NewUser.builder("second@example.com").securityStamp(first.securityStamp()).build()));

        assertThat(refused.field()).isEqualTo("security_stamp");
        assertThat(refused.code()).isEqualTo("SECURITY_STAMP_IN_USE");
        assertThat(refused.getMessage()).doesNotContain(first.securityStamp());
        assertThat(store.findUserByEmail("second@example.com")).isEmpty();
    }

    @Test
    void createUser_namingAMissingRole_writesNothing() {
        store.createRole("reader");

        assertThatThrownBy(() -> store.createUser(NewUser.builder("ghost@example.com").username("ghost")
                .roles("reader", "nonexistent").attribute("display_name", "Ghost").build()))
                .isInstanceOf(NoSuchRoleException.class)
                .hasMessageContaining("nonexistent");

        assertThat(store.findUserByEmail("ghost@example.com")).isEmpty();
        assertThat(store.listUsers(UserQuery.firstPage(10)).total()).isZero();
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("reader")).total()).isZero();
        // No unique key was left behind either: the same email and username can be used now.
        User ghost = store.createUser(NewUser.builder("ghost@example.com").username("ghost").roles("reader").build());
        assertThat(ghost.roleNames()).containsExactly("reader");
        assertThat(ghost.attributes()).isEmpty();
    }

    @Test
    void createUser_refusesInstantsOutsideTheStorableRange_writingNothing() {
        assertThat(thrown(InvalidInputException.class, () -> store.createUser(
                NewUser.builder("old@example.com").confirmedAt(Instant.parse("1969-12-31T23:59:59Z")).build())).field())
                .isEqualTo("confirmed_at");
        assertThat(thrown(InvalidInputException.class, () -> store.createUser(
                NewUser.builder("far@example.com").confirmedAt(Instant.parse("+10000-01-01T00:00:00Z")).build())).field())
                .isEqualTo("confirmed_at");
        clock.set(Instant.parse("+10000-01-01T00:00:00Z"));
        assertThat(thrown(InvalidInputException.class,
                () -> store.createUser(NewUser.builder("clock@example.com").build())).field()).isEqualTo("created_at");

        assertThat(store.listUsers(UserQuery.firstPage(10)).total()).isZero();
    }

    @Test
    void createUser_storesTheExtremesOfTheInstantRange() {
        clock.set(StoreLimits.MAX_INSTANT);
        User user = store.createUser(NewUser.builder("range@example.com").confirmedAt(StoreLimits.MIN_INSTANT).build());

        User stored = store.findUserById(user.id()).orElseThrow();
        assertThat(stored.createdAt()).isEqualTo(StoreLimits.MAX_INSTANT);
        assertThat(stored.confirmedAt()).contains(StoreLimits.MIN_INSTANT);
    }

    @Test
    void returnedUsersAreSnapshots_unaffectedByLaterChanges() {
        store.createRole("admin");
        User before = store.createUser(NewUser.builder("snap@example.com").attribute("a", "1").build());

        store.deactivate(before.id());
        store.addRoleToUser(before.id(), "admin");
        store.rotateSecurityStamp(before.id());

        assertThat(before.isActive()).isTrue();
        assertThat(before.roleNames()).isEmpty();
        assertThat(before.attributes()).containsExactly(Map.entry("a", "1"));
        assertThat(store.findUserById(before.id()).orElseThrow()).isNotEqualTo(before);
    }

    // ================================================================ roles

    @Test
    void createRole_andFindRole_roundTripDescriptionAndPermissions_caseSensitively() {
        Role admin = new Role("Admin", "Can do everything", Set.of("user:delete", "user:read", "Settings:Write"));

        assertThat(store.createRole(admin)).isEqualTo(admin);
        assertThat(store.findRole("Admin")).contains(admin);
        assertThat(store.findRole("admin")).isEmpty();
        assertThat(store.findRole("ADMIN")).isEmpty();
    }

    @Test
    void createRole_convenienceForms() {
        assertThat(store.createRole("plain")).isEqualTo(new Role("plain", "", Set.of()));
        assertThat(store.createRole("full", "Full role", Set.of("p1", "p2")))
                .isEqualTo(new Role("full", "Full role", Set.of("p1", "p2")));
        assertThat(store.findRole("full").orElseThrow().permissions()).containsExactlyInAnyOrder("p1", "p2");
    }

    @Test
    void roleNamesDifferingOnlyInCase_areDifferentRoles() {
        store.createRole(new Role("admin", "lower", Set.of("a")));
        store.createRole(new Role("Admin", "upper", Set.of("b")));

        assertThat(store.findRole("admin").orElseThrow().description()).isEqualTo("lower");
        assertThat(store.findRole("Admin").orElseThrow().description()).isEqualTo("upper");
        assertThat(store.listRoles()).hasSize(2);
    }

    @Test
    void roles_roundTripNonAsciiNamesPermissionsAndTheLongestDescription() {
        Role role = new Role("Rédacteur·en chef 編集者", "ж".repeat(Role.MAX_DESCRIPTION_LENGTH), Set.of("écrire:article", "😀:react"));

        store.createRole(role);

        assertThat(store.findRole("Rédacteur·en chef 編集者")).contains(role);
    }

    @Test
    void createRole_refusesADuplicateName_keepingTheOriginal() {
        Role original = new Role("admin", "original", Set.of("x"));
        store.createRole(original);

        DuplicateRoleException duplicate = thrown(DuplicateRoleException.class,
                () -> store.createRole(new Role("admin", "impostor", Set.of("y"))));

        assertThat(duplicate.code()).isEqualTo("DUPLICATE_ROLE");
        assertThat(store.findRole("admin")).contains(original);
        assertThat(store.listRoles()).containsExactly(original);
    }

    @Test
    void listRoles_ordersByName_inStringOrder() {
        for (String name : List.of("zeta", "Écrivain", "beta", "alpha", "Alpha", "Zulu", "_system")) {
            store.createRole(name);
        }

        assertThat(store.listRoles()).extracting(Role::name)
                .containsExactly("Alpha", "Zulu", "_system", "alpha", "beta", "zeta", "Écrivain");
    }

    @Test
    void findOrCreateRole_createsAnEmptyRoleOnce_andOtherwiseReturnsTheExistingOne() {
        Role created = store.findOrCreateRole("member");
        assertThat(created).isEqualTo(Role.named("member"));
        store.updateRole(new Role("member", "Members", Set.of("forum:post")));

        Role found = store.findOrCreateRole("member");

        assertThat(found).isEqualTo(new Role("member", "Members", Set.of("forum:post")));
        assertThat(store.listRoles()).containsExactly(found);
    }

    @Test
    void findOrCreateRole_refusesAnInvalidName() {
        assertThatThrownBy(() -> store.findOrCreateRole(" padded ")).isInstanceOf(InvalidInputException.class);
        assertThat(store.listRoles()).isEmpty();
    }

    @Test
    void updateRole_changesDescriptionAndPermissions_andHoldersSeeIt() {
        store.createRole(new Role("editor", "Edits", Set.of("post:edit", "post:read")));
        User holder = store.createUser(NewUser.builder("holder@example.com").roles("editor").build());
        assertThat(holder.hasPermission("post:edit")).isTrue();

        Role updated = store.updateRole(new Role("editor", "Publishes", Set.of("post:publish", "post:read")));

        assertThat(updated).isEqualTo(new Role("editor", "Publishes", Set.of("post:publish", "post:read")));
        assertThat(store.findRole("editor")).contains(updated);
        User reloaded = store.findUserById(holder.id()).orElseThrow();
        assertThat(reloaded.roles()).containsExactly(updated);
        assertThat(reloaded.permissions()).containsExactlyInAnyOrder("post:publish", "post:read");
        assertThat(reloaded.hasPermission("post:edit")).isFalse();
        assertThat(store.findUserByEmail("holder@example.com").orElseThrow().hasPermission("post:publish")).isTrue();
    }

    @Test
    void updateRole_canRemoveEveryPermission() {
        store.createRole(new Role("editor", "Edits", Set.of("post:edit")));

        store.updateRole(new Role("editor", "", Set.of()));

        assertThat(store.findRole("editor")).contains(Role.named("editor"));
    }

    @Test
    void updateRole_ofAnUnknownRole_throwsNoSuchRole_andCreatesNothing() {
        assertThatThrownBy(() -> store.updateRole(Role.named("ghost"))).isInstanceOf(NoSuchRoleException.class);
        assertThat(store.listRoles()).isEmpty();
    }

    @Test
    void deleteRole_removesTheRoleAndEveryLinkToIt_butNotTheUsers() {
        store.createRole(new Role("doomed", "", Set.of("p")));
        store.createRole("kept");
        User a = store.createUser(NewUser.builder("a@example.com").roles("doomed", "kept").build());
        User b = store.createUser(NewUser.builder("b@example.com").roles("doomed").build());

        assertThat(store.deleteRole("doomed")).isTrue();

        assertThat(store.findRole("doomed")).isEmpty();
        assertThat(store.findUserById(a.id()).orElseThrow().roleNames()).containsExactly("kept");
        assertThat(store.findUserById(b.id()).orElseThrow().roleNames()).isEmpty();
        assertThat(store.findUserById(b.id()).orElseThrow().permissions()).isEmpty();
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("doomed")).total()).isZero();
        assertThat(store.deleteRole("doomed")).isFalse();
        // A role created again under the same name starts without holders.
        store.createRole("doomed");
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("doomed")).total()).isZero();
    }

    @Test
    void hasRoles_onLoadedUsers_meansAllOfTheNamesAndOneOfEachAnyOfGroup() {
        store.createRole(new Role("a", "", Set.of("read")));
        store.createRole(new Role("b", "", Set.of("write")));
        store.createRole(new Role("c", "", Set.of("write", "delete")));
        store.createRole("d");
        long abd = store.createUser(NewUser.builder("abd@example.com").roles("a", "b", "d").build()).id();
        long acd = store.createUser(NewUser.builder("acd@example.com").roles("a", "c", "d").build()).id();
        long ad = store.createUser(NewUser.builder("ad@example.com").roles("a", "d").build()).id();
        long bc = store.createUser(NewUser.builder("bc@example.com").roles("b", "c").build()).id();

        User userAbd = store.findUserById(abd).orElseThrow();
        User userAcd = store.findUserByEmail("acd@example.com").orElseThrow();
        User userAd = store.listUsers(UserQuery.firstPage(10).withRole("a")).items().stream()
                .filter(u -> u.id() == ad).findFirst().orElseThrow();
        User userBc = store.findUserById(bc).orElseThrow();

        assertThat(userAbd.hasRoles("a", anyOf("b", "c"), "d")).isTrue();
        assertThat(userAcd.hasRoles("a", anyOf("b", "c"), "d")).isTrue();
        assertThat(userAd.hasRoles("a", anyOf("b", "c"), "d")).isFalse();
        assertThat(userBc.hasRoles("a", anyOf("b", "c"), "d")).isFalse();
        assertThat(userBc.hasRoles(anyOf("b"), anyOf("c", "x"))).isTrue();
        assertThat(userAd.hasRoles()).isTrue();
        assertThat(userAd.hasRole("A")).as("role names are case-sensitive").isFalse();
        assertThat(userAcd.permissions()).containsExactlyInAnyOrder("read", "write", "delete");
        assertThat(userAbd.hasAllPermissions("read", "write")).isTrue();
        assertThat(userAbd.hasAllPermissions("read", "delete")).isFalse();
        assertThat(userAbd.hasAnyPermission("delete", "write")).isTrue();
        assertThat(userAd.hasAnyPermission("delete", "write")).isFalse();
        assertThatThrownBy(() -> userAbd.hasRoles("a", 42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> userAd.hasRoles("nope", Set.of("a"))).isInstanceOf(IllegalArgumentException.class);
    }

    // ================================================================ add / remove roles

    @Test
    void addRoleToUser_byIdByNameAndByObject_isIdempotent() {
        Role admin = store.createRole(new Role("admin", "", Set.of("all")));
        store.createRole("editor");
        store.createRole("viewer");
        User user = store.createUser(NewUser.builder("grant@example.com").build());

        User afterId = store.addRoleToUser(user.id(), "admin");
        User afterName = store.addRoleToUser(user, "editor");
        User afterObject = store.addRoleToUser(user, Role.named("viewer"));

        assertThat(afterId.roleNames()).containsExactly("admin");
        assertThat(afterId.permissions()).containsExactly("all");
        assertThat(afterName.roleNames()).containsExactlyInAnyOrder("admin", "editor");
        assertThat(afterObject.roleNames()).containsExactlyInAnyOrder("admin", "editor", "viewer");
        assertThat(store.findUserById(user.id())).contains(afterObject);

        User again = store.addRoleToUser(user, admin);
        assertThat(again).isEqualTo(afterObject);
        assertThat(store.findUserById(user.id())).contains(afterObject);
    }

    @Test
    void removeRoleFromUser_byIdByNameAndByObject_isIdempotent() {
        store.createRole("admin");
        Role editor = store.createRole("editor");
        store.createRole("viewer");
        store.createRole("other");
        User user = store.createUser(NewUser.builder("revoke@example.com").roles("admin", "editor", "viewer").build());

        assertThat(store.removeRoleFromUser(user.id(), "admin").roleNames()).containsExactlyInAnyOrder("editor", "viewer");
        assertThat(store.removeRoleFromUser(user, editor).roleNames()).containsExactly("viewer");
        User last = store.removeRoleFromUser(user, "viewer");
        assertThat(last.roleNames()).isEmpty();
        assertThat(store.findUserById(user.id())).contains(last);

        assertThat(store.removeRoleFromUser(user, "viewer")).isEqualTo(last);
        assertThat(store.removeRoleFromUser(user.id(), "other")).isEqualTo(last);
        assertThat(store.findRole("viewer")).as("the role itself stays").isPresent();
    }

    @Test
    void addAndRemoveRole_refuseUnknownUsersAndRoles_changingNothing() {
        store.createRole("admin");
        User user = store.createUser(NewUser.builder("u@example.com").roles("admin").build());

        assertThatThrownBy(() -> store.addRoleToUser(user.id(), "ghost")).isInstanceOf(NoSuchRoleException.class);
        assertThatThrownBy(() -> store.removeRoleFromUser(user.id(), "ghost")).isInstanceOf(NoSuchRoleException.class);
        assertThatThrownBy(() -> store.addRoleToUser(UNKNOWN_ID, "admin")).isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.removeRoleFromUser(UNKNOWN_ID, "admin")).isInstanceOf(NoSuchUserException.class);

        assertThat(store.findUserById(user.id())).contains(user);
        assertThat(store.listRoles()).containsExactly(Role.named("admin"));
    }

    // ================================================================ activation

    @Test
    void activateAndDeactivate_reportWhetherTheyChangedAnything() {
        User user = store.createUser(NewUser.builder("act@example.com").build());

        assertThat(store.activate(user.id())).isFalse();
        assertThat(store.deactivate(user.id())).isTrue();
        assertThat(store.findUserById(user.id()).orElseThrow().isActive()).isFalse();
        assertThat(store.deactivate(user.id())).isFalse();
        assertThat(store.activate(user.id())).isTrue();
        assertThat(store.findUserById(user.id()).orElseThrow().isActive()).isTrue();
    }

    @Test
    void activation_changesNothingElse() {
        store.createRole("admin");
        User user = store.createUser(NewUser.builder("act@example.com").roles("admin").attribute("x", "y").build());

        store.deactivate(user.id());

        assertThat(store.findUserById(user.id()).orElseThrow()).isEqualTo(user.toBuilder().active(false).build());
    }

    @Test
    void createUser_canCreateAnInactiveUser() {
        User user = store.createUser(NewUser.builder("inactive@example.com").active(false).build());

        assertThat(user.isActive()).isFalse();
        assertThat(store.activate(user.id())).isTrue();
    }

    @Test
    void toggleActive_flipsAndReturnsTheStoredUser() {
        User user = store.createUser(NewUser.builder("toggle@example.com").build());

        User off = store.toggleActive(user.id());
        assertThat(off.isActive()).isFalse();
        assertThat(store.findUserById(user.id())).contains(off);

        User on = store.toggleActive(user.id());
        assertThat(on.isActive()).isTrue();
        assertThat(on).isEqualTo(user);
    }

    @Test
    void activationOfAnUnknownUser_throwsNoSuchUser() {
        assertThatThrownBy(() -> store.activate(UNKNOWN_ID)).isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.deactivate(UNKNOWN_ID)).isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.toggleActive(UNKNOWN_ID)).isInstanceOf(NoSuchUserException.class);
    }

    // ================================================================ security stamp

    @Test
    void setSecurityStamp_replacesTheStamp_soTheOldOneFindsNobody() {
        User user = store.createUser(NewUser.builder("stamp@example.com").build());
        String newStamp = "fedcba9876543210fedcba9876543210";

        User changed = store.setSecurityStamp(user.id(), newStamp);

        assertThat(changed.securityStamp()).isEqualTo(newStamp);
        assertThat(changed).isEqualTo(user.toBuilder().securityStamp(newStamp).build());
        assertThat(store.findUserBySecurityStamp(newStamp)).contains(changed);
        assertThat(store.findUserBySecurityStamp(user.securityStamp())).isEmpty();
    }

    @Test
    void setSecurityStamp_toTheCurrentStamp_isAllowed() {
        User user = store.createUser(NewUser.builder("same@example.com").build());

        assertThat(store.setSecurityStamp(user.id(), user.securityStamp())).isEqualTo(user);
    }

    @Test
    void rotateSecurityStamp_setsAFreshRandomStamp() {
        User user = store.createUser(NewUser.builder("rotate@example.com").build());

        User rotated = store.rotateSecurityStamp(user.id());

        assertThat(rotated.securityStamp()).isNotEqualTo(user.securityStamp()).matches("[A-Za-z0-9_-]{43}");
        assertThat(store.findUserBySecurityStamp(rotated.securityStamp())).contains(rotated);
        assertThat(store.findUserBySecurityStamp(user.securityStamp())).isEmpty();
    }

    @Test
    void setSecurityStamp_refusesMalformedStampsAndStampsOfOtherUsers_changingNothing() {
        User user = store.createUser(NewUser.builder("mine@example.com").build());
        User other = store.createUser(NewUser.builder("other@example.com").build());

        InvalidInputException malformed = thrown(InvalidInputException.class,
                () -> store.setSecurityStamp(user.id(), "too short"));
        InvalidInputException taken = thrown(InvalidInputException.class,
                () -> store.setSecurityStamp(user.id(), other.securityStamp()));

        assertThat(malformed.field()).isEqualTo("security_stamp");
        assertThat(malformed.code()).isEqualTo("INVALID_SECURITY_STAMP");
        assertThat(taken.field()).isEqualTo("security_stamp");
        assertThat(taken.code()).isEqualTo("SECURITY_STAMP_IN_USE");
        assertThat(store.findUserById(user.id())).contains(user);
        assertThat(store.findUserBySecurityStamp(other.securityStamp())).contains(other);
        assertThatThrownBy(() -> store.setSecurityStamp(UNKNOWN_ID, SecurityStamps.generate()))
                .isInstanceOf(NoSuchUserException.class);
    }

    // ================================================================ password hash

    @Test
    void setPasswordHash_replacesOnlyTheHash() {
        store.createRole("Writer");
        User user = store.createUser(NewUser.builder("hash@example.com").passwordHash(HASH).roles("Writer")
                .attribute("display_name", "Hash").build());

        User updated = store.setPasswordHash(user.id(), OTHER_HASH);

        assertThat(updated.passwordHash()).contains(OTHER_HASH);
        assertThat(updated).isEqualTo(user.toBuilder().passwordHash(OTHER_HASH).build());
        assertThat(store.findUserById(user.id())).contains(updated);
    }

    @Test
    void setPasswordHash_refusesPlaintext_andUnknownUsers_changingNothing() {
        User user = store.createUser(NewUser.builder("hash@example.com").passwordHash(HASH).build());

        assertThatThrownBy(() -> store.setPasswordHash(user.id(), "correct horse battery staple"))
                .isInstanceOf(dev.gatehouse.error.InvalidInputException.class);
        assertThatThrownBy(() -> store.setPasswordHash(UNKNOWN_ID, OTHER_HASH)).isInstanceOf(NoSuchUserException.class);
        assertThat(store.findUserById(user.id())).contains(user);
    }

    @Test
    void setPasswordHash_doesNotUndoAConcurrentRoleChange() {
        store.createRole("Editor");
        User stale = store.createUser(NewUser.builder("hash@example.com").passwordHash(HASH).build());
        store.addRoleToUser(stale.id(), "Editor");

        User updated = store.setPasswordHash(stale.id(), OTHER_HASH);

        assertThat(updated.hasRole("Editor")).isTrue();
    }

    // ================================================================ patchUser

    @Test
    void patchUser_changesExactlyTheNamedFields() {
        store.createRole("Writer");
        User user = store.createUser(NewUser.builder("patch@example.com").username("patcher").passwordHash(HASH)
                .roles("Writer").attribute("display_name", "Patch").build());
        User tracked = store.recordLogin(user.id(), START, Optional.of("192.0.2.1"));
        Instant confirmed = START.plusNanos(1_234_567);
        String stamp = SecurityStamps.generate();

        User patched = store.patchUser(user.id(), UserPatch.builder().email("New.Address@Example.com").username("Renamed")
                .passwordHash(OTHER_HASH).securityStamp(stamp).confirmedAt(confirmed).build());

        assertThat(patched).isEqualTo(tracked.toBuilder().email("New.Address@Example.com").username("Renamed")
                .passwordHash(OTHER_HASH).securityStamp(stamp).confirmedAt(START.plusNanos(1_234_000)).build());
        assertThat(store.findUserById(user.id())).contains(patched);
        assertThat(store.findUserByEmail("new.address@example.com")).contains(patched);
        assertThat(store.findUserByEmail("patch@example.com")).as("the old address is free").isEmpty();
        assertThat(store.findUserByUsername("renamed")).contains(patched);
        assertThat(store.findUserByUsername("patcher")).isEmpty();
        assertThat(store.findUserBySecurityStamp(stamp)).contains(patched);
        assertThat(store.findUserBySecurityStamp(user.securityStamp())).isEmpty();
    }

    @Test
    void patchUser_ofOneField_leavesTheOthers_andCanClearUsernameAndConfirmation() {
        User user = store.createUser(NewUser.builder("clear@example.com").username("clearme").passwordHash(HASH)
                .confirmedAt(START).build());

        User onlyHash = store.patchUser(user.id(), UserPatch.builder().passwordHash(OTHER_HASH).build());
        assertThat(onlyHash).isEqualTo(user.toBuilder().passwordHash(OTHER_HASH).build());

        User cleared = store.patchUser(user.id(), UserPatch.builder().clearUsername().clearConfirmedAt().build());
        assertThat(cleared.username()).isEmpty();
        assertThat(cleared.confirmedAt()).isEmpty();
        assertThat(cleared).isEqualTo(onlyHash.toBuilder().username(null).confirmedAt(null).build());
        assertThat(store.findUserByUsername("clearme")).isEmpty();

        assertThat(store.patchUser(user.id(), UserPatch.builder().build())).as("an empty patch").isEqualTo(cleared);
    }

    @Test
    void patchUser_mayChangeTheCaseOfItsOwnEmailAndUsername() {
        User user = store.createUser(NewUser.builder("case@example.com").username("casey").build());

        User patched = store.patchUser(user.id(), UserPatch.builder().email("CASE@example.com").username("Casey").build());

        assertThat(patched.email()).isEqualTo("CASE@example.com");
        assertThat(patched.username()).contains("Casey");
    }

    @Test
    void patchUser_refusesAnEmailUsernameOrStampOfAnotherUser_changingNothing() {
        User alice = store.createUser(NewUser.builder("alice@example.com").username("alice").passwordHash(HASH).build());
        User bob = store.createUser(NewUser.builder("bob@example.com").username("bob").passwordHash(HASH).build());

        DuplicateUserException email = thrown(DuplicateUserException.class, () -> store.patchUser(bob.id(),
                UserPatch.builder().passwordHash(OTHER_HASH).email("ALICE@example.com").build()));
        assertThat(email.field()).isEqualTo("email");
        DuplicateUserException username = thrown(DuplicateUserException.class, () -> store.patchUser(bob.id(),
                UserPatch.builder().passwordHash(OTHER_HASH).username("Alice").build()));
        assertThat(username.field()).isEqualTo("username");
        InvalidInputException stamp = thrown(InvalidInputException.class, () -> store.patchUser(bob.id(),
                UserPatch.builder().passwordHash(OTHER_HASH).securityStamp(alice.securityStamp()).build()));
        assertThat(stamp.code()).isEqualTo("SECURITY_STAMP_IN_USE");

        assertThat(store.findUserById(alice.id())).contains(alice);
        assertThat(store.findUserById(bob.id())).as("all or nothing: not even the hash changed").contains(bob);
    }

    @Test
    void patchUser_ofAnUnknownUser_throwsNoSuchUser() {
        assertThatThrownBy(() -> store.patchUser(UNKNOWN_ID, UserPatch.builder().passwordHash(HASH).build()))
                .isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.patchUser(UNKNOWN_ID, UserPatch.builder().build()))
                .isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.patchUser(1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void concurrentPatchUser_toTheSameEmail_letsExactlyOneUserHaveIt() throws Exception {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            users.add(store.createUser(NewUser.builder("mover" + i + "@example.com").build()));
        }

        List<Outcome<User>> outcomes = race(THREADS, i -> store.patchUser(users.get(i).id(),
                UserPatch.builder().email(caseVariant("wanted", i) + "@example.com").build()));

        assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.succeeded()).allSatisfy(o -> assertThat(o.failure())
                .isInstanceOfSatisfying(DuplicateUserException.class, e -> assertThat(e.field()).isEqualTo("email")));
        User winner = outcomes.stream().filter(Outcome::succeeded).findFirst().orElseThrow().value();
        assertThat(store.findUserByEmail("wanted@example.com")).contains(winner);
    }

    @Test
    void concurrentPatchUserAndRecordLogin_loseNeitherChange() throws Exception {
        User user = store.createUser(NewUser.builder("both@example.com").passwordHash(HASH).build());

        List<Outcome<User>> outcomes = race(THREADS, i -> i % 2 == 0
                ? store.recordLogin(user.id(), START, Optional.empty())
                : store.patchUser(user.id(), UserPatch.builder().passwordHash(i == 1 ? OTHER_HASH : HASH)
                        .rotateSecurityStamp().build()));

        assertThat(outcomes).allMatch(Outcome::succeeded);
        User stored = store.findUserById(user.id()).orElseThrow();
        assertThat(stored.loginCount()).isEqualTo(THREADS / 2);
        assertThat(stored.securityStamp()).isNotEqualTo(user.securityStamp());
    }

    // ================================================================ login tracking

    @Test
    void recordLogin_shiftsCurrentToLast_andCounts() {
        User user = store.createUser(NewUser.builder("login@example.com").build());
        Instant t1 = Instant.parse("2024-06-01T08:00:00.000001Z");
        Instant t2 = Instant.parse("2024-06-02T09:30:00.5Z");
        Instant t3 = Instant.parse("2024-06-03T10:45:00Z");

        User first = store.recordLogin(user.id(), t1, Optional.of("192.0.2.1"));
        assertThat(first.currentLoginAt()).contains(t1);
        assertThat(first.currentLoginIp()).contains("192.0.2.1");
        assertThat(first.lastLoginAt()).as("Flask-Security sets last = current on the first sign-in").contains(t1);
        assertThat(first.lastLoginIp()).contains("192.0.2.1");
        assertThat(first.loginCount()).isEqualTo(1);

        User second = store.recordLogin(user.id(), t2, Optional.of("2001:db8::1"));
        assertThat(second.lastLoginAt()).contains(t1);
        assertThat(second.lastLoginIp()).contains("192.0.2.1");
        assertThat(second.currentLoginAt()).contains(t2);
        assertThat(second.currentLoginIp()).contains("2001:db8::1");
        assertThat(second.loginCount()).isEqualTo(2);

        User third = store.recordLogin(user.id(), t3, Optional.empty());
        assertThat(third.lastLoginAt()).contains(t2);
        assertThat(third.lastLoginIp()).contains("2001:db8::1");
        assertThat(third.currentLoginAt()).contains(t3);
        assertThat(third.currentLoginIp()).isEmpty();
        assertThat(third.loginCount()).isEqualTo(3);
        assertThat(store.findUserById(user.id())).contains(third);
        assertThat(third).isEqualTo(user.toBuilder().lastLoginAt(t2).lastLoginIp("2001:db8::1")
                .currentLoginAt(t3).currentLoginIp(null).loginCount(3).build());
    }

    @Test
    void recordLogin_truncatesToMicroseconds_andRefusesBadValues_changingNothing() {
        User user = store.createUser(NewUser.builder("login@example.com").build());

        User logged = store.recordLogin(user.id(), Instant.parse("2024-06-01T08:00:00.123456789Z"),
                Optional.of("fe80::1ff:fe23:4567:890a%eth0"));
        assertThat(logged.currentLoginAt()).contains(Instant.parse("2024-06-01T08:00:00.123456Z"));
        assertThat(logged.currentLoginIp()).contains("fe80::1ff:fe23:4567:890a%eth0");

        assertThat(thrown(InvalidInputException.class, () -> store.recordLogin(user.id(),
                Instant.parse("1969-07-20T20:17:40Z"), Optional.empty())).field()).isEqualTo("at");
        for (String badIp : List.of("", " 192.0.2.1", "192.0.2.1\r\nX-Injected: 1", "1".repeat(65))) {
            assertThat(thrown(InvalidInputException.class,
                    () -> store.recordLogin(user.id(), START, Optional.of(badIp))).field()).isEqualTo("ip");
        }
        assertThat(store.findUserById(user.id())).contains(logged);
        assertThatThrownBy(() -> store.recordLogin(UNKNOWN_ID, START, Optional.empty()))
                .isInstanceOf(NoSuchUserException.class);
    }

    // ================================================================ updateUser

    @Test
    void updateUser_replacesEveryFieldButIdAndCreatedAt() {
        store.createRole(new Role("old", "", Set.of("old:perm")));
        store.createRole(new Role("new", "", Set.of("new:perm")));
        store.createRole("extra");
        User user = store.createUser(NewUser.builder("before@example.com").username("before").passwordHash(HASH)
                .roles("old").attribute("keep", "1").attribute("drop", "2").build());
        Instant confirmed = Instant.parse("2024-02-03T04:05:06.070809Z");
        Instant last = Instant.parse("2024-03-01T00:00:00Z");
        Instant current = Instant.parse("2024-03-02T00:00:00.000002Z");
        String stamp = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef-_0123";

        User changed = user.toBuilder()
                .email("After@Example.com")
                .username("After")
                .passwordHash(OTHER_HASH)
                .active(false)
                .confirmedAt(confirmed)
                .securityStamp(stamp)
                .createdAt(Instant.parse("2000-01-01T00:00:00Z"))
                .lastLoginAt(last)
                .currentLoginAt(current)
                .lastLoginIp("192.0.2.10")
                .currentLoginIp("192.0.2.11")
                .loginCount(42)
                .roles(Set.of(Role.named("new"), Role.named("extra")))
                .attributes(new LinkedHashMap<>(Map.of()))
                .attribute("zeta", "last letter")
                .attribute("keep", "changed")
                .attribute("alpha", "first letter")
                .build();

        User updated = store.updateUser(changed);

        assertThat(updated.id()).isEqualTo(user.id());
        assertThat(updated.createdAt()).isEqualTo(user.createdAt());
        assertThat(updated.email()).isEqualTo("After@Example.com");
        assertThat(updated.username()).contains("After");
        assertThat(updated.passwordHash()).contains(OTHER_HASH);
        assertThat(updated.isActive()).isFalse();
        assertThat(updated.confirmedAt()).contains(confirmed);
        assertThat(updated.securityStamp()).isEqualTo(stamp);
        assertThat(updated.lastLoginAt()).contains(last);
        assertThat(updated.currentLoginAt()).contains(current);
        assertThat(updated.lastLoginIp()).contains("192.0.2.10");
        assertThat(updated.currentLoginIp()).contains("192.0.2.11");
        assertThat(updated.loginCount()).isEqualTo(42);
        assertThat(updated.roleNames()).containsExactlyInAnyOrder("new", "extra");
        assertThat(updated.permissions()).containsExactly("new:perm");
        assertThat(updated.attributes()).containsExactly(
                Map.entry("zeta", "last letter"), Map.entry("keep", "changed"), Map.entry("alpha", "first letter"));
        assertThat(store.findUserById(user.id())).contains(updated);
        assertThat(store.findUserByEmail("after@example.com")).contains(updated);
        assertThat(store.findUserByUsername("AFTER")).contains(updated);
        assertThat(store.findUserBySecurityStamp(stamp)).contains(updated);
        assertThat(store.findUserByEmail("before@example.com")).isEmpty();
        assertThat(store.findUserByUsername("before")).isEmpty();
        assertThat(store.findUserBySecurityStamp(user.securityStamp())).isEmpty();
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("old")).total()).isZero();
    }

    @Test
    void updateUser_canClearOptionalFields() {
        store.createRole("r");
        User user = store.createUser(NewUser.builder("full@example.com").username("full").passwordHash(HASH)
                .confirmedAt(START).roles("r").attribute("a", "b").build());
        user = store.recordLogin(user.id(), START, Optional.of("192.0.2.1"));
        user = store.recordLogin(user.id(), START.plusSeconds(1), Optional.of("192.0.2.2"));

        User cleared = store.updateUser(user.toBuilder().username(null).passwordHash(null).confirmedAt(null)
                .lastLoginAt(null).currentLoginAt(null).lastLoginIp(null).currentLoginIp(null).loginCount(0)
                .roles(Set.of()).attributes(Map.of()).build());

        assertThat(cleared).isEqualTo(User.builder(user.id()).email("full@example.com")
                .securityStamp(user.securityStamp()).createdAt(user.createdAt()).build());
        assertThat(store.findUserById(user.id())).contains(cleared);
        assertThat(store.findUserByUsername("full")).isEmpty();
    }

    @Test
    void updateUser_mayChangeTheCaseOfItsOwnEmailAndUsername() {
        User user = store.createUser(NewUser.builder("case@example.com").username("case").build());

        User updated = store.updateUser(user.toBuilder().email("CASE@EXAMPLE.COM").username("CASE").build());

        assertThat(updated.email()).isEqualTo("CASE@EXAMPLE.COM");
        assertThat(updated.username()).contains("CASE");
        assertThat(store.findUserByEmail("case@example.com")).contains(updated);
    }

    @Test
    void updateUser_refusesAnEmailOrUsernameOfAnotherUser_leavingBothIntact() {
        store.createRole("r");
        User alice = store.createUser(NewUser.builder("alice@example.com").username("alice").roles("r")
                .attribute("a", "1").build());
        User bob = store.createUser(NewUser.builder("bob@example.com").username("bob").build());

        DuplicateUserException email = thrown(DuplicateUserException.class, () -> store.updateUser(
                bob.toBuilder().email("ALICE@example.com").active(false).roles(Set.of(Role.named("r")))
                        .attribute("b", "2").build()));
        DuplicateUserException username = thrown(DuplicateUserException.class, () -> store.updateUser(
                bob.toBuilder().username("Alice").loginCount(7).build()));

        assertThat(email.field()).isEqualTo("email");
        assertThat(username.field()).isEqualTo("username");
        assertThat(store.findUserById(alice.id())).contains(alice);
        assertThat(store.findUserById(bob.id())).contains(bob);
        assertThat(store.findUserByEmail("alice@example.com")).contains(alice);
        assertThat(store.findUserByUsername("alice")).contains(alice);
    }

    @Test
    void updateUser_refusesAStampOfAnotherUser_orAnUnknownRole_leavingTheUserIntact() {
        User alice = store.createUser(NewUser.builder("alice@example.com").attribute("a", "1").build());
        User bob = store.createUser(NewUser.builder("bob@example.com").build());

        InvalidInputException stamp = thrown(InvalidInputException.class,
                () -> store.updateUser(bob.toBuilder().securityStamp(alice.securityStamp()).build()));
        assertThatThrownBy(() -> store.updateUser(alice.toBuilder().email("alice2@example.com")
                .attribute("b", "2").addRole(Role.named("ghost")).build()))
                .isInstanceOf(NoSuchRoleException.class);

        assertThat(stamp.code()).isEqualTo("SECURITY_STAMP_IN_USE");
        assertThat(store.findUserById(alice.id())).contains(alice);
        assertThat(store.findUserById(bob.id())).contains(bob);
        assertThat(store.findUserByEmail("alice2@example.com")).isEmpty();
    }

    @Test
    void updateUser_refusesInvalidValues_leavingTheUserIntact() {
        User user = store.createUser(NewUser.builder("valid@example.com").build());

        assertThat(thrown(InvalidInputException.class,
                () -> store.updateUser(user.toBuilder().email("not an email").build())).field()).isEqualTo("email");
        assertThat(thrown(InvalidInputException.class,
                () -> store.updateUser(user.toBuilder().email("a\r\nb@example.com").build())).field()).isEqualTo("email");
        assertThat(thrown(InvalidInputException.class,
                () -> store.updateUser(user.toBuilder().username("with space").build())).field()).isEqualTo("username");
        assertThat(thrown(InvalidInputException.class,
                () -> store.updateUser(user.toBuilder().attribute("Bad-Name", "x").build())).field()).isEqualTo("attributes");
        assertThat(thrown(InvalidInputException.class,
                () -> store.updateUser(user.toBuilder().attribute("nul", "a\u0000b").build())).field()).isEqualTo("nul");
        assertThat(thrown(InvalidInputException.class,
                () -> store.updateUser(user.toBuilder().currentLoginIp("x".repeat(65)).build())).field()).isEqualTo("ip");
        assertThat(thrown(InvalidInputException.class, () -> store.updateUser(
                user.toBuilder().lastLoginAt(Instant.parse("+12000-01-01T00:00:00Z")).build())).field())
                .isEqualTo("last_login_at");

        assertThat(store.findUserById(user.id())).contains(user);
    }

    @Test
    void updateUser_ofAnUnknownId_throwsNoSuchUser_andCreatesNobody() {
        User ghost = User.builder(UNKNOWN_ID).email("ghost@example.com").securityStamp(SecurityStamps.generate())
                .createdAt(START).build();

        assertThatThrownBy(() -> store.updateUser(ghost)).isInstanceOf(NoSuchUserException.class);
        assertThat(store.findUserByEmail("ghost@example.com")).isEmpty();
    }

    @Test
    void updateUser_takesRoleDefinitionsFromTheStore_notFromTheGivenUser() {
        store.createRole(new Role("editor", "Edits", Set.of("post:edit")));
        User user = store.createUser(NewUser.builder("u@example.com").build());

        User updated = store.updateUser(user.toBuilder()
                .addRole(new Role("editor", "forged", Set.of("everything"))).build());

        assertThat(updated.roles()).containsExactly(new Role("editor", "Edits", Set.of("post:edit")));
        assertThat(updated.hasPermission("everything")).isFalse();
        assertThat(store.findRole("editor").orElseThrow().permissions()).containsExactly("post:edit");
    }

    @Test
    void updateUser_truncatesInstantsToMicroseconds() {
        User user = store.createUser(NewUser.builder("u@example.com").build());

        User updated = store.updateUser(user.toBuilder()
                .confirmedAt(Instant.parse("2024-01-01T00:00:00.000000999Z")).build());

        assertThat(updated.confirmedAt()).contains(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(store.findUserById(user.id())).contains(updated);
    }

    // ================================================================ deleteUser

    @Test
    void deleteUser_removesTheUserWithItsLinksAndAttributes_butNotItsRoles() {
        store.createRole(new Role("admin", "", Set.of("p")));
        User doomed = store.createUser(NewUser.builder("doomed@example.com").username("doomed").roles("admin")
                .attribute("display_name", "Doomed").build());
        User survivor = store.createUser(NewUser.builder("survivor@example.com").roles("admin")
                .attribute("display_name", "Survivor").build());

        assertThat(store.deleteUser(doomed.id())).isTrue();

        assertThat(store.findUserById(doomed.id())).isEmpty();
        assertThat(store.findUserByEmail("doomed@example.com")).isEmpty();
        assertThat(store.findUserByUsername("doomed")).isEmpty();
        assertThat(store.findUserBySecurityStamp(doomed.securityStamp())).isEmpty();
        assertThat(store.findRole("admin")).contains(new Role("admin", "", Set.of("p")));
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("admin")).items()).containsExactly(survivor);
        assertThat(store.findUserById(survivor.id())).contains(survivor);
        assertThat(store.deleteUser(doomed.id())).isFalse();

        // Everything the old account owned is gone: the same identifiers start from scratch.
        User reborn = store.createUser(NewUser.builder("doomed@example.com").username("doomed")
                .securityStamp(doomed.securityStamp()).build());
        assertThat(reborn.id()).isNotEqualTo(doomed.id());
        assertThat(reborn.roles()).isEmpty();
        assertThat(reborn.attributes()).isEmpty();
    }

    @Test
    void deleteUser_byObject_andOfAnUnknownId() {
        User user = store.createUser(NewUser.builder("obj@example.com").build());

        assertThat(store.deleteUser(user)).isTrue();
        assertThat(store.deleteUser(user)).isFalse();
        assertThat(store.deleteUser(UNKNOWN_ID)).isFalse();
        assertThat(store.listUsers(UserQuery.firstPage(10)).total()).isZero();
    }

    @Test
    void operationsOnADeletedUser_throwNoSuchUser() {
        store.createRole("r");
        User user = store.createUser(NewUser.builder("gone@example.com").build());
        store.deleteUser(user.id());

        assertThatThrownBy(() -> store.updateUser(user)).isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.addRoleToUser(user.id(), "r")).isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.recordLogin(user.id(), START, Optional.empty()))
                .isInstanceOf(NoSuchUserException.class);
        assertThatThrownBy(() -> store.rotateSecurityStamp(user.id())).isInstanceOf(NoSuchUserException.class);
        assertThat(store.findUserByEmail("gone@example.com")).isEmpty();
    }

    // ================================================================ listUsers

    @Test
    void listUsers_pagesInIdOrder_withTotalAndHasNext() {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            users.add(store.createUser(NewUser.builder("user" + i + "@example.com").build()));
        }

        Page<User> first = store.listUsers(UserQuery.firstPage(3));
        Page<User> second = store.listUsers(first.query().next());
        Page<User> third = store.listUsers(second.query().next());
        Page<User> beyond = store.listUsers(third.query().next());

        assertThat(first.items()).containsExactlyElementsOf(users.subList(0, 3));
        assertThat(first.total()).isEqualTo(7);
        assertThat(first.hasNext()).isTrue();
        assertThat(second.items()).containsExactlyElementsOf(users.subList(3, 6));
        assertThat(second.hasNext()).isTrue();
        assertThat(third.items()).containsExactly(users.get(6));
        assertThat(third.hasNext()).isFalse();
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(7);
        assertThat(beyond.hasNext()).isFalse();
        assertThat(first.query()).isEqualTo(UserQuery.firstPage(3));
    }

    @Test
    void listUsers_withAnOffsetFarPastTheEnd_isEmpty() {
        store.createUser(NewUser.builder("only@example.com").build());

        Page<User> page = store.listUsers(new UserQuery(Optional.empty(), Optional.empty(), Integer.MAX_VALUE, 1000));

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isEqualTo(1);
        assertThat(page.hasNext()).isFalse();
    }

    @Test
    void listUsers_ofAnEmptyStore() {
        Page<User> page = store.listUsers(UserQuery.firstPage(UserQuery.MAX_LIMIT));

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(page.hasNext()).isFalse();
    }

    @Test
    void listUsers_filtersByRoleAndByActiveFlag_andByBoth() {
        store.createRole("staff");
        store.createRole("Staff");
        User activeStaff = store.createUser(NewUser.builder("as@example.com").roles("staff").build());
        User inactiveStaff = store.createUser(NewUser.builder("is@example.com").roles("staff").active(false).build());
        User activeOther = store.createUser(NewUser.builder("ao@example.com").roles("Staff").build());
        User inactiveOther = store.createUser(NewUser.builder("io@example.com").active(false).build());

        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("staff")).items())
                .containsExactly(activeStaff, inactiveStaff);
        assertThat(store.listUsers(UserQuery.firstPage(10).withActive(true)).items())
                .containsExactly(activeStaff, activeOther);
        assertThat(store.listUsers(UserQuery.firstPage(10).withActive(false)).items())
                .containsExactly(inactiveStaff, inactiveOther);
        Page<User> both = store.listUsers(UserQuery.firstPage(10).withRole("staff").withActive(false));
        assertThat(both.items()).containsExactly(inactiveStaff);
        assertThat(both.total()).isEqualTo(1);
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("nobody")).total()).isZero();
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("STAFF")).total()).isZero();
    }

    @Test
    void listUsers_pagesThroughAFilter() {
        store.createRole("even");
        List<User> evens = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            User user = store.createUser(NewUser.builder("p" + i + "@example.com").build());
            if (i % 2 == 0) {
                evens.add(store.addRoleToUser(user.id(), "even"));
            }
        }

        Page<User> first = store.listUsers(UserQuery.firstPage(2).withRole("even"));
        Page<User> last = store.listUsers(new UserQuery(Optional.of("even"), Optional.empty(), 4, 2));

        assertThat(first.items()).containsExactlyElementsOf(evens.subList(0, 2));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.hasNext()).isTrue();
        assertThat(last.items()).containsExactly(evens.get(4));
        assertThat(last.hasNext()).isFalse();
    }

    @Test
    void listUsers_returnsCompleteUsers_inIdOrderAfterDeletions() {
        store.createRole(new Role("r", "", Set.of("p")));
        User a = store.createUser(NewUser.builder("a@example.com").roles("r").attribute("k", "a").build());
        User b = store.createUser(NewUser.builder("b@example.com").build());
        User c = store.createUser(NewUser.builder("c@example.com").attribute("k", "c").attribute("j", "c2").build());
        store.deleteUser(b.id());
        User d = store.createUser(NewUser.builder("d@example.com").roles("r").build());

        assertThat(store.listUsers(UserQuery.firstPage(10)).items()).containsExactly(a, c, d);
    }

    // ================================================================ attributes

    @Test
    void attributes_roundTripUnicodeValuesInInsertionOrder() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("zz_last", "zéro");
        attributes.put("display_name", "Zoë Ørsted-Łukasiewicz 😀");
        attributes.put("cjk", "日本語のテキスト");
        attributes.put("rtl", "שלום עולם");
        attributes.put("multiline", "line one\nline two\r\n\ttabbed");
        attributes.put("empty", "");
        attributes.put("quotes", "it's \"quoted\"; DROP TABLE users; --");
        attributes.put("a1", "first by name, last by insertion");

        User user = store.createUser(NewUser.builder("attrs@example.com").attributes(attributes).build());

        assertThat(user.attributes()).containsExactlyEntriesOf(attributes);
        assertThat(store.findUserById(user.id()).orElseThrow().attributes()).containsExactlyEntriesOf(attributes);
        assertThat(store.findUserById(user.id()).orElseThrow().attribute("cjk")).contains("日本語のテキスト");
    }

    @Test
    void attributes_keepTheLongestValue_evenOfCharactersOutsideTheBasicPlane() {
        String longest = "😀".repeat(Identifiers.MAX_ATTRIBUTE_VALUE_LENGTH / 2);
        String longestAscii = "x".repeat(Identifiers.MAX_ATTRIBUTE_VALUE_LENGTH);

        User user = store.createUser(NewUser.builder("long@example.com")
                .attribute("emoji", longest).attribute("ascii", longestAscii).build());

        assertThat(store.findUserById(user.id()).orElseThrow().attributes())
                .containsExactly(Map.entry("emoji", longest), Map.entry("ascii", longestAscii));
    }

    @Test
    void attributes_ofOneUserDoNotLeakToAnother() {
        User a = store.createUser(NewUser.builder("a@example.com").attribute("secret_question", "a").build());
        User b = store.createUser(NewUser.builder("b@example.com").build());

        assertThat(store.findUserById(b.id()).orElseThrow().attributes()).isEmpty();
        assertThat(store.findUserById(a.id()).orElseThrow().attributes()).containsOnlyKeys("secret_question");
    }

    // ================================================================ concurrency

    @Test
    void concurrentCreateUser_withTheSameEmailInDifferentCase_createsExactlyOneUser() throws Exception {
        for (int round = 0; round < 3; round++) {
            String local = "racer" + round;
            List<Outcome<User>> outcomes = race(THREADS, i -> store.createUser(
                    NewUser.builder(caseVariant(local, i) + "@Example.COM").username(local + "_" + i).build()));

            assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded()).hasSize(THREADS - 1)
                    .allSatisfy(o -> assertThat(o.failure())
                            .isInstanceOfSatisfying(DuplicateUserException.class, e -> assertThat(e.field()).isEqualTo("email")));
            User winner = outcomes.stream().filter(Outcome::succeeded).findFirst().orElseThrow().value();
            assertThat(store.findUserByEmail(local + "@example.com")).contains(winner);
        }
        assertThat(store.listUsers(UserQuery.firstPage(100)).total()).isEqualTo(3);
    }

    @Test
    void concurrentCreateUser_withTheSameUsernameInDifferentCase_createsExactlyOneUser() throws Exception {
        List<Outcome<User>> outcomes = race(THREADS,
                i -> store.createUser(NewUser.builder("name" + i + "@example.com").username(caseVariant("samename", i)).build()));

        assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.succeeded())
                .allSatisfy(o -> assertThat(o.failure())
                        .isInstanceOfSatisfying(DuplicateUserException.class, e -> assertThat(e.field()).isEqualTo("username")));
        assertThat(store.listUsers(UserQuery.firstPage(100)).total()).isEqualTo(1);
    }

    @Test
    void concurrentRecordLogin_neverLosesACount() throws Exception {
        User user = store.createUser(NewUser.builder("busy@example.com").build());
        int perThread = 15;

        List<Outcome<List<Integer>>> outcomes = race(THREADS, i -> {
            List<Integer> counts = new ArrayList<>();
            for (int n = 0; n < perThread; n++) {
                counts.add(store.recordLogin(user.id(), START.plusSeconds(n), Optional.of("192.0.2." + i)).loginCount());
            }
            return counts;
        });

        int total = THREADS * perThread;
        List<Integer> returned = outcomes.stream().flatMap(o -> o.value().stream()).toList();
        assertThat(returned).as("each call saw its own count").containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(1, total).boxed().toList());
        assertThat(store.findUserById(user.id()).orElseThrow().loginCount()).isEqualTo(total);
    }

    @Test
    void concurrentFindOrCreateRole_createsOneRole() throws Exception {
        List<Outcome<Role>> outcomes = race(THREADS, i -> store.findOrCreateRole("contended"));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isEqualTo(Role.named("contended")));
        assertThat(store.listRoles()).containsExactly(Role.named("contended"));
    }

    @Test
    void concurrentAddRoleToUser_grantsTheRoleOnce() throws Exception {
        store.createRole("shared");
        User user = store.createUser(NewUser.builder("shared@example.com").build());

        List<Outcome<User>> outcomes = race(THREADS, i -> store.addRoleToUser(user.id(), "shared"));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value().roleNames()).containsExactly("shared"));
        assertThat(store.listUsers(UserQuery.firstPage(10).withRole("shared")).items())
                .containsExactly(user.toBuilder().addRole(Role.named("shared")).build());
    }

    @Test
    void concurrentToggleActive_appliesEveryToggle() throws Exception {
        User user = store.createUser(NewUser.builder("flip@example.com").build());

        List<Outcome<User>> outcomes = race(THREADS + 1, i -> store.toggleActive(user.id()));

        assertThat(outcomes).allMatch(Outcome::succeeded);
        assertThat(outcomes.stream().filter(o -> o.value().isActive()).count())
                .as("the returned states alternate").isEqualTo((THREADS + 1) / 2);
        assertThat(store.findUserById(user.id()).orElseThrow().isActive()).as("an odd number of flips").isFalse();
    }

    @Test
    void concurrentReadsAndWrites_onDifferentUsers_doNotInterfere() throws Exception {
        store.createRole("r");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            users.add(store.createUser(NewUser.builder("w" + i + "@example.com").build()));
        }

        List<Outcome<User>> outcomes = race(THREADS, i -> {
            long id = users.get(i).id();
            store.addRoleToUser(id, "r");
            store.rotateSecurityStamp(id);
            store.updateUser(store.findUserById(id).orElseThrow().toBuilder().attribute("n", "v" + i).build());
            return store.findUserById(id).orElseThrow();
        });

        assertThat(outcomes).allMatch(Outcome::succeeded);
        assertThat(store.listUsers(UserQuery.firstPage(100).withRole("r")).items())
                .containsExactlyElementsOf(outcomes.stream().map(Outcome::value)
                        .sorted(java.util.Comparator.comparingLong(User::id)).toList());
        assertThat(outcomes.stream().map(o -> o.value().attribute("n").orElseThrow()).collect(Collectors.toSet()))
                .hasSize(THREADS);
    }

    // ================================================================ helpers

    /** A variant of {@code text} whose letters' case depends on the bits of {@code index}. */
    private static String caseVariant(String text, int index) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(((index >> (i % 8)) & 1) == 1 ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }

    /** The exception {@code call} throws, which must be a {@code type}. */
    protected static <T extends Throwable> T thrown(Class<T> type, ThrowingCallable call) {
        return type.cast(assertThatThrownBy(call).isInstanceOf(type).actual());
    }
}
