package dev.gatehouse.config;

import java.util.Locale;

/**
 * An enum whose constants are the values of a choice setting ({@link ValueType#choice(Class)}).
 * Each constant has a wire name, the word written in properties files, the environment and the
 * documentation: by default the constant's name in kebab-case ({@code NON_GET} &rarr; {@code non-get}).
 */
public interface Choice {

    /** The constant's name; implemented by every enum. */
    String name();

    /** The word used in properties files and the environment. */
    default String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
