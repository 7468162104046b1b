package dev.gatehouse.user;

/**
 * Tells a node that users were changed by another process — another application node, the
 * command-line tool — so that its {@link CachingUserStore} drops what it holds. A store that can
 * see every writer's changes (the JDBC store, through a change log written in the same
 * transaction as each change) offers one through {@link UserStore#changeFeed()}.
 *
 * <p>Implementations are thread-safe; listeners are called from the feed's own thread.
 */
public interface UserChangeFeed {

    /** What a subscriber is told. Implementations must be quick and must not throw. */
    interface Listener {
        /** The user with this id changed (or was deleted). */
        void userChanged(long userId);

        /** Any user may have changed, e.g. a role's permissions did. */
        void everythingChanged();
    }

    /**
     * Starts telling {@code listener} about changes made from now on.
     *
     * @return closing it stops the notifications (and any thread the feed started for them)
     */
    AutoCloseable subscribe(Listener listener);
}
