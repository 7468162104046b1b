package dev.gatehouse.spring.testapp;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.servlet.GatehouseFilter;
import dev.gatehouse.spring.GatehouseAccess;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Handlers with {@link GatehouseAccess} rules and user parameters, for GatehouseAccessTest. */
@SpringBootApplication
public class AccessApplication {

    /** The application's own filter replaces the auto-configured one: how to add path rules beside the annotations. */
    @Bean
    GatehouseFilter gatehouseFilter(Gatehouse gatehouse) {
        return GatehouseFilter.builder(gatehouse).protect("/members/*", AccessRule.rolesRequired("Admin")).build();
    }

    /** A composed annotation: the application's own name for a Gatehouse rule. */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @GatehouseAccess(roles = "Admin")
    public @interface AdminOnly {
    }

    @RestController
    static class Pages {

        @GetMapping("/whoami")
        String whoami(Identity identity) {
            return identity instanceof User user ? user.email() : "anonymous";
        }

        @GatehouseAccess
        @GetMapping("/signed-in")
        String signedIn() {
            return "signed in";
        }

        @GatehouseAccess(roles = "Admin")
        @GetMapping("/admin")
        String admin(User user) {
            return "admin " + user.email();
        }

        @GatehouseAccess(anyRole = {"Writer", "Editor"})
        @GetMapping("/write")
        String write() {
            return "write";
        }

        @GatehouseAccess(mechanisms = "token")
        @GetMapping("/token-only")
        String tokenOnly() {
            return "token";
        }

        @GatehouseAccess(anonymous = true)
        @GetMapping("/welcome")
        String welcome() {
            return "welcome";
        }

        @GatehouseAccess(fresh = true)
        @GetMapping("/fresh")
        String fresh() {
            return "fresh";
        }

        @GatehouseAccess
        @PostMapping("/notes")
        String note(@RequestBody String body, User user) {
            return user.email() + ": " + body;
        }

        @AdminOnly
        @GetMapping("/composed")
        String composed() {
            return "composed";
        }

        @GetMapping("/members/list")
        String members() {
            return "members";
        }

        /** A rule that cannot hold: fails closed at its first request. */
        @GatehouseAccess(anonymous = true, roles = "Admin")
        @GetMapping("/contradiction")
        String contradiction() {
            return "never";
        }
    }

    /** One handler method, inherited by two controllers of which one demands a role. */
    abstract static class Listing {

        @GetMapping("/list")
        String list() {
            return "list";
        }
    }

    @RestController
    @RequestMapping("/open")
    static class OpenListing extends Listing {
    }

    @RestController
    @RequestMapping("/closed")
    @GatehouseAccess(roles = "Admin")
    static class ClosedListing extends Listing {
    }

    /** Class and method rules both apply. */
    @RestController
    @RequestMapping("/staff")
    @GatehouseAccess(anyRole = {"Admin", "Writer"})
    static class Staff {

        @GetMapping
        String index() {
            return "staff";
        }

        @GatehouseAccess(roles = "Admin")
        @GetMapping("/payroll")
        String payroll() {
            return "payroll";
        }
    }
}
