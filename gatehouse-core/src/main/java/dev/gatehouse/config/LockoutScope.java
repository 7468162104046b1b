package dev.gatehouse.config;

/** Values of {@code lockout-scope}: what failures are counted and locks kept per. */
public enum LockoutScope implements Choice {
    /** The account. */
    ACCOUNT,
    /** The account from one client address, so failures elsewhere cannot lock the owner out. */
    ACCOUNT_AND_ADDRESS
}
