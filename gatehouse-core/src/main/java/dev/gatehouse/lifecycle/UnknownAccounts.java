package dev.gatehouse.lifecycle;

import dev.gatehouse.auth.ClientInfo;
import dev.gatehouse.mail.MailTemplates;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * With generic responses, a request for an email about an address without an account still
 * queues one email — {@value MailTemplates#UNKNOWN_ACCOUNT}, unless {@code email-unknown-accounts}
 * is off — so it does the same work as a request about an account (django-allauth does the same).
 */
final class UnknownAccounts {

    private UnknownAccounts() {
    }

    static void notify(Context c, String email, String action, ClientInfo client) {
        if (!c.config.emailUnknownAccounts()) {
            return;
        }
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", email);
        model.put("action", action);
        if (c.config.registerable() && c.links.available()) {
            model.put("register_page_link", c.links.page(c.config.registerUrl()));
        }
        c.mail(MailTemplates.UNKNOWN_ACCOUNT, email, Optional.empty(), client, model);
    }
}
