package dev.gatehouse.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.LinkedHashMap;

/**
 * An embedded Servlet container on a free loopback port: Tomcat 11 or Jetty 12 (ee10), as the
 * system property {@code gatehouse.servlet.container} says (the POM runs every test once with
 * each). One application at {@code contextPath}: the filters mapped to {@code /*} in the given
 * order, then {@code servlet} mapped to {@code /}.
 */
interface ServletContainer extends AutoCloseable {

    /** The container this test run uses: {@code tomcat} (the default) or {@code jetty}. */
    static String name() {
        return System.getProperty("gatehouse.servlet.container", "tomcat");
    }

    static ServletContainer start(String contextPath, LinkedHashMap<String, Filter> filters, HttpServlet servlet) {
        try {
            return switch (name()) {
                case "tomcat" -> TomcatContainer.start(contextPath, filters, servlet);
                case "jetty" -> JettyContainer.start(contextPath, filters, servlet);
                default -> throw new IllegalArgumentException("gatehouse.servlet.container is tomcat or jetty, not " + name());
            };
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the " + name() + " server did not start", e);
        }
    }

    int port();

    /** Stops the server; repeatable. */
    @Override
    void close();
}
