package dev.gatehouse.examples.diary.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The diary on Spring Boot: Spring MVC on embedded Tomcat, Gatehouse through
 * {@code gatehouse-spring-boot-starter}, no Spring Security. The starter's beans back off for the
 * ones {@link SpringDiaryMain} registers (the diary's own {@code Gatehouse}, configuration and
 * web options, built by {@code DiarySetup} exactly as for the Javalin diary), so the starter
 * contributes the filter, the {@code @GatehouseAccess} checks and the {@code User} arguments.
 * The diary's database is opened by {@code DiarySetup}, not by Spring: Boot's data source
 * auto-configuration is left out.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"})
public class SpringDiary {
}
