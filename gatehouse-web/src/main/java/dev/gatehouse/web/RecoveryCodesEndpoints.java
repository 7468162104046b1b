package dev.gatehouse.web;

import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES_URL;

import dev.gatehouse.user.User;
import java.util.List;
import java.util.Map;

/**
 * Recovery codes, Flask-Security's {@code mf_recovery_codes}: {@code GET
 * {multi-factor-recovery-codes-url}} tells how many unused codes are left
 * ({@code recovery_codes_left}); {@code POST} (fresh sign-in required) makes a new set, which
 * replaces the old one, and shows it this once ({@code recovery_codes}). Gatehouse keeps only the
 * codes' digests, so unlike Flask-Security it cannot show them again later.
 */
final class RecoveryCodesEndpoints extends FactorEndpoints {

    RecoveryCodesEndpoints(WebToolkit web) {
        super(web);
    }

    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(MULTI_FACTOR_RECOVERY_CODES_URL));
        return List.of(new WebRoute("GET", path, this::codesPage), new WebRoute("POST", path, this::generate));
    }

    private void codesPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, false)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("recovery_codes_left", twoFactor.recoveryCodesLeft(user));
            web.json(x, 200, body);
        } else {
            show(x, user, List.of());
        }
    }

    private void generate(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, true)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        List<String> codes = twoFactor.newRecoveryCodes(user, context(x, user));
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("recovery_codes", codes);
            body.put("recovery_codes_left", codes.size());
            web.json(x, 200, body);
        } else {
            show(x, user, codes);
        }
    }

    private void show(Exchange x, User user, List<String> codes) {
        Map<String, Object> model = formModel(x, url(config.get(MULTI_FACTOR_RECOVERY_CODES_URL)), List.of(), Map.of());
        model.put("recovery_codes", codes);
        model.put("recovery_codes_left", codes.isEmpty() ? twoFactor.recoveryCodesLeft(user) : codes.size());
        web.page(x, 200, "mf_recovery_codes", model);
    }
}
