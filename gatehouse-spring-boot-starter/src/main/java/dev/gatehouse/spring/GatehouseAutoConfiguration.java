package dev.gatehouse.spring;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.Stores;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Settings;
import dev.gatehouse.jdbc.JdbcStores;
import dev.gatehouse.servlet.GatehouseFilter;
import dev.gatehouse.web.WebOptions;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Gatehouse for a Spring Boot application: the configuration from {@code gatehouse.*} properties
 * (the names of {@code docs/configuration.md}, with Spring's relaxed binding), the JDBC stores on
 * the application's {@link DataSource} (schema migrated by Gatehouse's own Flyway history table),
 * {@link Gatehouse}, {@link GatehouseFilter} registered for {@code /*} at {@link #FILTER_ORDER},
 * and, with Spring MVC, {@link GatehouseAccess} on handlers and {@code User}/{@code Identity}
 * handler parameters. Every bean backs off when the application defines its own of that type
 * (a {@link WebOptions} bean is used when present).
 *
 * <p>Refuses to start when Spring Security's filter chain ({@code springSecurityFilterChain}) is
 * also registered: both would own sessions, CSRF and the sign-in pages (see docs/web.md).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
public class GatehouseAutoConfiguration {

    /**
     * Where the filter runs among the servlet filters: right after Spring's character-encoding
     * filter ({@link Ordered#HIGHEST_PRECEDENCE}), before the form-content, request-context and
     * any application filter, so that nothing reads the body or answers before Gatehouse.
     */
    public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** The name of Spring Security's filter chain bean, which this auto-configuration refuses to run beside. */
    static final String SPRING_SECURITY_FILTER_CHAIN = "springSecurityFilterChain";

    /**
     * Gatehouse's configuration from the {@code gatehouse.*} properties of every property source.
     * One starter default differs from Gatehouse's (and Flask-Security's): {@code registerable} is
     * on, so that the starter and two properties give sign-in and registration; any property
     * source turns it off ({@code gatehouse.registerable=false}).
     */
    @Bean
    @ConditionalOnMissingBean
    public GatehouseConfig gatehouseConfig(ConfigurableEnvironment environment) {
        // Set before the property sources, which override it like any other value.
        GatehouseConfig.Builder builder = GatehouseConfig.builder().set(Settings.REGISTERABLE, true);
        SpringSettings.apply(environment, builder);
        return builder.build();
    }

    /**
     * Every store on the application's data source, after the application's own schema
     * initialisation (Flyway, Liquibase, SQL scripts) ran.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    @DependsOnDatabaseInitialization
    public Stores gatehouseStores(DataSource dataSource) {
        return JdbcStores.create(dataSource);
    }

    /** Gatehouse, on the stores if there are any (in memory, with Gatehouse's warning, if not). */
    @Bean
    @ConditionalOnMissingBean
    public Gatehouse gatehouse(GatehouseConfig config, ObjectProvider<Stores> stores) {
        Gatehouse.Builder builder = Gatehouse.builder().config(config);
        stores.ifAvailable(builder::stores);
        return builder.build();
    }

    /** The Servlet side: the filter and its registration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    public static class ServletConfiguration {

        /**
         * The filter, with the application's {@link WebOptions} bean if it has one. Destroyed as a
         * bean too (the container's {@code destroy} call comes after the data source closed, and a
         * second call does nothing), so that mail delivery stops while the database is still open.
         */
        @Bean(destroyMethod = "destroy")
        @ConditionalOnMissingBean
        public GatehouseFilter gatehouseFilter(Gatehouse gatehouse, ObjectProvider<WebOptions> options) {
            return GatehouseFilter.builder(gatehouse).options(options.getIfAvailable(WebOptions::defaults)).build();
        }

        /**
         * The filter on {@code /*} at {@link #FILTER_ORDER}.
         *
         * @throws IllegalStateException if Spring Security's filter chain is registered too
         */
        @Bean
        @ConditionalOnMissingBean(name = "gatehouseFilterRegistration")
        public FilterRegistrationBean<GatehouseFilter> gatehouseFilterRegistration(GatehouseFilter filter,
                ListableBeanFactory beans) {
            if (beans.containsBean(SPRING_SECURITY_FILTER_CHAIN)) {
                throw new IllegalStateException("Gatehouse and Spring Security's filter chain (" + SPRING_SECURITY_FILTER_CHAIN
                        + ") are both configured; both would own sign-in, sessions and CSRF. Use one: leave out "
                        + "spring-boot-starter-security (or exclude its auto-configuration and define no security filter chain), "
                        + "or exclude " + GatehouseAutoConfiguration.class.getName() + " (docs/web.md, \"Spring Boot\")");
            }
            FilterRegistrationBean<GatehouseFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setName("gatehouse");
            registration.setUrlPatterns(List.of("/*"));
            registration.setOrder(FILTER_ORDER);
            return registration;
        }
    }

    /** Spring MVC: {@link GatehouseAccess} on handlers, {@code User} and {@code Identity} parameters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(WebMvcConfigurer.class)
    public static class WebMvcConfiguration implements WebMvcConfigurer {

        private final Gatehouse gatehouse;

        public WebMvcConfiguration(Gatehouse gatehouse) {
            this.gatehouse = gatehouse;
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new AccessInterceptor(gatehouse)).order(Ordered.HIGHEST_PRECEDENCE);
        }

        @Override
        public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
            resolvers.add(new CurrentUserArgumentResolver());
        }
    }
}
