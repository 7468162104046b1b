package dev.gatehouse.oidc;

import java.time.Duration;
import java.util.Objects;

/** The answer to one poll of a device authorization (RFC 8628 section 3.5). */
public sealed interface DevicePoll {

    /** The user has not finished yet ({@code authorization_pending}): poll again after the same interval. */
    record Pending() implements DevicePoll {
    }

    /** Polled too fast ({@code slow_down}): poll again after {@code newInterval}, five seconds more than before. */
    record SlowDown(Duration newInterval) implements DevicePoll {
        /** The interval must not be null. */
        public SlowDown {
            Objects.requireNonNull(newInterval, "newInterval");
        }
    }

    /** The user refused ({@code access_denied}): stop polling. */
    record Denied() implements DevicePoll {
    }

    /** The device code expired ({@code expired_token}, or past its expiry): stop polling, start anew if wanted. */
    record Expired() implements DevicePoll {
    }

    /** The user signed in; the ID token was validated like in the code flow (without a nonce, the device flow has none). */
    record Done(ProviderSignIn signIn) implements DevicePoll {
        /** The sign-in must not be null. */
        public Done {
            Objects.requireNonNull(signIn, "signIn");
        }
    }
}
