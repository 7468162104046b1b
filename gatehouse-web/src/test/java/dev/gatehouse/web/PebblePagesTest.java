package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.AnonymousUser;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PebblePagesTest {

    private static Map<String, Object> model(Locale locale) {
        Map<String, Object> model = new HashMap<>();
        model.put("texts", new PageTexts(Messages.defaults(), locale));
        model.put("lang", locale.toLanguageTag());
        model.put("site_name", "Test site");
        model.put("current_user", AnonymousUser.INSTANCE);
        model.put("csrf_token", "token-123");
        model.put("urls", Map.of("home", "/", "login", "/login", "stylesheet", "/gatehouse/static/gatehouse.css?v=1"));
        model.put("flashes", List.of());
        model.put("action", "/login");
        model.put("errors", List.of());
        model.put("field_errors", Map.of());
        return model;
    }

    private static PebblePages pages(Optional<Path> folder, ClassLoader loader) {
        return new PebblePages(folder, loader, Locale.ENGLISH);
    }

    @Test
    void the_login_page_has_labelled_fields_with_autocomplete_hints_and_the_csrf_field() {
        String html = pages(Optional.empty(), getClass().getClassLoader()).render("gatehouse/login", model(Locale.ENGLISH));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">")
                .contains("<form method=\"post\" action=\"/login\">")
                .contains("<input type=\"hidden\" name=\"csrf_token\" value=\"token-123\">")
                .contains("<label for=\"email\">Email address</label>")
                .contains("autocomplete=\"username\"")
                .contains("<label for=\"password\">Password</label>")
                .contains("autocomplete=\"current-password\"")
                .contains("<link rel=\"stylesheet\" href=\"/gatehouse/static/gatehouse.css?v=1\">")
                .doesNotContain("<script");
    }

    @Test
    void texts_follow_the_language_even_inside_macros() {
        String html = pages(Optional.empty(), getClass().getClassLoader()).render("gatehouse/login", model(Locale.GERMAN));

        assertThat(html).contains("<html lang=\"de\">").contains("<title>Anmelden · Test site</title>")
                .contains("<label for=\"email\">E-Mail-Adresse</label>").contains("Zum Inhalt springen");
    }

    @Test
    void model_values_are_escaped_and_field_errors_are_tied_to_their_field() {
        Map<String, Object> model = model(Locale.ENGLISH);
        model.put("email", "\"><script>alert(1)</script>");
        model.put("next", "/x?a=1&b=\"2\"");
        model.put("field_errors", Map.of("password", List.of("<b>wrong</b>")));
        model.put("errors", List.of("Invalid credentials & more"));

        String html = pages(Optional.empty(), getClass().getClassLoader()).render("gatehouse/login", model);

        assertThat(html).doesNotContain("<script>alert(1)</script>").contains("value=\"&quot;&gt;&lt;script&gt;")
                .contains("value=\"/x?a=1&amp;b=&quot;2&quot;\"")
                .contains("<p class=\"gh-error\" id=\"password-error\">&lt;b&gt;wrong&lt;/b&gt;</p>")
                .contains("aria-invalid=\"true\" aria-describedby=\"password-error\"")
                .contains("<li>Invalid credentials &amp; more</li>");
    }

    @Test
    void a_template_in_the_folder_beats_the_applications_which_beats_gatehouses(@TempDir Path root) throws IOException {
        Path folder = root.resolve("folder");
        Path classpath = root.resolve("classpath");
        write(folder.resolve("gatehouse/login.html"), "{% extends \"gatehouse/base.html\" %}{% block content %}FOLDER LOGIN{% endblock %}");
        write(classpath.resolve("templates/gatehouse/login.html"), "CLASSPATH LOGIN");
        write(classpath.resolve("templates/gatehouse/verify.html"), "CLASSPATH VERIFY {{ msg('TITLE_VERIFY') }}");
        write(classpath.resolve("templates/gatehouse/base.html"), "APP LAYOUT [{% block content %}{% endblock %}]");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classpath.toUri().toURL()}, getClass().getClassLoader())) {
            PebblePages pages = pages(Optional.of(folder), loader);

            assertThat(pages.render("gatehouse/login", model(Locale.ENGLISH))).isEqualTo("APP LAYOUT [FOLDER LOGIN]");
            assertThat(pages.render("gatehouse/verify", model(Locale.FRENCH))).isEqualTo("CLASSPATH VERIFY Confirmez votre identité");
            assertThat(pages.render("gatehouse/error", model(Locale.ENGLISH))).startsWith("APP LAYOUT [");
            assertThat(pages(Optional.empty(), getClass().getClassLoader()).render("gatehouse/verify", model(Locale.ENGLISH)))
                    .startsWith("<!DOCTYPE html>");
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
