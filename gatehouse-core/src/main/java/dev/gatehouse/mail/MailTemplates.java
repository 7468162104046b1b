package dev.gatehouse.mail;

import java.util.List;
import java.util.Locale;

/**
 * The templates of the emails Gatehouse sends, named after Flask-Security's, with the model entries
 * each one gets. A {@link MailComposer} must render all of them. Entries marked (secret) are sealed
 * in the outbox; {@code within} and {@code revert_within} are durations in ISO-8601
 * ({@link Notification#duration(String)}), {@code until} an instant as {@code yyyy-MM-dd HH:mm UTC}.
 *
 * <table>
 *   <caption>Templates and their model</caption>
 *   <tr><th>template</th><th>sent when</th><th>model</th></tr>
 *   <tr><td>{@value #WELCOME}</td><td>an account was registered</td><td>email, username?, confirmation_link? (secret)</td></tr>
 *   <tr><td>{@value #WELCOME_EXISTING}</td><td>someone registered with an address that has an account (generic responses)</td><td>email, username?, reset_page_link?</td></tr>
 *   <tr><td>{@value #WELCOME_EXISTING_USERNAME}</td><td>someone registered with a username that is taken (generic responses); goes to the address they gave</td><td>email, username</td></tr>
 *   <tr><td>{@value #CONFIRMATION_INSTRUCTIONS}</td><td>a new confirmation link was asked for, or the old one expired</td><td>email, confirmation_link (secret)</td></tr>
 *   <tr><td>{@value #ALREADY_CONFIRMED}</td><td>a confirmation link was asked for an address already confirmed (generic responses)</td><td>email, login_page_link</td></tr>
 *   <tr><td>{@value #RESET_INSTRUCTIONS}</td><td>a password reset was requested</td><td>email, reset_link (secret), within</td></tr>
 *   <tr><td>{@value #RESET_NOTICE}</td><td>the password was reset</td><td>email</td></tr>
 *   <tr><td>{@value #CHANGE_NOTICE}</td><td>the password was changed</td><td>email, reset_page_link?</td></tr>
 *   <tr><td>{@value #CHANGE_EMAIL_INSTRUCTIONS}</td><td>a new address must be confirmed (sent to it)</td><td>email (the new one), old_email, change_email_link (secret), within</td></tr>
 *   <tr><td>{@value #CHANGE_EMAIL_NOTICE}</td><td>the address was changed (sent to the old one)</td><td>email (the old one), new_email, revert_link (secret), revert_within</td></tr>
 *   <tr><td>{@value #LOGIN_INSTRUCTIONS}</td><td>a sign-in code and link were requested</td><td>email, code (secret), login_link (secret), within</td></tr>
 *   <tr><td>{@value #ACCOUNT_LOCKED}</td><td>failed sign-ins locked the account</td><td>email, until?, unlock_link? (secret)</td></tr>
 *   <tr><td>{@value #USERNAME_RECOVERY}</td><td>the username was asked for</td><td>email, username? (absent when the account has none)</td></tr>
 *   <tr><td>{@value #TWO_FACTOR_INSTRUCTIONS}</td><td>a second-factor code was sent by email (sign-in, setup or rescue)</td><td>email, code (secret), within</td></tr>
 *   <tr><td>{@value #TWO_FACTOR_CHANGED}</td><td>two-factor was turned on or its method changed (method present), or turned off (absent)</td><td>email, method? (authenticator, email, sms)</td></tr>
 *   <tr><td>{@value #SIGN_IN_METHODS_CHANGED}</td><td>the methods of unified sign-in changed</td><td>email</td></tr>
 *   <tr><td>{@value #RECOVERY_CODES_CHANGED}</td><td>new recovery codes were generated, the old ones stopped working</td><td>email</td></tr>
 *   <tr><td>{@value #UNKNOWN_ACCOUNT}</td><td>a reset, confirmation, sign-in code or username was asked for an address with no account (generic responses, {@code email-unknown-accounts})</td><td>email, action (reset_password, confirm, login, recover_username), register_page_link?</td></tr>
 * </table>
 */
public final class MailTemplates {

    public static final String WELCOME = "welcome";
    public static final String WELCOME_EXISTING = "welcome_existing";
    public static final String WELCOME_EXISTING_USERNAME = "welcome_existing_username";
    public static final String CONFIRMATION_INSTRUCTIONS = "confirmation_instructions";
    public static final String ALREADY_CONFIRMED = "already_confirmed";
    public static final String RESET_INSTRUCTIONS = "reset_instructions";
    public static final String RESET_NOTICE = "reset_notice";
    public static final String CHANGE_NOTICE = "change_notice";
    public static final String CHANGE_EMAIL_INSTRUCTIONS = "change_email_instructions";
    public static final String CHANGE_EMAIL_NOTICE = "change_email_notice";
    public static final String LOGIN_INSTRUCTIONS = "login_instructions";
    public static final String ACCOUNT_LOCKED = "account_locked";
    public static final String USERNAME_RECOVERY = "username_recovery";
    public static final String UNKNOWN_ACCOUNT = "unknown_account";
    public static final String TWO_FACTOR_INSTRUCTIONS = "two_factor_instructions";
    public static final String TWO_FACTOR_CHANGED = "two_factor_changed";
    public static final String SIGN_IN_METHODS_CHANGED = "sign_in_methods_changed";
    public static final String RECOVERY_CODES_CHANGED = "recovery_codes_changed";

    /** Every template above. */
    public static final List<String> ALL = List.of(WELCOME, WELCOME_EXISTING, WELCOME_EXISTING_USERNAME,
            CONFIRMATION_INSTRUCTIONS, ALREADY_CONFIRMED, RESET_INSTRUCTIONS, RESET_NOTICE, CHANGE_NOTICE,
            CHANGE_EMAIL_INSTRUCTIONS, CHANGE_EMAIL_NOTICE, LOGIN_INSTRUCTIONS, ACCOUNT_LOCKED, USERNAME_RECOVERY,
            UNKNOWN_ACCOUNT, TWO_FACTOR_INSTRUCTIONS, TWO_FACTOR_CHANGED, SIGN_IN_METHODS_CHANGED, RECOVERY_CODES_CHANGED);

    /** The message key of a template's subject: {@code EMAIL_SUBJECT_RESET_INSTRUCTIONS}. */
    public static String subjectKey(String template) {
        return "EMAIL_SUBJECT_" + template.toUpperCase(Locale.ROOT);
    }

    /**
     * The message key of {@link #UNKNOWN_ACCOUNT}'s {@code action} in words, which composers give
     * the texts as {@code action_text}: {@code EMAIL_ACTION_RESET_PASSWORD}.
     */
    public static String actionKey(String action) {
        return "EMAIL_ACTION_" + action.toUpperCase(Locale.ROOT);
    }

    private MailTemplates() {
    }
}
