package dev.gatehouse.servlet;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.contract.HttpAdapter;
import dev.gatehouse.web.contract.TestRoute;
import jakarta.servlet.Filter;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Runs gatehouse-web's HTTP contract suite on a Servlet container (Tomcat or Jetty, see
 * {@link ServletContainer}): {@link GatehouseFilter} mapped to {@code /*} with each guarded test
 * route's rule declared by {@code protect(path, rule)}, as an application declares its own, and
 * the routes served by one servlet behind it. Registered in
 * {@code META-INF/services/dev.gatehouse.web.contract.HttpAdapter}.
 */
public final class ServletHttpAdapter implements HttpAdapter {

    @Override
    public RunningServer start(Gatehouse gatehouse, WebOptions options, List<TestRoute> appRoutes) {
        GatehouseFilter.Builder builder = GatehouseFilter.builder(gatehouse).options(options);
        // Several methods of one path carry the same rule in the suite; one declaration per path.
        LinkedHashMap<String, AccessRule> rules = new LinkedHashMap<>();
        for (TestRoute route : appRoutes) {
            route.rule().ifPresent(rule -> {
                AccessRule earlier = rules.putIfAbsent(route.path(), rule);
                if (earlier != null && !earlier.equals(rule)) {
                    throw new IllegalArgumentException("the filter protects paths, not methods: " + route.path()
                            + " has two rules, " + earlier + " and " + rule);
                }
            });
        }
        rules.forEach(builder::protect);
        GatehouseFilter filter = builder.build();
        LinkedHashMap<String, Filter> filters = new LinkedHashMap<>();
        filters.put("gatehouse", filter);
        ServletContainer container = ServletContainer.start("", filters, new TestRoutesServlet(appRoutes));
        return new RunningServer() {
            @Override
            public int port() {
                return container.port();
            }

            @Override
            public GatehouseWeb web() {
                return filter.web();
            }

            @Override
            public void close() {
                container.close();
            }
        };
    }
}
