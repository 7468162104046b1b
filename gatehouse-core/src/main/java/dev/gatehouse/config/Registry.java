package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Every known setting: Gatehouse's own ({@link Settings}) followed by those of the
 * {@link SettingGroup}s found on the class path, looked up by name and environment variable.
 * Loaded once, on first use, so that contributed groups may refer to {@link Settings}.
 */
final class Registry {

    private static final class Loaded {
        static final Registry INSTANCE = new Registry(discovered());
    }

    final List<SettingGroup> groups;
    /** Every setting, in documentation order. */
    final List<SettingKey<?>> all;
    private final Map<String, SettingKey<?>> byName;
    private final Map<String, SettingKey<?>> byEnv;

    Registry(List<SettingGroup> contributed) {
        List<SettingGroup> groups = new ArrayList<>(Settings.GROUPS);
        groups.addAll(contributed);
        this.groups = List.copyOf(groups);
        List<SettingKey<?>> all = new ArrayList<>();
        for (SettingGroup group : this.groups) {
            all.addAll(group.settings());
        }
        this.all = Collections.unmodifiableList(all);
        this.byName = index(all, SettingKey::name);
        this.byEnv = index(all, SettingKey::envName);
    }

    /** The registry of this class path. */
    static Registry get() {
        return Loaded.INSTANCE;
    }

    private static List<SettingGroup> discovered() {
        List<SettingGroup> groups = new ArrayList<>();
        ServiceLoader.load(SettingGroup.class, Registry.class.getClassLoader()).forEach(groups::add);
        // Class-path order is not stable; the documentation should be.
        groups.sort((a, b) -> a.title().compareTo(b.title()));
        return groups;
    }

    private static Map<String, SettingKey<?>> index(List<SettingKey<?>> all, Function<SettingKey<?>, String> key) {
        Map<String, SettingKey<?>> map = new LinkedHashMap<>();
        for (SettingKey<?> s : all) {
            if (map.put(key.apply(s), s) != null) {
                throw new IllegalStateException("two settings named " + key.apply(s));
            }
        }
        return Map.copyOf(map);
    }

    /** The setting with this kebab-case name. */
    Optional<SettingKey<?>> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The setting with this environment variable name ({@code GATEHOUSE_...}). */
    Optional<SettingKey<?>> byEnvName(String envName) {
        return Optional.ofNullable(byEnv.get(envName));
    }

    /** Whether this setting is known here: keys of groups not on the class path are not. */
    boolean contains(SettingKey<?> setting) {
        return byName.get(setting.name) == setting;
    }

    /**
     * " (did you mean X?)" for the known name closest to an unknown one, or "" when none is close:
     * most unknown settings are typos.
     */
    String suggestion(String unknown, Function<SettingKey<?>, String> naming) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (SettingKey<?> s : all) {
            String candidate = naming.apply(s);
            int d = distance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, unknown.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    /** Levenshtein distance, for suggestions only. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

}
