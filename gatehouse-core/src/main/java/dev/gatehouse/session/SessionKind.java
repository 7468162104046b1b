package dev.gatehouse.session;

/** What a {@link SessionRecord} stands for. */
public enum SessionKind {
    /** A browser session behind the session cookie. */
    SESSION,
    /** A long-lived remember-me grant behind its own cookie; it re-creates sessions. */
    REMEMBER_ME,
    /** A refresh token: exchanged once for a new API token and a new refresh token of the same family. */
    REFRESH_TOKEN
}
