package dev.gatehouse.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every user-facing text of Gatehouse — JSON error messages as well as page titles, labels and
 * buttons — looked up by key in a language. Keys mirror Flask-Security's {@code SECURITY_MSG_*}
 * settings ({@code INVALID_PASSWORD}, {@code UNAUTHENTICATED}, ...); page texts use the prefixes
 * {@code TITLE_}, {@code LABEL_}, {@code BUTTON_}, {@code LINK_} and {@code TEXT_}.
 *
 * <h2>Where texts come from</h2>
 * Gatehouse bundles English ({@code messages.properties}), German and French; the texts of emails
 * and durations ({@code EMAIL_*}, {@code DURATION_*}) come from the core's bundle
 * {@code dev/gatehouse/mail/mail.properties}, which its plain-text composer reads too, so they are
 * written once and overridden here like any text. For a lookup in,
 * say, {@code de-CH}, the levels {@code de-CH}, {@code de} and then the untranslated default are
 * tried in turn, and within each level, in this order:
 * <ol>
 *   <li>overrides given in code ({@link #with(String, String)}) or read from a file
 *       ({@link #withFile(Path)}, the {@code messages-file} setting);</li>
 *   <li>the application's own bundles ({@link #withBundle(String)}), so its pages can use the
 *       same mechanism for their texts;</li>
 *   <li>Gatehouse's bundles: the web layer's, then the core's email texts.</li>
 * </ol>
 * So the most specific language always wins: an application that overrides an English text but
 * not its German translation still shows German visitors Gatehouse's German text. An
 * English-only application should set {@code supported-locales} to {@code en}.
 *
 * <p>Texts may name parameters in braces, {@code {email}}, filled by {@link #format}. Values are
 * inserted as they are; pages escape the result, so texts are plain text, not HTML.
 *
 * <p>Immutable and thread-safe; bundles are read once, on first use of a language.
 */
public final class Messages {

    static final String GATEHOUSE_BUNDLE = "dev.gatehouse.web.messages";
    static final String MAIL_BUNDLE = "dev.gatehouse.mail.mail";
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    /** Overrides by language tag; "" is the untranslated default. */
    private final Map<String, Map<String, String>> overrides;
    /** Application bundles first, Gatehouse's last. */
    private final List<Bundle> bundles;
    /** Bundle levels already read, by resource: bundles never change at run time. */
    private final Map<Bundle, Map<String, Map<String, String>>> bundleCache = new ConcurrentHashMap<>();

    /** A properties bundle and the class loader that sees it. */
    private record Bundle(String baseName, ClassLoader loader) {
    }

    private static final Bundle GATEHOUSE = new Bundle(GATEHOUSE_BUNDLE, Messages.class.getClassLoader());
    /** The emails' texts, shared with the core's {@link dev.gatehouse.mail.BuiltInMailComposer}. */
    private static final Bundle GATEHOUSE_MAIL = new Bundle(MAIL_BUNDLE, Messages.class.getClassLoader());
    /** Gatehouse's own bundles, consulted after the application's. */
    private static final List<Bundle> BUILT_IN = List.of(GATEHOUSE, GATEHOUSE_MAIL);

    private Messages(Map<String, Map<String, String>> overrides, List<Bundle> bundles) {
        Map<String, Map<String, String>> copy = new HashMap<>();
        overrides.forEach((tag, texts) -> copy.put(tag, Map.copyOf(texts)));
        this.overrides = Map.copyOf(copy);
        this.bundles = List.copyOf(bundles);
    }

    /** Gatehouse's bundled texts. */
    public static Messages defaults() {
        return new Messages(Map.of(), BUILT_IN);
    }

    /** The bundled texts with {@code overrides} (key to text) replacing the untranslated defaults. */
    public Messages(Map<String, String> overrides) {
        this(Map.of("", overrides), BUILT_IN);
    }

    /** These texts with the untranslated default of {@code key} replaced. */
    public Messages with(String key, String text) {
        return with(Locale.ROOT, key, text);
    }

    /** These texts with {@code key} replaced in {@code language} (e.g. {@code Locale.GERMAN}). */
    public Messages with(Locale language, String key, String text) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
        Map<String, Map<String, String>> copy = new HashMap<>(overrides);
        Map<String, String> level = new HashMap<>(copy.getOrDefault(tag(language), Map.of()));
        level.put(key, text);
        copy.put(tag(language), level);
        return new Messages(copy, bundles);
    }

    /**
     * These texts with an application bundle consulted before Gatehouse's: {@code baseName} like
     * {@code com.example.messages} names {@code com/example/messages.properties} and its
     * translations {@code messages_de.properties}, ... on the class path (UTF-8).
     */
    public Messages withBundle(String baseName) {
        return withBundle(baseName, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : Messages.class.getClassLoader());
    }

    /** {@link #withBundle(String)} with the class loader that sees the bundle. */
    public Messages withBundle(String baseName, ClassLoader loader) {
        List<Bundle> all = new ArrayList<>(bundles);
        all.add(all.size() - BUILT_IN.size(), new Bundle(Objects.requireNonNull(baseName, "baseName"), Objects.requireNonNull(loader, "loader")));
        return new Messages(overrides, all);
    }

    /**
     * These texts with overrides read from a properties file (UTF-8) and its translations beside
     * it: {@code messages.properties} replaces untranslated defaults, {@code messages_de.properties}
     * German texts, and so on. The {@code messages-file} setting.
     *
     * @throws UncheckedIOException if {@code file} cannot be read
     */
    public Messages withFile(Path file) {
        Objects.requireNonNull(file, "file");
        Map<String, Map<String, String>> copy = new HashMap<>(overrides);
        merge(copy, "", read(file).orElseThrow(() -> new UncheckedIOException(
                new NoSuchFileException(file.toString(), null, "the messages-file does not exist"))));
        String name = file.getFileName().toString();
        String stem = name.endsWith(".properties") ? name.substring(0, name.length() - ".properties".length()) : name;
        Path folder = file.toAbsolutePath().getParent();
        try (var siblings = Files.list(folder)) {
            for (Path sibling : (Iterable<Path>) siblings::iterator) {
                String sibName = sibling.getFileName().toString();
                if (sibName.startsWith(stem + "_") && sibName.endsWith(".properties")) {
                    String tag = sibName.substring(stem.length() + 1, sibName.length() - ".properties".length())
                            .replace('_', '-');
                    read(sibling).ifPresent(texts -> merge(copy, Locale.forLanguageTag(tag).toLanguageTag(), texts));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the folder of the messages-file " + file, e);
        }
        return new Messages(copy, bundles);
    }

    /** The untranslated default text of {@code key}; the key itself if there is none. */
    public String get(String key) {
        return get(key, Locale.ROOT);
    }

    /**
     * The text of {@code key} in {@code language}, falling back to less specific languages and
     * finally the untranslated default; the key itself if there is none at all, so a missing
     * text is visible but harmless.
     */
    public String get(String key, Locale language) {
        return find(key, language).orElse(key);
    }

    /** Whether any level has a text for {@code key}. */
    public boolean has(String key) {
        return find(key, Locale.ROOT).isPresent();
    }

    /** The text of {@code key} in {@code language} with its {@code {name}} parameters filled in. */
    public String format(String key, Locale language, Map<String, ?> parameters) {
        String text = get(key, language);
        if (parameters.isEmpty() || text.indexOf('{') < 0) {
            return text;
        }
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = parameters.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Optional<String> find(String key, Locale language) {
        for (String tag : levels(language)) {
            Map<String, String> overridden = overrides.get(tag);
            if (overridden != null && overridden.containsKey(key)) {
                return Optional.of(overridden.get(key));
            }
            for (Bundle bundle : bundles) {
                String text = bundleLevel(bundle, tag).get(key);
                if (text != null) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code de-CH} to {@code [de-CH, de, ""]}. */
    static List<String> levels(Locale language) {
        List<String> levels = new ArrayList<>(3);
        String tag = tag(language);
        while (!tag.isEmpty()) {
            levels.add(tag);
            int dash = tag.lastIndexOf('-');
            tag = dash < 0 ? "" : tag.substring(0, dash);
        }
        levels.add("");
        return levels;
    }

    private static String tag(Locale language) {
        return Objects.requireNonNull(language, "language").equals(Locale.ROOT) ? "" : language.toLanguageTag();
    }

    private Map<String, String> bundleLevel(Bundle bundle, String tag) {
        String resource = bundle.baseName().replace('.', '/') + (tag.isEmpty() ? "" : "_" + tag.replace('-', '_')) + ".properties";
        return bundleCache.computeIfAbsent(bundle, b -> new ConcurrentHashMap<>()).computeIfAbsent(resource, k -> {
            try (InputStream in = bundle.loader().getResourceAsStream(resource)) {
                return in == null ? Map.of() : load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        });
    }

    private static Optional<Map<String, String>> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return Optional.of(load(reader));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the messages file " + file, e);
        }
    }

    private static Map<String, String> load(Reader reader) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            texts.put(name, properties.getProperty(name));
        }
        return Map.copyOf(texts);
    }

    private static void merge(Map<String, Map<String, String>> into, String tag, Map<String, String> texts) {
        Map<String, String> level = new HashMap<>(into.getOrDefault(tag, Map.of()));
        level.putAll(texts);
        into.put(tag, level);
    }
}
