package dev.gatehouse.examples.diary.spring;

import dev.gatehouse.examples.diary.DiaryHandlers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.NoHandlerFoundException;

/**
 * No handler for the path, or none for the method: the shared 404 or 405 of
 * {@link DiaryHandlers#noRoute} (the Javalin diary's too), instead of Spring Boot's error page.
 * Answered inside the request (not by an error dispatch to {@code /error}), so Gatehouse's filter
 * writes the page. Needs {@code spring.web.resources.add-mappings=false} (set by
 * {@link SpringDiaryMain}): else the static resource handler takes every path.
 */
@ControllerAdvice
class DiaryErrors {

    private final DiaryHandlers handlers;

    DiaryErrors(DiaryHandlers handlers) {
        this.handlers = handlers;
    }

    @ExceptionHandler({NoHandlerFoundException.class, HttpRequestMethodNotSupportedException.class})
    void noRoute(HttpServletRequest request, HttpServletResponse response) {
        handlers.noRoute(new DiaryController.ServletDiaryRequest(null, request, response, null));
    }
}
