package dev.gatehouse.config;

/** Values of {@code token-authentication-query}: when an API token may come in the query string. */
public enum TokenInQuery implements Choice {
    /** On every request, as Flask-Security does. */
    ALWAYS,
    /** Not on GET or HEAD, whose URLs leak into logs and Referer headers. */
    NON_GET,
    /** Never. */
    NEVER
}
