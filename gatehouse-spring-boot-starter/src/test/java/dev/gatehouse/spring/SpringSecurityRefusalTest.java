package dev.gatehouse.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.spring.minimal.MinimalApplication;
import dev.gatehouse.web.contract.HttpClientSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With spring-boot-starter-security on the class path (this class runs in its own surefire
 * execution, the only one with it): Gatehouse refuses to start beside Spring Security's filter
 * chain, and starts when the application switches Spring Security's web security off.
 */
class SpringSecurityRefusalTest {

    @Test
    void startUpFailsBesideSpringSecuritysFilterChain() {
        assertThatThrownBy(() -> SpringApplication.run(MinimalApplication.class, "--spring.config.name=minimal", "--server.port=0"))
                .hasStackTraceContaining("Gatehouse and Spring Security's filter chain (springSecurityFilterChain) are both configured");
    }

    @Test
    void startsWhenSpringSecuritysWebAutoConfigurationIsExcluded() {
        try (ConfigurableApplicationContext app = SpringApplication.run(MinimalApplication.class, "--spring.config.name=minimal",
                "--server.port=0", "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration")) {
            assertThat(app.containsBean("springSecurityFilterChain")).isFalse();
            HttpClientSession client = new HttpClientSession(((WebServerApplicationContext) app).getWebServer().getPort());
            assertThat(client.getJson("/hello").status()).isEqualTo(401);
            assertThat(client.getJson("/login").status()).isEqualTo(200);
            assertThat(app.getBean(Gatehouse.class)).isNotNull();
        }
    }
}
