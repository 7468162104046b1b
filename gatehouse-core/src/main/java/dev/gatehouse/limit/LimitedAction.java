package dev.gatehouse.limit;

/**
 * The actions Gatehouse rate-limits, each with its setting {@code rate-limit-<name>}. Defaults
 * follow django-allauth's.
 */
public enum LimitedAction {
    /** Every sign-in attempt (password); default {@code 30/1m/ip}. */
    LOGIN("login"),
    /**
     * Failed sign-ins, by password or code, and failed re-authentications; checked before an
     * attempt, counted after a failure, and the key's count cleared by a success. The key of a known
     * account is its user id, whichever identifier named it. Default {@code 10/1m/ip, 5/5m/key}.
     */
    LOGIN_FAILED("login-failed"),
    /** Registrations; default {@code 20/1m/ip}. */
    REGISTER("register"),
    /** Password reset requests, keyed by the email given; default {@code 20/1m/ip, 5/1m/key}. */
    RESET_PASSWORD("reset-password"),
    /** Requests for a new confirmation link, keyed by the email; default {@code 20/1m/ip, 1/3m/key}. */
    SEND_CONFIRMATION("send-confirmation"),
    /** Requests for a sign-in code and link, keyed by the email; default {@code 20/1m/ip, 3/1m/key}. */
    LOGIN_CODE("login-code"),
    /** Username recovery requests, keyed by the email; default {@code 20/1m/ip, 5/1m/key}. */
    RECOVER_USERNAME("recover-username"),
    /** Email change requests, keyed by the user; default {@code 10/1m/key}. */
    CHANGE_EMAIL("change-email"),
    /** Password changes, keyed by the user (they check the current password); default {@code 5/1m/key}. */
    CHANGE_PASSWORD("change-password");

    private final String settingName;

    LimitedAction(String settingName) {
        this.settingName = settingName;
    }

    /** The name in {@code rate-limit-<name>}, e.g. {@code login-failed}. */
    public String settingName() {
        return settingName;
    }
}
