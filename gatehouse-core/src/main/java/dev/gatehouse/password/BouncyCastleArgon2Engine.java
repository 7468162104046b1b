package dev.gatehouse.password;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Pure-Java argon2 from Bouncy Castle: runs everywhere, slower than libargon2 (see docs/benchmarks.md). */
final class BouncyCastleArgon2Engine implements Argon2Engine {

    @Override
    public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                       byte[] password, byte[] salt, int hashLength) {
        int bcType = switch (type) {
            case D -> Argon2Parameters.ARGON2_d;
            case I -> Argon2Parameters.ARGON2_i;
            case ID -> Argon2Parameters.ARGON2_id;
        };
        Argon2Parameters parameters = new Argon2Parameters.Builder(bcType)
                .withVersion(version == 0x10 ? Argon2Parameters.ARGON2_VERSION_10 : Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            byte[] out = new byte[hashLength];
            generator.generateBytes(password, out);
            return out;
        } finally {
            parameters.clear();
        }
    }

    @Override
    public String description() {
        return "pure-Java argon2 (Bouncy Castle)";
    }
}
