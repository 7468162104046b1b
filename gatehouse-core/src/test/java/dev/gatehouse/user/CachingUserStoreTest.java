package dev.gatehouse.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The cache must keep every promise of the store it wraps, and never serve a user changed through it. */
class CachingUserStoreTest extends UserStoreContract {

    @Override
    protected UserStore newStore(Clock clock) {
        return new CachingUserStore(new InMemoryUserStore(clock));
    }

    @Test
    void a_cached_user_is_served_without_asking_the_store_again() {
        InMemoryUserStore backing = new InMemoryUserStore(clock);
        CachingUserStore cache = new CachingUserStore(backing);
        User user = cache.createUser(NewUser.builder("cached@example.com").build());
        assertThat(cache.findUserById(user.id())).contains(user);

        // A change that bypasses the cache (another process) stays invisible until invalidated...
        backing.deactivate(user.id());
        assertThat(cache.findUserById(user.id()).orElseThrow().isActive()).isTrue();
        // ...which is what a cross-node invalidation channel does.
        cache.invalidate(user.id());
        assertThat(cache.findUserById(user.id()).orElseThrow().isActive()).isFalse();
    }

    @Test
    void changes_through_the_cache_are_visible_at_once() {
        CachingUserStore cache = (CachingUserStore) store;
        store.createRole("Admin");
        User user = store.createUser(NewUser.builder("cached@example.com").build());
        cache.findUserById(user.id());

        store.deactivate(user.id());
        assertThat(store.findUserById(user.id()).orElseThrow().isActive()).isFalse();
        store.addRoleToUser(user.id(), "Admin");
        assertThat(store.findUserById(user.id()).orElseThrow().hasRole("Admin")).isTrue();
        store.updateRole(new Role("Admin", "", java.util.Set.of("everything")));
        assertThat(store.findUserById(user.id()).orElseThrow().hasPermission("everything")).isTrue();
        String stamp = store.rotateSecurityStamp(user.id()).securityStamp();
        assertThat(store.findUserById(user.id()).orElseThrow().securityStamp()).isEqualTo(stamp);
        store.deleteUser(user.id());
        assertThat(store.findUserById(user.id())).isEmpty();
    }
}
