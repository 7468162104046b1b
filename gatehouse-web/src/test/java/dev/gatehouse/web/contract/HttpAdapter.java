package dev.gatehouse.web.contract;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What the HTTP contract suite needs of a framework adapter: a real server on a free port with
 * Gatehouse's endpoints and the test application's routes, each route's {@link TestRoute#rule()}
 * enforced the way the adapter's users declare it (route roles, filters, ...), not by a shortcut.
 *
 * <p>An adapter module verifies itself by implementing this in its test sources, naming the
 * implementation in {@code META-INF/services/dev.gatehouse.web.contract.HttpAdapter}, and letting
 * surefire scan gatehouse-web's test jar ({@code <dependenciesToScan>}); see gatehouse-javalin's
 * POM. {@link TestApp} finds the implementation with {@link #find()}.
 */
public interface HttpAdapter {

    /**
     * Starts a server on a free port: Gatehouse's web layer built from {@code gatehouse} and
     * {@code options}, its background work (mail delivery, purge) running while the server does,
     * and {@code appRoutes} mounted as the application would mount its own.
     */
    RunningServer start(Gatehouse gatehouse, WebOptions options, List<TestRoute> appRoutes);

    /** A started server. */
    interface RunningServer extends AutoCloseable {

        /** The port it listens on (on the loopback address). */
        int port();

        /** The web layer it serves. */
        GatehouseWeb web();

        /** Stops the server and the web layer's background work, leaving {@code Gatehouse} open; repeatable. */
        @Override
        void close();
    }

    /**
     * The one adapter on the test class path. Fails loudly rather than skipping: the contract
     * tests mean nothing without an adapter, and two would leave it to chance which one is tested.
     */
    static HttpAdapter find() {
        List<HttpAdapter> adapters = ServiceLoader.load(HttpAdapter.class).stream().map(ServiceLoader.Provider::get).toList();
        if (adapters.size() != 1) {
            throw new IllegalStateException("The HTTP contract suite needs exactly one " + HttpAdapter.class.getName()
                    + " registered in META-INF/services by the adapter module that runs it, found " + adapters
                    + "; run it from an adapter module (mvn -pl gatehouse-javalin verify), not from gatehouse-web");
        }
        return adapters.get(0);
    }
}
