package dev.gatehouse.examples.diary.spring;

import static dev.gatehouse.examples.diary.DiarySetup.ADMIN;
import static dev.gatehouse.examples.diary.DiarySetup.WRITER;

import dev.gatehouse.examples.diary.DiaryHandlers;
import dev.gatehouse.examples.diary.DiaryRequest;
import dev.gatehouse.servlet.GatehouseServlet;
import dev.gatehouse.spring.GatehouseAccess;
import dev.gatehouse.user.User;
import dev.gatehouse.web.GatehouseWeb;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The diary's routes and their access rules, as the Javalin diary declares them, each handed to
 * the shared {@link DiaryHandlers}. Handlers return nothing: the page, redirect or JSON is on the
 * response (pages are written by Gatehouse's filter when the chain returns).
 */
@Controller
class DiaryController {

    private final DiaryHandlers handlers;

    DiaryController(DiaryHandlers handlers) {
        this.handlers = handlers;
    }

    @GatehouseAccess
    @GetMapping("/")
    void dashboard(User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.dashboard(new ServletDiaryRequest(user, request, response, null));
    }

    @GatehouseAccess(anyRole = {WRITER, ADMIN})
    @PostMapping("/entries")
    void create(User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.create(new ServletDiaryRequest(user, request, response, null));
    }

    @GatehouseAccess
    @GetMapping("/entry/{id}")
    void view(@PathVariable String id, User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.view(new ServletDiaryRequest(user, request, response, id));
    }

    @GatehouseAccess(roles = ADMIN)
    @GetMapping("/edit_entry/{id}")
    void editForm(@PathVariable String id, User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.editForm(new ServletDiaryRequest(user, request, response, id));
    }

    @GatehouseAccess(roles = ADMIN)
    @PostMapping("/edit_entry/{id}")
    void edit(@PathVariable String id, User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.edit(new ServletDiaryRequest(user, request, response, id));
    }

    @GatehouseAccess(roles = ADMIN)
    @PostMapping("/delete_entry/{id}")
    void delete(@PathVariable String id, User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.delete(new ServletDiaryRequest(user, request, response, id));
    }

    @GatehouseAccess(mechanisms = {"token", "session"})
    @GetMapping("/api/entries")
    void apiList(User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.apiList(new ServletDiaryRequest(user, request, response, null));
    }

    @GatehouseAccess(mechanisms = {"token", "session"}, anyRole = {WRITER, ADMIN})
    @PostMapping("/api/entries")
    void apiCreate(User user, HttpServletRequest request, HttpServletResponse response) {
        handlers.apiCreate(new ServletDiaryRequest(user, request, response, null));
    }

    /** One Servlet request as the shared handlers see it. */
    record ServletDiaryRequest(User user, HttpServletRequest request, HttpServletResponse response, String id)
            implements DiaryRequest {

        @Override
        public Optional<String> formField(String name) {
            return Optional.ofNullable(request.getParameter(name));
        }

        @Override
        public String body() {
            try {
                return new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void render(int status, String page, Map<String, ?> model) {
            response.setStatus(status);
            GatehouseServlet.of(request).render(page, model);
        }

        @Override
        public void flash(String category, String message) {
            GatehouseServlet.of(request).flash(category, message);
        }

        @Override
        public String text(String key) {
            return GatehouseServlet.of(request).texts().get(key);
        }

        @Override
        public void redirect(String location) {
            // Not sendRedirect: the Location stays as given (relative), as Javalin sends it.
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", location);
        }

        @Override
        public void header(String name, String value) {
            response.setHeader(name, value);
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return request.getRequestURI();
        }

        @Override
        public GatehouseWeb web() {
            return GatehouseServlet.of(request).web();
        }

        @Override
        public void json(int status, String json) {
            response.setStatus(status);
            response.setContentType("application/json");
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            response.setContentLength(bytes.length);
            try {
                response.getOutputStream().write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
