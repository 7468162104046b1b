package dev.gatehouse.token;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 key of one purpose, with a few ready {@link Mac} instances to reuse.
 *
 * <p>Verifying an API token runs on every request, and {@code Mac.getInstance} plus {@code init}
 * costs more than the HMAC itself. {@code Mac} is not thread-safe, so instances are lent out from
 * a small lock-free array: a caller takes one (or makes one if all are lent), uses it, and puts it
 * back (or drops it if the array is full). Unlike a thread-local this does not grow with the number
 * of (virtual) threads. Thread-safe.
 */
final class PurposeKey {

    private static final int SLOTS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final SecretKeySpec key;
    private final AtomicReferenceArray<Mac> idle = new AtomicReferenceArray<>(SLOTS);

    PurposeKey(SecretKeySpec key) {
        this.key = key;
    }

    /** HMAC-SHA256 of {@code data[offset, offset + length)}. */
    byte[] mac(byte[] data, int offset, int length) {
        Mac mac = take();
        try {
            mac.update(data, offset, length);
            return mac.doFinal();
        } finally {
            give(mac);
        }
    }

    private Mac take() {
        int start = ThreadLocalRandom.current().nextInt(SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            Mac mac = idle.getAndSet((start + i) % SLOTS, null);
            if (mac != null) {
                return mac;
            }
        }
        return Hkdf.mac(key);
    }

    private void give(Mac mac) {
        // doFinal has reset it; a half-used Mac (an exception mid-update) is reset here.
        mac.reset();
        int start = ThreadLocalRandom.current().nextInt(SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            if (idle.compareAndSet((start + i) % SLOTS, null, mac)) {
                return;
            }
        }
    }
}
