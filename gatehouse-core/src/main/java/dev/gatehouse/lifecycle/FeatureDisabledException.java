package dev.gatehouse.lifecycle;

import dev.gatehouse.error.GatehouseException;

/**
 * A flow was called whose feature is switched off in the configuration (e.g. registration while
 * {@code registerable} is false). Code {@code FEATURE_DISABLED}; a web adapter that mounts only
 * enabled endpoints never sees it.
 */
public final class FeatureDisabledException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    public FeatureDisabledException(String setting) {
        super("FEATURE_DISABLED", "this feature is off; set " + setting + " to enable it");
    }
}
