package dev.gatehouse.config;

/** Values of {@code email-link-signin}: what following an emailed sign-in link does. */
public enum EmailLinkSignin implements Choice {
    /** Show a page whose button signs in. */
    CONFIRM,
    /** Sign in at once the browser that asked for the link. */
    SAME_BROWSER
}
