package dev.gatehouse.spring.minimal;

import dev.gatehouse.user.User;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The smallest Spring Boot application with Gatehouse: a Spring MVC app whose only additions are
 * the starter dependency and, in {@code minimal.properties}, {@code gatehouse.secret} and
 * {@code spring.datasource.url}.
 */
@SpringBootApplication
public class MinimalApplication {

    @RestController
    static class Home {

        /** A User parameter alone makes the route demand a signed-in user. */
        @GetMapping("/hello")
        String hello(User user) {
            return "Hello, " + user.email();
        }
    }
}
