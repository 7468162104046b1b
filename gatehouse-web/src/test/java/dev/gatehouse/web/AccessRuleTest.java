package dev.gatehouse.web;

import static dev.gatehouse.user.AnyOf.anyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.AnonymousUser;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The authorization decision of {@link AccessRule} on its own; AccessRequirementsTest in the Javalin
 * module checks the same rules through a real server.
 */
class AccessRuleTest {

    private static long nextId = 1;

    @Test
    void roles_required_with_two_names_needs_both_not_either() {
        AccessRule rule = AccessRule.rolesRequired("Staff", "Writer");

        assertThat(rule.isAuthorized(user("Staff", "Writer"))).isTrue();
        assertThat(rule.isAuthorized(user("Staff"))).as("first only").isFalse();
        assertThat(rule.isAuthorized(user("Writer"))).as("second only").isFalse();
        assertThat(rule.isAuthorized(user())).isFalse();
    }

    @Test
    void roles_required_mixes_names_and_any_of_groups() {
        AccessRule rule = AccessRule.rolesRequired("Staff", anyOf("Writer", "Editor"));

        assertThat(rule.isAuthorized(user("Staff", "Editor"))).isTrue();
        assertThat(rule.isAuthorized(user("Staff"))).isFalse();
        assertThat(rule.isAuthorized(user("Writer", "Editor"))).isFalse();
    }

    @Test
    void roles_accepted_needs_one_of_the_roles() {
        AccessRule rule = AccessRule.rolesAccepted("Writer", "Editor");

        assertThat(rule.isAuthorized(user("Editor"))).isTrue();
        assertThat(rule.isAuthorized(user("Writer"))).isTrue();
        assertThat(rule.isAuthorized(user("Staff"))).isFalse();
        assertThat(rule.isAuthorized(AnonymousUser.INSTANCE)).isFalse();
    }

    @Test
    void permissions_required_needs_every_permission() {
        AccessRule rule = AccessRule.permissionsRequired("entries:read", "entries:delete");

        assertThat(rule.isAuthorized(withPermissions("entries:read", "entries:delete"))).isTrue();
        assertThat(rule.isAuthorized(withPermissions("entries:read"))).isFalse();
        assertThat(rule.isAuthorized(withPermissions("entries:delete"))).isFalse();
    }

    @Test
    void permissions_accepted_needs_one_permission() {
        AccessRule rule = AccessRule.permissionsAccepted("entries:read", "entries:write");

        assertThat(rule.isAuthorized(withPermissions("entries:write"))).isTrue();
        assertThat(rule.isAuthorized(withPermissions("entries:read"))).isTrue();
        assertThat(rule.isAuthorized(withPermissions("other"))).isFalse();
        assertThat(rule.isAuthorized(user())).isFalse();
    }

    @Test
    void authenticated_and_mechanism_rules_demand_no_role_or_permission() {
        assertThat(AccessRule.authenticated().isAuthorized(user())).isTrue();
        assertThat(AccessRule.mechanisms(Mechanism.TOKEN).isAuthorized(user())).isTrue();
        assertThat(AccessRule.mechanisms(Mechanism.TOKEN).mechanisms()).containsExactly(Mechanism.TOKEN);
        assertThatThrownBy(() -> AccessRule.mechanisms(new Mechanism[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void and_keeps_every_requirement_of_both() {
        AccessRule rule = AccessRule.rolesRequired("Staff").and(AccessRule.permissionsRequired("entries:read"))
                .and(AccessRule.permissionsAccepted("a", "entries:read"));

        assertThat(rule.roles()).containsExactly("Staff");
        assertThat(rule.permissionsAll()).containsExactly("entries:read");
        assertThat(rule.permissionsAny()).containsExactly("a", "entries:read");
        User staffReader = User.builder(nextId++).email("sr@example.com").securityStamp("s").createdAt(Instant.EPOCH)
                .roles(Set.of(new Role("Staff", "", Set.of("entries:read")))).build();
        assertThat(rule.isAuthorized(staffReader)).isTrue();
        assertThat(rule.isAuthorized(user("Staff"))).isFalse();
        assertThat(rule.isAuthorized(withPermissions("entries:read"))).isFalse();
    }

    @Test
    void and_intersects_mechanisms_and_keeps_the_stricter_freshness() {
        AccessRule tokenOrSession = AccessRule.mechanisms(Mechanism.TOKEN, Mechanism.SESSION);
        AccessRule sessionOrBasic = AccessRule.mechanisms(Mechanism.SESSION, Mechanism.BASIC);

        assertThat(tokenOrSession.and(sessionOrBasic).mechanisms()).containsExactly(Mechanism.SESSION);
        assertThat(tokenOrSession.and(AccessRule.authenticated()).mechanisms()).isEqualTo(tokenOrSession.mechanisms());
        assertThat(AccessRule.authenticated().and(sessionOrBasic).mechanisms()).isEqualTo(sessionOrBasic.mechanisms());
        assertThatThrownBy(() -> AccessRule.mechanisms(Mechanism.TOKEN).and(AccessRule.mechanisms(Mechanism.BASIC)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no mechanism");

        AccessRule five = AccessRule.authenticated().within(Duration.ofMinutes(5));
        AccessRule ten = AccessRule.authenticated().within(Duration.ofMinutes(10));
        assertThat(five.and(ten).freshWithin()).contains(Duration.ofMinutes(5));
        assertThat(ten.and(five).freshWithin()).contains(Duration.ofMinutes(5));
        assertThat(five.and(five).freshWithin()).contains(Duration.ofMinutes(5));
        assertThat(AccessRule.authenticated().and(ten).freshWithin()).contains(Duration.ofMinutes(10));
        assertThat(ten.and(AccessRule.authenticated()).freshWithin()).contains(Duration.ofMinutes(10));
        assertThat(AccessRule.authenticated().freshWithin()).isEmpty();
    }

    @Test
    void a_role_that_is_neither_a_name_nor_a_group_is_refused() {
        assertThatThrownBy(() -> AccessRule.rolesRequired("Staff", 42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessRule(Set.of(), List.of(), List.of(), List.of(), null))
                .isInstanceOf(NullPointerException.class);
        assertThat(new AccessRule(Set.of(), List.of(), List.of(), List.of(), Optional.empty()))
                .isEqualTo(AccessRule.authenticated());
    }

    @Test
    void scopes_are_all_required_and_only_a_credential_that_grants_scopes_meets_them() {
        AccessRule rule = AccessRule.scopes("entries.read", "entries.write");
        User u = user();

        assertThat(rule.scopes()).containsExactly("entries.read", "entries.write");
        assertThat(rule.isGranted(granting(u, "entries.read", "entries.write", "other"))).isTrue();
        assertThat(rule.isGranted(granting(u, "entries.read"))).as("one of two").isFalse();
        assertThat(rule.isGranted(granting(u))).as("a session grants none").isFalse();
        assertThat(rule.isAuthorized(u)).as("scopes are not roles").isTrue();
        assertThat(AccessRule.authenticated().isGranted(granting(u))).isTrue();
        assertThat(new Authentication(u, Mechanism.SESSION, Instant.EPOCH, Optional.empty()).scopes())
                .as("the built-in mechanisms share one empty set").isSameAs(Set.of());
    }

    @Test
    void and_unites_scopes_keeping_their_order_and_the_rest_of_both_rules() {
        AccessRule rule = AccessRule.mechanisms(Mechanism.of("bearer")).and(AccessRule.scopes("a", "b"))
                .and(AccessRule.scopes("b", "c")).and(AccessRule.rolesRequired("Staff")).within(Duration.ofMinutes(5));

        assertThat(rule.scopes()).containsExactly("a", "b", "c");
        assertThat(rule.mechanisms()).containsExactly(Mechanism.of("bearer"));
        assertThat(rule.roles()).containsExactly("Staff");
        assertThat(rule.freshWithin()).contains(Duration.ofMinutes(5));
        assertThat(AccessRule.scopes("a").and(AccessRule.authenticated()).scopes()).containsExactly("a");
    }

    @Test
    void a_scope_must_be_an_rfc_6749_scope_token_because_it_goes_into_a_quoted_header_parameter() {
        assertThatThrownBy(() -> AccessRule.scopes(new String[0])).isInstanceOf(IllegalArgumentException.class).hasMessage("name at least one scope");
        for (String bad : new String[] {"", "two words", "quote\"", "back\\slash", "line\nbreak", "caf\u00e9", "x".repeat(201)}) {
            assertThatThrownBy(() -> AccessRule.scopes(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("RFC 6749");
        }
        assertThat(AccessRule.scopes("api://gatehouse/entries.read", "openid").scopes()).hasSize(2);
    }

    @Test
    void checks_of_both_rules_must_hold_after_and() {
        AccessRule rule = AccessRule.rolesRequired("Writer").and(AccessRule.check(a -> a.mechanism().equals(Mechanism.SESSION)))
                .and(AccessRule.check(a -> a.user().email().startsWith("u")));
        User writer = user("Writer");

        assertThat(rule.checks()).hasSize(2);
        assertThat(rule.roles()).containsExactly("Writer");
        assertThat(rule.passesChecks(new Authentication(writer, Mechanism.SESSION, Instant.EPOCH, Optional.empty()))).isTrue();
        assertThat(rule.passesChecks(new Authentication(writer, Mechanism.TOKEN, Instant.EPOCH, Optional.empty()))).isFalse();
        assertThat(AccessRule.authenticated().passesChecks(new Authentication(writer, Mechanism.TOKEN, Instant.EPOCH,
                Optional.empty()))).as("no checks").isTrue();
    }

    @Test
    void anonymous_combines_only_with_itself() {
        assertThat(AccessRule.anonymous().and(AccessRule.anonymous()).anonymousOnly()).isTrue();
        assertThat(AccessRule.authenticated().anonymousOnly()).isFalse();
        for (AccessRule other : List.of(AccessRule.authenticated(), AccessRule.rolesRequired("Admin"),
                AccessRule.check(a -> true), AccessRule.mechanisms(Mechanism.SESSION))) {
            assertThatThrownBy(() -> AccessRule.anonymous().and(other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("anonymous()");
            assertThatThrownBy(() -> other.and(AccessRule.anonymous())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new AccessRule(Set.of(), List.of("Admin"), List.of(), List.of(), Optional.empty(), List.of(),
                List.of(), true)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Authentication granting(User user, String... scopes) {
        return new Authentication(user, Mechanism.of("bearer"), Instant.EPOCH, Optional.empty(), Optional.empty(), Set.of(scopes));
    }

    private static User user(String... roles) {
        return User.builder(nextId++).email("u" + nextId + "@example.com").securityStamp("stamp" + nextId)
                .createdAt(Instant.EPOCH)
                .roles(Arrays.stream(roles).map(Role::named).collect(Collectors.toSet())).build();
    }

    private static User withPermissions(String... permissions) {
        return User.builder(nextId++).email("p" + nextId + "@example.com").securityStamp("stamp" + nextId)
                .createdAt(Instant.EPOCH).roles(Set.of(new Role("Holder", "", Set.of(permissions)))).build();
    }
}
