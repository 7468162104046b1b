package dev.gatehouse.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a Spring MVC handler demands of a request, checked by Gatehouse before the handler runs:
 * Gatehouse's {@link dev.gatehouse.web.AccessRule} as an annotation. Present with no attribute, it
 * demands a signed-in user (by the mechanisms of {@code api-enabled-methods}); every attribute
 * adds a requirement.
 *
 * <pre>{@code
 * @GatehouseAccess(anyRole = {"Writer", "Editor"})
 * @PostMapping("/edit/{id}")
 * String edit(@PathVariable long id, User user) { ... }
 * }</pre>
 *
 * On a class it applies to every handler method of the controller; on both, both apply. It may
 * be used as a meta-annotation ({@code @AdminOnly}). A refused request gets Gatehouse's answer,
 * chosen by content negotiation as on its own endpoints: 401 or 403 JSON, or a redirect to the
 * sign-in page. The check fails closed: if Gatehouse's filter did not see the request, the
 * handler does not run (500).
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GatehouseAccess {

    /** Roles the user must all hold (Flask-Security's {@code roles_required}). */
    String[] roles() default {};

    /** Roles of which the user must hold at least one (Flask-Security's {@code roles_accepted}). */
    String[] anyRole() default {};

    /** Permissions the user must all be granted. */
    String[] permissions() default {};

    /** Permissions of which the user must be granted at least one. */
    String[] anyPermission() default {};

    /** Whether the user must have proved who they are within the {@code freshness} setting. */
    boolean fresh() default false;

    /**
     * The mechanisms that may authenticate the request ({@code token}, {@code session},
     * {@code basic}, or a module's); empty for {@code api-enabled-methods}.
     */
    String[] mechanisms() default {};

    /**
     * Only visitors nobody is signed in with (Flask-Security's {@code anonymous_user_required});
     * combines with no other attribute.
     */
    boolean anonymous() default false;
}
