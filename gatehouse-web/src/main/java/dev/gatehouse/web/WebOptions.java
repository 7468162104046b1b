package dev.gatehouse.web;

import dev.gatehouse.user.User;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The replaceable parts of the web layer: how a user is described in JSON responses, how
 * refusals are answered, how pages are rendered and with which texts. Everything else comes from
 * {@link dev.gatehouse.config.GatehouseConfig}. Immutable; build with {@link #builder()}.
 */
public final class WebOptions {

    final Function<User, Map<String, Object>> userPayload;
    final Optional<DenialHandler> denialHandler;
    final PageRenderer pages;
    final Messages messages;

    private WebOptions(Builder b) {
        this.userPayload = b.userPayload;
        this.denialHandler = Optional.ofNullable(b.denialHandler);
        this.pages = b.pages;
        this.messages = b.messages;
    }

    public static WebOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WebOptions}; not thread-safe. */
    public static final class Builder {
        private Function<User, Map<String, Object>> userPayload = user -> Map.of();
        private DenialHandler denialHandler;
        private PageRenderer pages = new BuiltInPages();
        private Messages messages = Messages.defaults();

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

        /** Replaces the page renderer. */
        public Builder pages(PageRenderer pages) {
            this.pages = Objects.requireNonNull(pages, "pages");
            return this;
        }

        /** Replaces texts. */
        public Builder messages(Messages messages) {
            this.messages = Objects.requireNonNull(messages, "messages");
            return this;
        }

        public WebOptions build() {
            return new WebOptions(this);
        }
    }
}
