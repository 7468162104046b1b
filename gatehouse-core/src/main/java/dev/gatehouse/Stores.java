package dev.gatehouse;

import dev.gatehouse.event.AuditLog;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.mail.OutboxStore;
import dev.gatehouse.session.SessionDataStore;
import dev.gatehouse.session.SessionStore;
import dev.gatehouse.twofactor.InMemorySecondFactorStore;
import dev.gatehouse.twofactor.SecondFactorStore;
import dev.gatehouse.user.ExternalIdentityStore;
import dev.gatehouse.user.PasskeyStore;
import dev.gatehouse.user.UserStore;

/**
 * Every store Gatehouse keeps state in, on one database, handed to {@link Gatehouse.Builder#stores}
 * in one call: gatehouse-jdbc's {@code JdbcStores.create(dataSource)} is one. Each method returns
 * the same instance every time.
 */
public interface Stores {

    /** Users and roles. */
    UserStore users();

    /** Sessions, remember-me grants and refresh tokens. */
    SessionStore sessions();

    /** Rate-limit counters, lockouts and single-use markers. */
    CounterStore counters();

    /** Queued emails. */
    OutboxStore outbox();

    /** Account events. */
    AuditLog auditLog();

    /** Accounts at external identity providers linked to users. */
    ExternalIdentityStore externalIdentities();

    /** Values attached to sign-ins, such as a provider's (sealed) tokens. */
    SessionDataStore sessionData();

    /** Users' passkeys and WebAuthn user handles. */
    PasskeyStore passkeys();

    /**
     * Users' second factors (two-factor authentication). Database implementations override this, as
     * gatehouse-jdbc's {@code JdbcStores} does; the default, for implementations written before
     * two-factor existed, keeps them in memory beside {@link #users()}, lost on restart and not shared
     * between nodes, and returns a new store on each call ({@link Gatehouse.Builder#stores} calls it once).
     */
    default SecondFactorStore secondFactors() {
        return new InMemorySecondFactorStore(users());
    }
}
