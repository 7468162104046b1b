package dev.gatehouse.cli;

import dev.gatehouse.jdbc.JdbcUserStore;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.UserStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The URLs the command line gets for the test databases, and a store to check what it wrote. */
final class Databases {

    private Databases() {
    }

    /**
     * The test database as one JDBC URL, credentials included, the way an operator gives it with
     * --db or GATEHOUSE_DB_URL. H2 needs none: the command connects as sa, like the fixture.
     */
    static String url(TestDatabase database) {
        if (database.vendor() == TestDatabase.Vendor.H2) {
            return database.url();
        }
        String url = database.url();
        return url + (url.contains("?") ? "&" : "?") + "user=" + encode(database.user())
                + "&password=" + encode(database.password());
    }

    /** A store on the same database, to see what the command did (never to do it). */
    static UserStore store(TestDatabase database) {
        return JdbcUserStore.builder(database.dataSource()).migrate(false).build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
