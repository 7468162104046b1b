package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.EMAIL_UNKNOWN_ACCOUNTS;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.REGISTER_URL;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * With generic responses, a request for an email about an address without an account does the
 * same work on the request thread as one about an account, so its timing does not tell them apart
 * (issue 10 measured z ≈ 4–6 over 300 samples when it did less):
 * <ol>
 *   <li>a link token is signed (and its binding MAC computed) as for the account's link;</li>
 *   <li>one email is queued — {@value MailTemplates#UNKNOWN_ACCOUNT}, unless
 *       {@code email-unknown-accounts} is off (django-allauth does the same) — carrying as many
 *       sealed entries as the account's email would (its link, its code), which the template never
 *       shows: sealing is most of the CPU time of queueing;</li>
 *   <li>one event is published, {@link AccountEvent.UnknownAccountRequested}, so the audit log
 *       writes one entry as it does for the account's "instructions sent".</li>
 * </ol>
 * {@code SendPathsTest} pins down that both paths make the same store calls in the same order.
 */
final class UnknownAccounts {

    private UnknownAccounts() {
    }

    /**
     * @param linkPurpose   the purpose of the token the account's email would carry, if it carries one
     * @param sealedEntries how many sealed model entries (links, codes) the account's email has
     */
    static void notify(Context c, String email, String action, Optional<String> linkPurpose, int sealedEntries,
            ClientInfo client) {
        String decoy = linkPurpose.map(purpose -> decoyLink(c, purpose, email)).orElse("000000");
        if (c.config.get(EMAIL_UNKNOWN_ACCOUNTS)) {
            Map<String, String> model = new LinkedHashMap<>();
            model.put("email", email);
            model.put("action", action);
            for (int i = 0; i < sealedEntries; i++) {
                model.put("unused" + i + "_link", decoy);
            }
            if (c.config.get(REGISTERABLE) && c.links.available()) {
                model.put("register_page_link", c.links.page(c.config.get(REGISTER_URL)));
            }
            c.mail(MailTemplates.UNKNOWN_ACCOUNT, email, Optional.empty(), client, model);
        }
        c.publish(new AccountEvent.UnknownAccountRequested(EventContext.anonymous(c.clock.instant(), client), action));
    }

    /** A link shaped like an account's (user id, binding MAC, signed), which works for no one. */
    private static String decoyLink(Context c, String purpose, String email) {
        String binding = c.binding(purpose, "0", "", "", Identifiers.emailKey(email));
        String token = c.tokens.sign(purpose, TokenPayload.join(0L, binding));
        return c.links.available() ? c.links.withToken("/", token) : token;
    }
}
