package dev.gatehouse.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10) for {@link ServletContainer}. */
final class JettyContainer implements ServletContainer {

    private final Server server;
    private final ServerConnector connector;

    private JettyContainer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static ServletContainer start(String contextPath, LinkedHashMap<String, Filter> filters, HttpServlet servlet)
            throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
        for (Map.Entry<String, Filter> filter : filters.entrySet()) {
            FilterHolder holder = new FilterHolder(filter.getValue());
            holder.setName(filter.getKey());
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder("app", servlet), "/");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("the application did not start (a filter's init failed)");
        }
        return new JettyContainer(server, connector);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
