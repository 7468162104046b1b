package dev.gatehouse.lifecycle;

import java.util.Objects;

/**
 * What became of a request for a sign-in code ({@link PasswordlessFlow#sendCode}).
 */
public sealed interface LoginCodeResult permits LoginCodeResult.CodeSent, RateLimited {

    /**
     * A code and a link were emailed — with generic responses, or the address has no account, in
     * which case no code will ever be accepted. Identical in both cases.
     *
     * @param challenge binds the code to this request: the web layer keeps it (cookie or hidden
     *                  field) and presents it with the code. Not secret by itself — it proves
     *                  nothing without the emailed code — but it should not be logged either.
     */
    record CodeSent(String challenge) implements LoginCodeResult {
        public CodeSent {
            Objects.requireNonNull(challenge, "challenge");
        }

        @Override
        public String toString() {
            return "CodeSent[challenge=<redacted>]";
        }
    }
}
