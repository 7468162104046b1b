package dev.gatehouse.web;

import java.util.Map;

/**
 * Renders HTML pages from a model: Gatehouse's own ({@code gatehouse/login},
 * {@code gatehouse/register}, {@code gatehouse/verify}, {@code gatehouse/logout},
 * {@code gatehouse/error}, and the account lifecycle's: {@code gatehouse/send_confirmation},
 * {@code gatehouse/forgot_password}, {@code gatehouse/reset_password},
 * {@code gatehouse/change_password}, {@code gatehouse/change_email}, {@code gatehouse/change_email_revert},
 * {@code gatehouse/change_username}, {@code gatehouse/recover_username},
 * {@code gatehouse/us_signin}, {@code gatehouse/us_signin_code}) and application pages rendered through
 * {@link GatehouseWeb#render}. The default renders Pebble templates and lets applications
 * override them one by one; replace the whole renderer with
 * {@link WebOptions.Builder#pages(PageRenderer)} to use another engine (Flask-Identity's
 * {@code template_render}).
 *
 * <p>Implementations must escape model values (they are plain text, often submitted by the
 * visitor) and be thread-safe.
 */
@FunctionalInterface
public interface PageRenderer {

    /**
     * @param page  the page name, e.g. {@code gatehouse/login}; for templates, the path without {@code .html}
     * @param model what the page shows. Every page gets {@code page}, {@code lang} (language tag),
     *              {@code texts} ({@link PageTexts}), {@code site_name}, {@code current_user},
     *              {@code csrf_token}, {@code urls} (map: {@code home}, {@code login},
     *              {@code logout}, {@code register}, {@code verify}, {@code stylesheet},
     *              {@code send_confirmation}, {@code forgot_password}, {@code change_password},
     *              {@code change_email}, {@code change_email_revert}, {@code change_username}, {@code recover_username},
     *              {@code us_signin}, {@code sessions}, and those of the features modules add ({@link WebFeature#links}),
     *              for the endpoints that exist), {@code flashes} (list of maps with {@code category} and
     *              {@code message}), {@code scripts} (URLs of the features' {@link PageScript}s for
     *              this page, to load with {@code <script defer>}); forms add {@code action}, {@code next}, {@code errors}
     *              (messages not tied to a field), {@code field_errors} (field to messages) and
     *              the submitted values; see {@code docs/views.md}
     * @return a complete HTML document
     */
    String render(String page, Map<String, Object> model);
}
