package dev.gatehouse.password;

import dev.gatehouse.error.GatehouseException;

/**
 * {@link PasswordHasher} was asked to do something its configuration does not allow, for example to
 * verify a Flask-Security hash ({@code {fs}}) without the Flask-Security salt (code
 * {@code FLASK_SECURITY_SALT_MISSING}). This is a deployment error, not a wrong password: it is
 * thrown rather than reported as a mismatch so that it is noticed.
 */
public class PasswordHasherConfigurationException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    PasswordHasherConfigurationException(String code, String message) {
        super(code, message);
    }
}
