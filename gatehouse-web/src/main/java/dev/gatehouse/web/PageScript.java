package dev.gatehouse.web;

import java.util.Objects;
import java.util.Set;

/**
 * A script a {@link WebFeature} adds to some of the pages: a {@code .js} file on the class path,
 * served by Gatehouse at {@code <url-prefix>/gatehouse/static/<file name>} with a content hash, and
 * linked ({@code <script defer>}, the template's {@code scripts}) from the named pages only. Those
 * pages' Content-Security-Policy then also allows {@code script-src 'self'} and
 * {@code connect-src 'self'} (never inline scripts); every other page keeps the policy without scripts.
 *
 * @param resource the class-path resource, found with the feature's class loader, e.g.
 *                 {@code dev/gatehouse/passkeys/static/gatehouse-passkeys.js}
 * @param pages    the pages that load it, by template name, e.g. {@code gatehouse/login}
 */
public record PageScript(String resource, Set<String> pages) {

    public PageScript {
        Objects.requireNonNull(resource, "resource");
        pages = Set.copyOf(pages);
    }
}
