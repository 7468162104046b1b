package dev.gatehouse.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC clock that tests set and advance by hand, so timestamps a store writes are predictable.
 * Thread-safe: the current instant is a volatile field.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    public void set(Instant instant) {
        this.now = Objects.requireNonNull(instant, "instant");
    }

    public void advance(Duration duration) {
        this.now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // Stores only ask for instants; a zone change would not change what they see.
        return Clock.fixed(now, zone);
    }
}
