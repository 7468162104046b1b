package dev.gatehouse.servlet;

import dev.gatehouse.web.contract.TestRoute;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The contract suite's application routes as one servlet behind {@link GatehouseFilter}: finds
 * the route by method and path in the context ({@code /x/*} for any last segment; {@code HEAD}
 * by the {@code GET} route) and runs it with the request's Gatehouse; 404 for anything else.
 */
final class TestRoutesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient List<TestRoute> routes;

    TestRoutesServlet(List<TestRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = ServletWebRequest.pathInContext(request);
        Optional<TestRoute> route = find(request.getMethod(), path);
        if (route.isEmpty() && request.getMethod().equals("HEAD")) {
            route = find("GET", path);
        }
        if (route.isEmpty()) {
            response.sendError(404);
            return;
        }
        GatehouseServlet gatehouse = GatehouseServlet.of(request);
        route.get().handler().handle(gatehouse.web(), gatehouse.webRequest(), gatehouse.webResponse());
    }

    private Optional<TestRoute> find(String method, String path) {
        return routes.stream().filter(r -> r.method().equals(method) && matches(r.path(), path)).findFirst();
    }

    private static boolean matches(String pattern, String path) {
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0;
        }
        return pattern.equals(path);
    }
}
