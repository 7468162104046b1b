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
import java.util.stream.Collectors;

/**
 * Every known setting: Gatehouse's own ({@link Settings}) followed by those of the
 * {@link SettingGroup}s found on the class path, looked up by name and environment variable, and
 * every {@link SettingFamily}, looked up by prefix and suffix. Loaded once, on first use, so that
 * contributed groups may refer to {@link Settings}. Refuses, at load, two settings or families
 * that one property or environment variable name could denote.
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
    /** Every family, in documentation order. */
    final List<SettingFamily<?>> families;
    /** {@code prefix.suffix} to family. */
    private final Map<String, SettingFamily<?>> familyByPattern;
    /** Prefix to its families, longest environment suffix first (the rule that reads variables). */
    private final Map<String, List<SettingFamily<?>>> byPrefix;

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
        List<SettingFamily<?>> families = new ArrayList<>();
        for (SettingGroup group : this.groups) {
            families.addAll(group.families());
        }
        this.families = List.copyOf(families);
        Map<String, SettingFamily<?>> byPattern = new LinkedHashMap<>();
        Map<String, List<SettingFamily<?>>> byPrefix = new LinkedHashMap<>();
        for (SettingFamily<?> f : families) {
            if (byPattern.put(f.prefix + "." + f.suffix, f) != null) {
                throw new IllegalStateException("two setting families named " + f.namePattern());
            }
            byPrefix.computeIfAbsent(f.prefix, p -> new ArrayList<>()).add(f);
        }
        this.familyByPattern = Map.copyOf(byPattern);
        Map<String, List<SettingFamily<?>>> sorted = new LinkedHashMap<>();
        byPrefix.forEach((prefix, members) -> {
            List<SettingFamily<?>> copy = new ArrayList<>(members);
            copy.sort((a, b) -> Integer.compare(b.suffix.length(), a.suffix.length()));
            sorted.put(prefix, List.copyOf(copy));
        });
        this.byPrefix = Map.copyOf(sorted);
        checkClashes();
    }

    /**
     * Property names never clash (family names have dots, setting names none), but environment
     * variables can: a prefix that extends another ({@code oidc} and {@code oidc-bearer}), or a
     * setting whose variable reads as a member ({@code oidc-default-scopes} and {@code oidc.<id>.scopes}).
     */
    private void checkClashes() {
        for (String p : byPrefix.keySet()) {
            for (String q : byPrefix.keySet()) {
                String pEnv = SettingFamily.envForm(p) + "_";
                if (!p.equals(q) && SettingFamily.envForm(q).startsWith(pEnv)) {
                    throw new IllegalStateException("the setting family prefixes " + p + " and " + q + " clash: "
                            + GatehouseConfig.ENV_PREFIX + SettingFamily.envForm(q) + "_<ID>_... could be either in the "
                            + "environment; rename one");
                }
            }
        }
        for (SettingKey<?> s : all) {
            Optional<Member> member;
            try {
                member = memberByEnvName(s.envName());
            } catch (BadName e) {
                continue; // not a member's name: no clash
            }
            if (member.isPresent()) {
                throw new IllegalStateException("the environment variable " + s.envName() + " of setting " + s.name
                        + " would also name " + member.get().name() + " of the family "
                        + member.get().family().namePattern() + "; rename one");
            }
        }
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

    /** Whether this family is known here: families of groups not on the class path are not. */
    boolean contains(SettingFamily<?> family) {
        return familyByPattern.get(family.prefix + "." + family.suffix) == family;
    }

    /** Whether some family has this prefix. */
    boolean isFamilyPrefix(String prefix) {
        return byPrefix.containsKey(prefix);
    }

    /** One value's place in a family: the family and the id, e.g. {@code oidc.<id>.issuer} for {@code keycloak}. */
    record Member(SettingFamily<?> family, String id) {

        /** {@code oidc.keycloak.issuer}. */
        String name() {
            return family.name(id);
        }
    }

    /** Why a name under a family's prefix names no member; the message follows the name and a colon. */
    static final class BadName extends Exception {
        private static final long serialVersionUID = 1L;

        BadName(String problem) {
            super(problem, null, false, false);
        }
    }

    /**
     * The member a property name such as {@code oidc.keycloak.issuer} denotes; empty when no
     * family has the name's first part as prefix.
     *
     * @throws BadName if a family has that prefix but the suffix or id is wrong
     */
    Optional<Member> memberByName(String name) throws BadName {
        String[] parts = name.split("\\.", -1);
        List<SettingFamily<?>> members = parts.length < 2 ? null : byPrefix.get(parts[0]);
        if (members == null) {
            return Optional.empty();
        }
        SettingFamily<?> family = null;
        if (parts.length == 3) {
            for (SettingFamily<?> f : members) {
                if (f.suffix.equals(parts[2])) {
                    family = f;
                }
            }
        }
        if (family == null) {
            String suggestion = "";
            if (parts.length == 3) {
                String best = closest(parts[2], members.stream().map(f -> f.suffix).toList());
                suggestion = best == null ? "" : " (did you mean " + parts[0] + "." + parts[1] + "." + best + "?)";
            }
            throw new BadName("no such setting" + suggestion + "; " + parts[0] + ".<id>. is followed by one of: "
                    + suffixes(parts[0], f -> f.suffix) + GatehouseConfig.SEE_DOCS);
        }
        if (!SettingFamily.isValidId(parts[1])) {
            throw new BadName("the id \"" + ValueType.quote(parts[1]) + "\" is not valid; use 1-32 lower-case letters, "
                    + "digits and -, starting with a letter");
        }
        return Optional.of(new Member(family, parts[1]));
    }

    /**
     * The member an environment variable such as {@code GATEHOUSE_OIDC_MY_IDP_CLIENT_ID} denotes:
     * the id lies between the prefix and the longest suffix of that prefix the name ends with, with
     * {@code _} read as {@code -}. Empty when the name starts with no family's prefix.
     *
     * @throws BadName if it does but no suffix matches or the id is wrong
     */
    Optional<Member> memberByEnvName(String envName) throws BadName {
        for (List<SettingFamily<?>> members : byPrefix.values()) {
            String envPrefix = members.get(0).envPrefix();
            if (!envName.startsWith(envPrefix)) {
                continue;
            }
            String tail = envName.substring(envPrefix.length());
            for (SettingFamily<?> f : members) {  // longest suffix first
                String suffix = "_" + f.envSuffix();
                if (tail.length() > suffix.length() && tail.endsWith(suffix)) {
                    String envId = tail.substring(0, tail.length() - suffix.length());
                    if (!SettingFamily.ENV_ID.matcher(envId).matches()) {
                        throw new BadName("the id \"" + ValueType.quote(envId) + "\" is not valid; in environment "
                                + "variables use 1-32 upper-case letters, digits and _ (for -), starting with a letter");
                    }
                    return Optional.of(new Member(f, SettingFamily.idFromEnv(envId)));
                }
            }
            throw new BadName("no such setting" + envSuggestion(envPrefix, tail, members) + "; " + envPrefix
                    + "<ID>_ is followed by one of: " + suffixes(members.get(0).prefix, SettingFamily::envSuffix)
                    + GatehouseConfig.SEE_DOCS);
        }
        return Optional.empty();
    }

    /** The suffixes of a prefix in documentation order, for messages. */
    private String suffixes(String prefix, Function<SettingFamily<?>, String> naming) {
        return families.stream().filter(f -> f.prefix.equals(prefix)).map(naming).collect(Collectors.joining(", "));
    }

    /** " (did you mean GATEHOUSE_OIDC_X_ISSUER?)" for the split of {@code tail} into id and a near suffix. */
    private static String envSuggestion(String envPrefix, String tail, List<SettingFamily<?>> members) {
        List<String> suffixes = members.stream().map(SettingFamily::envSuffix).toList();
        for (int i = tail.indexOf('_'); i > 0; i = tail.indexOf('_', i + 1)) {
            // The first split with a near suffix: the shortest id, as the longest-suffix rule reads names.
            String best = closest(tail.substring(i + 1), suffixes);
            if (best != null) {
                return " (did you mean " + envPrefix + tail.substring(0, i) + "_" + best + "?)";
            }
        }
        return "";
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
        String best = closest(unknown, all.stream().map(naming).toList());
        return best != null ? " (did you mean " + best + "?)" : "";
    }

    /** The candidate closest to {@code unknown}, if close enough to be a typo of it. */
    private static String closest(String unknown, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, unknown.length() / 4) ? best : null;
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
