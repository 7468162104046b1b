package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hashes Gatehouse wrote earlier and passlib verified (tools/vectors/check_gatehouse_hashes.py):
 * they must keep verifying as current, so the written format cannot drift away from what passlib reads.
 */
class GatehouseVectorsTest {

    private static final Map<String, HashScheme> SCHEMES = Stream.of(HashScheme.ARGON2ID, HashScheme.BCRYPT,
                    HashScheme.SCRYPT, HashScheme.PBKDF2_SHA256, HashScheme.PBKDF2_SHA512, HashScheme.argon2id(256, 2, 2),
                    HashScheme.scrypt(4, 8, 1), HashScheme.pbkdf2Sha256(1000), HashScheme.pbkdf2Sha512(1000))
            .collect(Collectors.toMap(HashScheme::toString, Function.identity()));

    static List<TestVectors.Row> rows() {
        return TestVectors.read("/password/gatehouse-vectors.tsv");
    }

    @ParameterizedTest
    @MethodSource("rows")
    void hashes_written_by_gatehouse_and_read_by_passlib_still_verify_as_current(TestVectors.Row row) {
        HashScheme scheme = SCHEMES.get(row.column(0));
        PasswordHasher hasher = PasswordHasher.builder().scheme(scheme).build();

        assertThat(hasher.verifyAndUpdate(row.password(), row.hash())).isEqualTo(Verification.match());
        assertThat(hasher.verify("!" + row.password(), row.hash())).isFalse();
    }
}
