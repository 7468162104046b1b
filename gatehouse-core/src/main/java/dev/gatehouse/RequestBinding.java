package dev.gatehouse;

import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;

/**
 * How a web adapter lets {@link Gatehouse#currentUser(Object)}, {@link Gatehouse#login} and
 * {@link Gatehouse#logout(Object)} work on its framework's request objects (a Javalin
 * {@code Context}, a Servlet request). Adapters register an implementation with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.gatehouse.RequestBinding}).
 * Implementations are stateless and thread-safe.
 */
public interface RequestBinding {

    /** Whether this binding handles {@code request}. */
    boolean supports(Object request);

    /** The user making the request, or the anonymous user. */
    Identity currentUser(Object request);

    /** Signs {@code user} in on the response belonging to {@code request}. */
    void login(Object request, User user, boolean remember, Optional<Duration> rememberFor, boolean fresh);

    /** Signs the request's user out. */
    void logout(Object request);
}
