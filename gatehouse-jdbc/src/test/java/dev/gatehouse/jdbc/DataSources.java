package dev.gatehouse.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Wrappers around a real data source for tests: one makes chosen statements fail, others
 * prepare every connection's session or record what the store asks of its connections. The
 * database behind them is real; only a failure is staged, at a point a unit test could not
 * otherwise reach (after some rows were written).
 */
final class DataSources {

    private DataSources() {
    }

    /** {@code target}, except that preparing a statement whose SQL matches {@code failOn} throws {@code fault}. */
    static DataSource failing(DataSource target, Predicate<String> failOn, Supplier<SQLException> fault) {
        return dataSource(target, connection -> proxy(Connection.class, connection, (proxy, method, args) -> {
            if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql
                    && failOn.test(sql)) {
                throw fault.get();
            }
            return invoke(method, connection, args);
        }));
    }

    /** {@code target}, with {@code sql} run on every connection handed out (e.g. to set the session time zone). */
    static DataSource withSession(DataSource target, String sql) {
        return dataSource(target, connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return connection;
        });
    }

    /**
     * {@code target}, appending to {@code calls} what its connections are asked to do that costs a
     * round trip or shapes a transaction: {@code prepareStatement <sql>}, {@code createStatement},
     * {@code setAutoCommit <flag>}, {@code setTransactionIsolation <level>}, {@code commit},
     * {@code rollback}.
     */
    static DataSource recording(DataSource target, List<String> calls) {
        return dataSource(target, connection -> proxy(Connection.class, connection, (proxy, method, args) -> {
            switch (method.getName()) {
                case "prepareStatement", "prepareCall", "setAutoCommit", "setTransactionIsolation" ->
                        calls.add(method.getName() + " " + args[0]);
                case "createStatement", "commit", "rollback" -> calls.add(method.getName());
                default -> {
                }
            }
            return invoke(method, connection, args);
        }));
    }

    /** {@code target}, handing out connections with auto-commit off, as some pools are configured. */
    static DataSource withoutAutoCommit(DataSource target) {
        return dataSource(target, connection -> {
            connection.setAutoCommit(false);
            return connection;
        });
    }

    private interface ConnectionWrapper {
        Connection wrap(Connection connection) throws SQLException;
    }

    private static DataSource dataSource(DataSource target, ConnectionWrapper wrapper) {
        return proxy(DataSource.class, target, (proxy, method, args) -> {
            Object result = invoke(method, target, args);
            return method.getName().equals("getConnection") ? wrapper.wrap((Connection) result) : result;
        });
    }

    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(DataSources.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
