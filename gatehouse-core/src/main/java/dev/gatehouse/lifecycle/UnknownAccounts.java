package dev.gatehouse.lifecycle;

import dev.gatehouse.auth.ClientInfo;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.user.Identifiers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * With generic responses, a request for an email about an address without an account does the
 * same work on the request thread as one about an account, so its timing does not tell them apart
 * (issue 10 measured z ≈ 4–6 over 300 samples when it did less):
 * <ol>
 *   <li>a link token is signed (and its binding MAC computed) as for the account's link, then
 *       thrown away;</li>
 *   <li>one email is queued — {@value MailTemplates#UNKNOWN_ACCOUNT}, unless
 *       {@code email-unknown-accounts} is off (django-allauth does the same);</li>
 *   <li>one event is published, {@link AccountEvent.UnknownAccountRequested}, so the audit log
 *       writes one entry as it does for the account's "instructions sent".</li>
 * </ol>
 * {@code SendPathsTest} pins down that both paths make the same store calls in the same order.
 */
final class UnknownAccounts {

    private UnknownAccounts() {
    }

    /**
     * @param linkPurpose the purpose of the token the account's email would carry, if it carries one
     */
    static void notify(Context c, String email, String action, Optional<String> linkPurpose, ClientInfo client) {
        linkPurpose.ifPresent(purpose -> decoyToken(c, purpose, email));
        if (c.config.emailUnknownAccounts()) {
            Map<String, String> model = new LinkedHashMap<>();
            model.put("email", email);
            model.put("action", action);
            if (c.config.registerable() && c.links.available()) {
                model.put("register_page_link", c.links.page(c.config.registerUrl()));
            }
            c.mail(MailTemplates.UNKNOWN_ACCOUNT, email, Optional.empty(), client, model);
        }
        c.publish(new AccountEvent.UnknownAccountRequested(EventContext.anonymous(c.clock.instant(), client), action));
    }

    /** Signs a token shaped like an account's link token (user id, binding MAC), for the time it takes. */
    private static void decoyToken(Context c, String purpose, String email) {
        String binding = c.binding(purpose, "0", "", "", Identifiers.emailKey(email));
        String token = c.tokens.sign(purpose, TokenPayload.join(0L, binding));
        if (c.links.available()) {
            c.links.withToken("/", token);
        }
    }
}
