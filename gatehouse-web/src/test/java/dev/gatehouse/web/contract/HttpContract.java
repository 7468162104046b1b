package dev.gatehouse.web.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a class of the HTTP contract suite (JUnit tag {@code http-contract}). gatehouse-web's
 * own test run leaves the tag out ({@code excludedGroups}): these classes need a server, which
 * only an adapter module has. Tagging rather than excluding by path keeps
 * {@code mvn -pl <adapter> -am -Dtest=SomeHttpTest} working, since {@code -Dtest} overrides
 * surefire's excludes but not its tag filter. A class without the tag runs in gatehouse-web and
 * fails there at once ({@link HttpAdapter#find()}).
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("http-contract")
public @interface HttpContract {
}
