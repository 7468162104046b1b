package dev.gatehouse.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat 11 for {@link ServletContainer}. */
final class TomcatContainer implements ServletContainer {

    private final Tomcat tomcat;

    private TomcatContainer(Tomcat tomcat) {
        this.tomcat = tomcat;
    }

    static ServletContainer start(String contextPath, LinkedHashMap<String, Filter> filters, HttpServlet servlet)
            throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        try {
            tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tomcat.setHostname("127.0.0.1");
        tomcat.getConnector().setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext(contextPath, null);
        for (Map.Entry<String, Filter> filter : filters.entrySet()) {
            FilterDef def = new FilterDef();
            def.setFilterName(filter.getKey());
            def.setFilter(filter.getValue());
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName(filter.getKey());
            map.addURLPattern("/*");
            context.addFilterMap(map);
        }
        Tomcat.addServlet(context, "app", servlet);
        context.addServletMappingDecoded("/", "app");
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            tomcat.stop();
            tomcat.destroy();
            throw new IllegalStateException("the application did not start (a filter's init failed): " + context.getState());
        }
        return new TomcatContainer(tomcat);
    }

    @Override
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() {
        try {
            if (tomcat.getServer().getState().isAvailable()) {
                tomcat.stop();
                tomcat.destroy();
            }
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }
}
