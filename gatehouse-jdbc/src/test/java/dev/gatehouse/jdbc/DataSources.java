package dev.gatehouse.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Wrappers around a real data source for tests: one makes chosen statements fail, the other
 * prepares every connection's session. The database behind them is real; only the failure is
 * staged, at a point a unit test could not otherwise reach (after some rows were written).
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
