package dev.gatehouse.web;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.mail.MailDelivery;
import dev.gatehouse.mail.Mailer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The replaceable parts of the web layer: how a user is described in JSON responses, how
 * refusals are answered, how pages are rendered, with which texts and extra values, and the
 * application's extra registration fields, and what modules add: authentication mechanisms and
 * features (groups of endpoints). Everything else comes from
 * {@link dev.gatehouse.config.GatehouseConfig}. Immutable; build with {@link #builder()}.
 */
public final class WebOptions {

    /** The policy of the default pages: their own stylesheet, their own forms, nothing else. */
    public static final String DEFAULT_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    final Function<User, Map<String, Object>> userPayload;
    final Optional<DenialHandler> denialHandler;
    final Optional<PageRenderer> pages;
    final Messages messages;
    final List<ContextProcessor> contextProcessors;
    final Map<String, List<ContextProcessor>> pageContextProcessors;
    final List<RegistrationField> registrationFields;
    final Set<String> registrationRoles;
    final Optional<String> contentSecurityPolicy;
    final Optional<Mailer> mailer;
    final Consumer<MailDelivery.Builder> mailDelivery;
    final Duration purgeInterval;
    final List<AuthenticationMechanism> mechanisms;
    final List<WebFeature> features;

    private WebOptions(Builder b) {
        this.userPayload = b.userPayload;
        this.denialHandler = Optional.ofNullable(b.denialHandler);
        this.pages = Optional.ofNullable(b.pages);
        this.messages = b.messages;
        this.contextProcessors = List.copyOf(b.contextProcessors);
        Map<String, List<ContextProcessor>> perPage = new HashMap<>();
        b.pageContextProcessors.forEach((page, list) -> perPage.put(page, List.copyOf(list)));
        this.pageContextProcessors = Map.copyOf(perPage);
        this.registrationFields = List.copyOf(b.registrationFields.values());
        this.registrationRoles = Set.copyOf(b.registrationRoles);
        this.contentSecurityPolicy = b.contentSecurityPolicy;
        this.mailer = Optional.ofNullable(b.mailer);
        this.mailDelivery = b.mailDelivery;
        this.purgeInterval = b.purgeInterval;
        this.mechanisms = List.copyOf(b.mechanisms);
        this.features = List.copyOf(b.features);
    }

    public static WebOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The application's extra registration fields, in form order. */
    public List<RegistrationField> registrationFields() {
        return registrationFields;
    }

    /** Builds {@link WebOptions}; not thread-safe. */
    public static final class Builder {
        private Function<User, Map<String, Object>> userPayload = user -> Map.of();
        private DenialHandler denialHandler;
        private PageRenderer pages;
        private Messages messages = Messages.defaults();
        private final List<ContextProcessor> contextProcessors = new ArrayList<>();
        private final Map<String, List<ContextProcessor>> pageContextProcessors = new HashMap<>();
        private final Map<String, RegistrationField> registrationFields = new LinkedHashMap<>();
        private Set<String> registrationRoles = Set.of();
        private Optional<String> contentSecurityPolicy = Optional.of(DEFAULT_CONTENT_SECURITY_POLICY);
        private Mailer mailer;
        private Consumer<MailDelivery.Builder> mailDelivery = b -> { };
        private Duration purgeInterval = Duration.ofHours(1);
        private final List<AuthenticationMechanism> mechanisms = new ArrayList<>();
        private final List<WebFeature> features = new ArrayList<>();

        private Builder() {
        }

        /**
         * What JSON responses say about the signed-in user, under {@code response.user}
         * (Flask-Security's {@code get_security_payload}). Empty by default, as in Flask-Security 5;
         * Gatehouse adds {@code authentication_token} when asked for one.
         */
        public Builder userPayload(Function<User, Map<String, Object>> userPayload) {
            this.userPayload = Objects.requireNonNull(userPayload, "userPayload");
            return this;
        }

        /** Replaces the answers to unauthenticated, unauthorized and stale requests. */
        public Builder denialHandler(DenialHandler denialHandler) {
            this.denialHandler = Objects.requireNonNull(denialHandler, "denialHandler");
            return this;
        }

        /**
         * Replaces the page renderer (Flask-Identity's {@code template_render}); by default Pebble
         * templates, which an application overrides one by one without replacing the renderer.
         */
        public Builder pages(PageRenderer pages) {
            this.pages = Objects.requireNonNull(pages, "pages");
            return this;
        }

        /** Replaces texts; see {@link Messages} for overrides, translations and application bundles. */
        public Builder messages(Messages messages) {
            this.messages = Objects.requireNonNull(messages, "messages");
            return this;
        }

        /** Adds values to the model of every page (Flask-Security's {@code context_processor}). */
        public Builder contextProcessor(ContextProcessor processor) {
            this.contextProcessors.add(Objects.requireNonNull(processor, "processor"));
            return this;
        }

        /**
         * Adds values to the model of one page, e.g. {@code gatehouse/login} (Flask-Security's
         * {@code login_context_processor}), after those of every page.
         */
        public Builder contextProcessor(String page, ContextProcessor processor) {
            Objects.requireNonNull(page, "page");
            this.pageContextProcessors.computeIfAbsent(page, p -> new ArrayList<>())
                    .add(Objects.requireNonNull(processor, "processor"));
            return this;
        }

        /**
         * Adds a field to the registration form whose value becomes a profile attribute of the new
         * user (Flask-Security's {@code ExtendedRegisterForm}); see {@link RegistrationField}.
         *
         * @throws IllegalArgumentException if a field of that name was added already
         */
        public Builder registrationField(RegistrationField field) {
            Objects.requireNonNull(field, "field");
            if (registrationFields.putIfAbsent(field.name(), field) != null) {
                throw new IllegalArgumentException("two registration fields named " + field.name());
            }
            return this;
        }

        /**
         * Adds a registration field of at most 255 characters.
         *
         * @param label a message key or the label itself
         */
        public Builder registrationField(String name, String label, RegistrationField.InputType type, boolean required,
                FieldValidator validator) {
            return registrationField(RegistrationField.of(name, label, type, required, validator));
        }

        /** Roles every self-registered account starts with; they must exist. None by default. */
        public Builder registrationRoles(String... roles) {
            this.registrationRoles = Set.of(roles);
            return this;
        }

        /**
         * The {@code Content-Security-Policy} header of Gatehouse's pages, or empty for none.
         * Defaults to {@link #DEFAULT_CONTENT_SECURITY_POLICY}, extended with
         * {@code redirect-allowed-hosts} as form targets; a template override that adds scripts
         * must loosen it.
         */
        public Builder contentSecurityPolicy(Optional<String> policy) {
            this.contentSecurityPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sends Gatehouse's emails through {@code mailer} (an email API, say) instead of the one the
         * {@code mail-backend} setting names; see {@link BackgroundWork}.
         */
        public Builder mailer(Mailer mailer) {
            this.mailer = Objects.requireNonNull(mailer, "mailer");
            return this;
        }

        /**
         * Adjusts the mail delivery worker before it is built: poll interval, retries, backoff, or
         * another {@link dev.gatehouse.mail.MailComposer} than the web layer's templates.
         */
        public Builder mailDelivery(Consumer<MailDelivery.Builder> adjustments) {
            this.mailDelivery = Objects.requireNonNull(adjustments, "adjustments");
            return this;
        }

        /** How often expired counters and old finished emails are purged; hourly by default. */
        public Builder purgeInterval(Duration purgeInterval) {
            if (purgeInterval.isNegative() || purgeInterval.isZero()) {
                throw new IllegalArgumentException("the purge interval must be positive");
            }
            this.purgeInterval = purgeInterval;
            return this;
        }

        /**
         * Adds a way of authenticating, tried after the built-in token, session and HTTP Basic
         * (and after those added before it) on routes that allow its name — by
         * {@link AccessRule#mechanisms} or {@code api-enabled-methods}.
         */
        public Builder mechanism(AuthenticationMechanism mechanism) {
            this.mechanisms.add(Objects.requireNonNull(mechanism, "mechanism"));
            return this;
        }

        /** Adds a group of endpoints with its page links, after Gatehouse's own; see {@link WebFeature}. */
        public Builder feature(WebFeature feature) {
            this.features.add(Objects.requireNonNull(feature, "feature"));
            return this;
        }

        public WebOptions build() {
            return new WebOptions(this);
        }
    }
}
