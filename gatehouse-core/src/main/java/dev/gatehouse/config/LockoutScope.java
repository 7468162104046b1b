package dev.gatehouse.config;

/** Values of {@code lockout-scope}: what failures are counted and locks kept per. */
public enum LockoutScope implements Choice {
    /** The account, from wherever the attempts come: the fewest guesses, but anyone can lock the owner out. */
    ACCOUNT,
    /**
     * The account from one client address (the address unknown counts as one address): failures
     * elsewhere do not lock the owner out; the per-account rate limit still bounds guessing from
     * many addresses.
     */
    ACCOUNT_AND_ADDRESS
}
