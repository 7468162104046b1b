package dev.gatehouse.spring;

import dev.gatehouse.servlet.GatehouseServlet;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a Spring MVC handler the request's user: a {@link User} parameter is the signed-in user
 * ({@link AccessInterceptor} makes such a handler demand one), an {@link Identity} parameter the
 * user or the anonymous user, never null.
 */
final class CurrentUserArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return type == User.class || type == Identity.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        GatehouseServlet gatehouse = GatehouseServlet.of(request.getNativeRequest(HttpServletRequest.class));
        return parameter.getParameterType() == User.class ? gatehouse.user() : gatehouse.currentUser();
    }
}
