package dev.gatehouse.password;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;
import java.util.EnumMap;
import java.util.Map;

/**
 * The C reference implementation, libargon2, through argon2-jvm's JNA binding (argon2-jvm bundles
 * the library for Linux, macOS and Windows on x86 and ARM). Loading fails with a {@link LinkageError}
 * where the library or JNA is missing; {@link Argon2Engines} then falls back to Bouncy Castle.
 */
final class NativeArgon2Engine implements Argon2Engine {

    private final Map<Argon2Type, Argon2Advanced> byType = new EnumMap<>(Argon2Type.class);

    private NativeArgon2Engine() {
        byType.put(Argon2Type.D, Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2d));
        byType.put(Argon2Type.I, Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2i));
        byType.put(Argon2Type.ID, Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id));
    }

    /**
     * Creates the engine; the native library itself loads on first use.
     *
     * @throws LinkageError if argon2-jvm or JNA is not on the class path
     */
    static NativeArgon2Engine load() {
        return new NativeArgon2Engine();
    }

    @Override
    public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                       byte[] password, byte[] salt, int hashLength) {
        // The context API takes bytes (so the caller controls the encoding), any hash length and the
        // version; argon2-jvm copies the password to native memory and wipes that copy afterwards.
        return byType.get(type).rawHashAdvanced(iterations, memoryKiB, parallelism, password, salt,
                null, null, hashLength, version == 0x10 ? Argon2Version.V10 : Argon2Version.V13);
    }

    @Override
    public String description() {
        return "native libargon2 (argon2-jvm)";
    }
}
