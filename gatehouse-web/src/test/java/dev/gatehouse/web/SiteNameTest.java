package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.SITE_NAME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.MailBackend;
import dev.gatehouse.mail.ComposedMail;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.testing.TestGatehouse;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code site-name} setting names the application in pages and emails in place of
 * "Gatehouse". It is the one way to name the site (no second one in WebOptions).
 */
class SiteNameTest {

    private static GatehouseWeb web(String siteName, WebOptions options) {
        return new GatehouseWeb(new TestGatehouse(c -> {
            c.set(MAIL_BACKEND, MailBackend.NONE);
            if (siteName != null) {
                c.set(SITE_NAME, siteName);
            }
        }).gatehouse, options);
    }

    private static String loginPage(GatehouseWeb web) {
        WebRoute login = web.routes().stream().filter(r -> r.method().equals("GET") && r.path().equals("/login"))
                .findFirst().orElseThrow();
        InProcessExchange.Response response = new InProcessExchange.Response();
        login.handler().handle(new InProcessExchange.Request().header("Accept", "text/html"), response);
        assertThat(response.status).isEqualTo(200);
        return response.body;
    }

    private static ComposedMail welcome(GatehouseWeb web) {
        return web.mailComposer().compose(new Notification(MailTemplates.WELCOME, "ann@example.com", Locale.ENGLISH,
                Map.of("email", "ann@example.com")));
    }

    @Test
    void the_setting_names_the_application_in_pages_and_emails() {
        GatehouseWeb web = web("Acme Diary", WebOptions.builder().build());

        assertThat(loginPage(web)).contains("· Acme Diary</title>", ">Acme Diary</a>").doesNotContain(">Gatehouse<");
        ComposedMail mail = welcome(web);
        assertThat(mail.text()).contains("This message was sent by Acme Diary.");
        assertThat(mail.html()).hasValueSatisfying(html -> assertThat(html).contains("This message was sent by Acme Diary."));
    }

    @Test
    void gatehouse_by_default() {
        assertThat(loginPage(web(null, WebOptions.builder().build()))).contains("· Gatehouse</title>");
    }
}
