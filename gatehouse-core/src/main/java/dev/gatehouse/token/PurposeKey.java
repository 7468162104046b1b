package dev.gatehouse.token;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 key of one purpose, with a few ready {@link Mac} instances to reuse: verifying an
 * API token runs on every request, and {@code Mac.getInstance} plus {@code init} costs more than the
 * HMAC itself. Thread-safe.
 */
final class PurposeKey {

    private final InstancePool<Mac> macs;

    PurposeKey(SecretKeySpec key) {
        this.macs = new InstancePool<>(() -> Hkdf.mac(key), Mac::reset);
    }

    /** HMAC-SHA256 of {@code data[offset, offset + length)}. */
    byte[] mac(byte[] data, int offset, int length) {
        Mac mac = macs.take();
        try {
            mac.update(data, offset, length);
            return mac.doFinal();
        } finally {
            macs.give(mac);
        }
    }
}
