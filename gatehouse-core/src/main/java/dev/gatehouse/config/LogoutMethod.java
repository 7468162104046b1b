package dev.gatehouse.config;

/** Values of {@code logout-methods}: the HTTP methods the logout URL answers. */
public enum LogoutMethod implements Choice {
    /** GET, which lets other sites sign users out. */
    GET,
    /** POST, the default. */
    POST;

    /** HTTP methods are written in capitals. */
    @Override
    public String wireName() {
        return name();
    }
}
