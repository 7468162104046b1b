package dev.gatehouse.config;

/** Values of {@code password-complexity-checker}. */
public enum PasswordComplexityChecker implements Choice {
    /** Estimate strength with zxcvbn and refuse weak passwords. */
    ZXCVBN,
    /** No strength estimate. */
    NONE
}
