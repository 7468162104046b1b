package dev.gatehouse.web.contract;

import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * A route of the test application, written once against gatehouse-web's framework-neutral types
 * and mounted by each {@link HttpAdapter}.
 *
 * @param method  HTTP method, upper case
 * @param path    an exact path, or one ending in {@code /*} for any last segment (read it from
 *                {@link WebRequest#path()})
 * @param rule    what the route demands, enforced by the adapter before the handler runs; empty
 *                for a public route
 * @param handler what answers it
 */
public record TestRoute(String method, String path, Optional<AccessRule> rule, Handler handler) {

    /** Validates the parts. */
    public TestRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(handler, "handler");
    }

    /** A route anyone may call. */
    static TestRoute open(String method, String path, Handler handler) {
        return new TestRoute(method, path, Optional.empty(), handler);
    }

    /** A route guarded by {@code rule}. */
    static TestRoute guarded(String method, String path, AccessRule rule, Handler handler) {
        return new TestRoute(method, path, Optional.of(rule), handler);
    }

    /** Answers a request, with the web layer of the server it runs in. */
    @FunctionalInterface
    public interface Handler {
        /** Writes the answer to {@code response}. */
        void handle(GatehouseWeb web, WebRequest request, WebResponse response);
    }
}
