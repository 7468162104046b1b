package dev.gatehouse.cli;

import dev.gatehouse.jdbc.JdbcExternalIdentityStore;
import dev.gatehouse.oidc.DevicePoll;
import dev.gatehouse.oidc.DeviceStart;
import dev.gatehouse.oidc.HttpOptions;
import dev.gatehouse.oidc.OidcClient;
import dev.gatehouse.oidc.OidcProvider;
import dev.gatehouse.oidc.OidcProviders;
import dev.gatehouse.oidc.ProviderSignIn;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.User;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gatehouse signin --provider ID}: an operator proves who they are with a provider's
 * device-code grant (RFC 8628) — the command prints where to go and the code to enter, polls at the
 * provider's interval (slower after each {@code slow_down}), and prints the local account the
 * identity is linked to. The providers are the application's own ({@code oidc-providers},
 * {@code oidc.<id>.*}, from the same file and environment as every command). It never creates or
 * links an account: an identity linked to no account, a refusal or an expired code exit with 1.
 */
@Command(name = "signin",
        description = {"Sign in with an identity provider's device code (RFC 8628) and show the local account the"
                + " identity is linked to: prints the verification URL and the code to enter there, then waits."
                + " Providers come from oidc-providers and oidc.<id>.* (e.g. GATEHOUSE_OIDC_PROVIDERS,"
                + " GATEHOUSE_OIDC_<ID>_ISSUER). Creates no account; exits with 1 when refused, expired or not linked."})
final class SigninCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    GatehouseCli root;

    @Option(names = "--provider", required = true, paramLabel = "ID", description = "The provider's id, as in oidc-providers.")
    String providerId;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",",
            description = "Scopes beyond the provider's configured ones (comma-separated or repeated).")
    List<String> scopes;

    @Override
    public Integer call() {
        Output output = root.output();
        CliConfig settings = root.settings();
        OidcProviders providers = OidcProviders.fromConfig(settings.config());
        OidcProvider provider = providers.find(providerId).orElseThrow(() -> CliException.failure("NO_SUCH_PROVIDER",
                "no provider '" + providerId + "' is configured" + (providers.isEmpty() ? " (oidc-providers is empty)"
                        : "; oidc-providers lists " + String.join(", ", new TreeSet<>(providers.ids())))));
        Clock clock = Clock.systemUTC();
        OidcClient client = OidcClient.create(provider, HttpOptions.defaults(), clock);
        DeviceStart start = client.startDevice(scopes == null ? Set.of() : Set.copyOf(scopes));
        output.say("To sign in with " + provider.displayName() + ", open " + start.verificationUri()
                + " and enter the code " + start.userCode()
                + start.verificationUriComplete().map(u -> "\n(or open " + u + ")").orElse(""));
        output.say("Waiting for " + provider.displayName() + " (the code expires at " + start.expiresAt() + ") ...");
        ProviderSignIn signIn = await(client, start, clock);

        try (Workspace workspace = root.workspace(Workspace.Need.SCHEMA)) {
            Optional<ExternalIdentity> identity = JdbcExternalIdentityStore.create(workspace.database().dataSource(), false)
                    .find(signIn.issuer(), signIn.subject());
            if (identity.isEmpty()) {
                throw CliException.failure("NOT_LINKED", "signed in at " + provider.displayName() + " as subject "
                        + signIn.subject() + signIn.email().map(e -> " (" + e + ")").orElse("")
                        + ", but no account here is linked to that identity; this command creates none: sign in to the"
                        + " application with it first, or link it from an account's page");
            }
            User user = workspace.store().findUserById(identity.get().userId()).orElseThrow(() -> CliException.failure(
                    "NOT_LINKED", "the identity is linked to user id " + identity.get().userId() + ", which no longer exists"));
            if (!user.isActive()) {
                throw CliException.failure("USER_INACTIVE", "signed in as " + user.email() + " (id " + user.id()
                        + "), but that account is deactivated");
            }
            Map<String, Object> json = Views.object("provider", provider.id(), "issuer", signIn.issuer(),
                    "subject", signIn.subject(), "user", Views.object("id", user.id(), "email", user.email(),
                            "roles", List.copyOf(new TreeSet<>(user.roleNames())), "active", user.isActive()));
            output.result("Signed in with " + provider.displayName() + " as " + user.email() + " (id " + user.id()
                    + ", roles " + Views.list(user.roleNames()) + ").", json);
        }
        return 0;
    }

    /** Polls at the interval until the provider answers for good; RFC 8628 section 3.5. */
    private static ProviderSignIn await(OidcClient client, DeviceStart start, Clock clock) {
        Duration interval = start.interval();
        while (true) {
            sleep(interval);
            if (!clock.instant().isBefore(start.expiresAt())) {
                throw expired();
            }
            DevicePoll answer = client.poll(start.deviceCode(), start.scopes(), interval);
            if (answer instanceof DevicePoll.Done done) {
                return done.signIn();
            } else if (answer instanceof DevicePoll.SlowDown slower) {
                interval = slower.newInterval();
            } else if (answer instanceof DevicePoll.Denied) {
                throw CliException.failure("ACCESS_DENIED", "the sign-in was refused at " + client.provider().displayName());
            } else if (answer instanceof DevicePoll.Expired) {
                throw expired();
            }
        }
    }

    private static CliException expired() {
        return CliException.failure("EXPIRED_TOKEN", "the code expired before the sign-in was confirmed; run the command again");
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("INTERRUPTED", "interrupted while waiting for the provider");
        }
    }
}
