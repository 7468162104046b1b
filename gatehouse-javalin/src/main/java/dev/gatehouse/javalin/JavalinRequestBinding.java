package dev.gatehouse.javalin;

import dev.gatehouse.RequestBinding;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes {@code Gatehouse.currentUser(ctx)}, {@code Gatehouse.login(ctx, ...)} and
 * {@code Gatehouse.logout(ctx)} work on Javalin contexts. Registered through
 * {@link java.util.ServiceLoader}; not for direct use.
 */
public final class JavalinRequestBinding implements RequestBinding {

    @Override
    public boolean supports(Object request) {
        return request instanceof Context;
    }

    @Override
    public Identity currentUser(Object request) {
        Context ctx = (Context) request;
        return GatehousePlugin.web(ctx).currentUser(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx));
    }

    @Override
    public void login(Object request, User user, boolean remember, Optional<Duration> rememberFor, boolean fresh) {
        Context ctx = (Context) request;
        GatehousePlugin.web(ctx).login(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx), user, remember, rememberFor, fresh);
    }

    @Override
    public void logout(Object request) {
        Context ctx = (Context) request;
        GatehousePlugin.web(ctx).logout(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx));
    }
}
