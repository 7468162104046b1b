package dev.gatehouse.spring;

import static dev.gatehouse.config.Settings.FRESHNESS;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.servlet.GatehouseServlet;
import dev.gatehouse.user.AnyOf;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link GatehouseAccess} before a Spring MVC handler runs, with the web layer's
 * {@code enforce} (the same check, answers and CSRF protection as the filter's path rules). A
 * handler that takes a {@link User} parameter demands a signed-in user even without the
 * annotation, so that the parameter is never missing. Rules are built once per handler method.
 */
final class AccessInterceptor implements HandlerInterceptor {

    private final Gatehouse gatehouse;
    /** By controller class and method: a method inherited by two controllers may have two rules. */
    private final Map<Handler, Optional<AccessRule>> rules = new ConcurrentHashMap<>();

    private record Handler(Class<?> controller, Method method) {
    }

    AccessInterceptor(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Optional<AccessRule> rule = rules.computeIfAbsent(new Handler(method.getBeanType(), method.getMethod()),
                h -> ruleFor(method));
        if (rule.isEmpty()) {
            return true;
        }
        // GatehouseServlet.of throws when the filter did not see the request: the handler must not run then.
        return GatehouseServlet.of(request).enforce(rule.get());
    }

    /** The class's rule and the method's, both; authenticated() for a User parameter; empty for none. */
    Optional<AccessRule> ruleFor(HandlerMethod method) {
        AccessRule rule = null;
        for (AnnotatedElement element : List.of(method.getBeanType(), method.getMethod())) {
            GatehouseAccess access = AnnotatedElementUtils.findMergedAnnotation(element, GatehouseAccess.class);
            if (access != null) {
                AccessRule declared = rule(access, element);
                rule = rule == null ? declared : rule.and(declared);
            }
        }
        if (rule == null && takesUser(method)) {
            rule = AccessRule.authenticated();
        }
        return Optional.ofNullable(rule);
    }

    private static boolean takesUser(HandlerMethod method) {
        for (Class<?> type : method.getMethod().getParameterTypes()) {
            if (type == User.class) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws IllegalArgumentException naming the annotated element if its attributes do not make a rule
     */
    private AccessRule rule(GatehouseAccess access, AnnotatedElement element) {
        try {
            if (access.anonymous()) {
                AccessRule others = demands(access);
                return others == null ? AccessRule.anonymous() : AccessRule.anonymous().and(others);
            }
            AccessRule demands = demands(access);
            return demands == null ? AccessRule.authenticated() : demands;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@GatehouseAccess on " + element + ": " + e.getMessage(), e);
        }
    }

    /** The attributes' requirements for a signed-in user, null when there are none. */
    private AccessRule demands(GatehouseAccess access) {
        List<Object> roles = new ArrayList<>(List.of(access.roles()));
        if (access.anyRole().length > 0) {
            roles.add(AnyOf.anyOf(access.anyRole()));
        }
        List<Mechanism> mechanisms = new ArrayList<>();
        for (String name : access.mechanisms()) {
            mechanisms.add(Mechanism.of(name));
        }
        boolean none = roles.isEmpty() && mechanisms.isEmpty() && access.permissions().length == 0
                && access.anyPermission().length == 0 && !access.fresh();
        if (none) {
            return null;
        }
        AccessRule rule = new AccessRule(Set.copyOf(mechanisms), roles, List.of(access.permissions()),
                List.of(access.anyPermission()), Optional.empty());
        return access.fresh() ? rule.within(gatehouse.config().get(FRESHNESS)) : rule;
    }
}
