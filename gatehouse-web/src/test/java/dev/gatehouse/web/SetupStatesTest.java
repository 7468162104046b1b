package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.twofactor.FactorMethod;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sealed state of a factor setup: opens only for its user and purpose, unaltered and in time; the QR code. */
class SetupStatesTest {

    private final TestGatehouse t = new TestGatehouse();
    private final ValueSealer sealer = ValueSealer.create(t.gatehouse.config());
    private final SetupStates tf = new SetupStates(sealer, t.clock, "tf-setup", Duration.ofMinutes(30));

    @AfterEach
    void close() {
        t.gatehouse.close();
    }

    @Test
    void a_sealed_state_opens_for_its_user_with_everything_it_holds() {
        SetupStates.State state = tf.start(7, FactorMethod.SMS, Optional.of("s1.sealed-secret"), Optional.of("+4915112345678"));

        String sealed = tf.seal(state);
        SetupStates.Result opened = tf.open(sealed, 7);

        assertThat(sealed).doesNotContain("+4915112345678").doesNotContain("sealed-secret").doesNotContain(state.challenge());
        assertThat(opened.problem()).isEmpty();
        assertThat(opened.state()).contains(state);
        assertThat(state.challenge().length()).isGreaterThanOrEqualTo(16);
    }

    @Test
    void another_user_another_purpose_or_an_altered_state_is_invalid() {
        String sealed = tf.seal(tf.start(7, FactorMethod.AUTHENTICATOR, Optional.of("s1.x"), Optional.empty()));
        SetupStates us = new SetupStates(sealer, t.clock, "us-setup", Duration.ofMinutes(30));
        int middle = sealed.length() / 2;   // the last character of unpadded base64 may carry only ignored bits
        String altered = sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);

        assertThat(tf.open(sealed, 8).problem()).contains(SetupStates.Problem.INVALID);
        assertThat(us.open(sealed, 7).problem()).contains(SetupStates.Problem.INVALID);
        assertThat(tf.open(altered, 7).problem())
                .contains(SetupStates.Problem.INVALID);
        assertThat(tf.open("garbage", 7).problem()).contains(SetupStates.Problem.INVALID);
    }

    @Test
    void a_state_expires_after_its_validity() {
        String sealed = tf.seal(tf.start(7, FactorMethod.EMAIL, Optional.empty(), Optional.empty()));

        t.clock.advance(Duration.ofMinutes(29));
        assertThat(tf.open(sealed, 7).state()).isPresent();
        t.clock.advance(Duration.ofMinutes(1));
        assertThat(tf.open(sealed, 7).problem()).contains(SetupStates.Problem.EXPIRED);
    }

    @Test
    void the_qr_code_is_an_svg_of_dark_modules_with_its_label_escaped() {
        String svg = QrCodeSvg.svg("otpauth://totp/Site:a%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Site", "QR <code> & \"key\"");

        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>")
                .contains("aria-label=\"QR &lt;code&gt; &amp; &quot;key&quot;\"").contains("<path d=\"M");
        // Version 4 or 5 for a URI this long (33 or 37 modules) plus the 4-module quiet zone on each side.
        assertThat(svg).containsAnyOf("viewBox=\"0 0 41 41\"", "viewBox=\"0 0 45 45\"", "viewBox=\"0 0 37 37\"");
        assertThat(QrCodeSvg.svg("a", "x")).isNotEqualTo(QrCodeSvg.svg("b", "x"));
    }
}
