package com.example;

import static dev.gatehouse.request.Mechanism.SESSION;
import static dev.gatehouse.request.Mechanism.TOKEN;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Settings;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.jdbc.JdbcDatabase;
import dev.gatehouse.jdbc.JdbcStores;
import io.javalin.Javalin;
import java.util.Map;

/**
 * A Javalin app with Gatehouse's sign-in, registration and API tokens. Users and sessions live in
 * the database of DATABASE_URL (e.g. jdbc:postgresql://localhost:5432/app, with DATABASE_USER and
 * DATABASE_PASSWORD), an H2 file in ./data without it. GATEHOUSE_SECRET is required
 * (openssl rand -base64 48); any other GATEHOUSE_* variable changes a setting.
 */
public final class Quickstart {

    public static void main(String[] args) {
        start(System.getenv(), 8080);
    }

    static Javalin start(Map<String, String> env, int port) {
        JdbcDatabase database = JdbcDatabase.connect(env.getOrDefault("DATABASE_URL", "jdbc:h2:file:./data/quickstart"),
                env.getOrDefault("DATABASE_USER", "sa"), env.getOrDefault("DATABASE_PASSWORD", ""));
        Gatehouse gatehouse = Gatehouse.builder()
                .stores(JdbcStores.create(database.dataSource()))   // creates and migrates Gatehouse's tables
                .config(c -> c.set(Settings.REGISTERABLE, true).fromEnvironment(env))
                .build();
        return Javalin.create(config -> {
            config.registerPlugin(new GatehousePlugin(gatehouse));   // /login, /logout, /register, ...
            config.events.serverStopped(database::close);
            config.routes.get("/", ctx -> ctx.result("Hello, " + ctx.with(GatehousePlugin.class).user().email()),
                    Access.authenticated());
            config.routes.get("/admin", ctx -> ctx.result("Admins only"), Access.rolesRequired("Admin"));
            config.routes.get("/api/me", ctx -> ctx.json(Map.of("email", ctx.with(GatehousePlugin.class).user().email())),
                    Access.authRequired(TOKEN, SESSION));
        }).start(port);
    }
}
