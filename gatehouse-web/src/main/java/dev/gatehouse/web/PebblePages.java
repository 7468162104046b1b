package dev.gatehouse.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The default {@link PageRenderer}: Pebble templates (Jinja-like syntax, auto-escaping on). A
 * page named {@code gatehouse/login} is the template {@code gatehouse/login.html}, looked up in
 * <ol>
 *   <li>the {@code templates-folder} on the file system, if configured;</li>
 *   <li>{@code templates/} on the application's class path ({@code src/main/resources/templates});</li>
 *   <li>Gatehouse's own templates.</li>
 * </ol>
 * The first one found wins, so an application replaces any page, or the layout all pages extend
 * ({@code gatehouse/base.html}), by adding a template of the same name. Templates call
 * {@code msg('KEY')} or {@code msg('KEY', {'name': value})} for texts in the page's language.
 * Thread-safe; compiled templates are cached.
 */
final class PebblePages implements PageRenderer {

    static final String APPLICATION_PREFIX = "templates";
    static final String GATEHOUSE_PREFIX = "dev/gatehouse/web/templates";
    /** The model entry holding the page's {@link PageTexts}. */
    static final String TEXTS = "texts";

    private final PebbleEngine engine;

    PebblePages(Optional<Path> templatesFolder, ClassLoader applicationLoader, Locale defaultLocale) {
        this.engine = engine(templatesFolder, applicationLoader, defaultLocale, true);
    }

    /**
     * An engine finding templates where pages and emails are looked up: the {@code templates-folder},
     * then the application's {@code templates/}, then Gatehouse's. Auto-escaping for HTML; off only
     * for plain-text emails, which also keep every newline (HTML ignores them; text lives by them).
     */
    static PebbleEngine engine(Optional<Path> templatesFolder, ClassLoader applicationLoader, Locale defaultLocale,
            boolean html) {
        List<Loader<?>> loaders = new ArrayList<>();
        templatesFolder.ifPresent(folder -> loaders.add(new FileLoader(folder.toAbsolutePath().toString())));
        ClasspathLoader application = new ClasspathLoader(applicationLoader);
        application.setPrefix(APPLICATION_PREFIX);
        loaders.add(application);
        ClasspathLoader gatehouse = new ClasspathLoader(PebblePages.class.getClassLoader());
        gatehouse.setPrefix(GATEHOUSE_PREFIX);
        loaders.add(gatehouse);
        return new PebbleEngine.Builder()
                .loader(new DelegatingLoader(loaders))
                .autoEscaping(html)
                .newLineTrimming(html)
                .strictVariables(false)
                .defaultLocale(defaultLocale)
                .extension(new TextsExtension())
                .build();
    }

    /** Renders {@code template} (a name with its extension) with {@code model}. */
    static String render(PebbleEngine engine, String template, Map<String, Object> model) {
        PebbleTemplate compiled = engine.getTemplate(template);
        Object texts = model.get(TEXTS);
        Locale locale = texts instanceof PageTexts t ? t.locale() : Locale.ROOT;
        StringWriter out = new StringWriter(4096);
        try {
            compiled.evaluate(out, model, locale);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public String render(String page, Map<String, Object> model) {
        return render(engine, page + ".html", model);
    }

    /** {@code msg(key)} and {@code msg(key, parameters)}: texts in the page's language. */
    private static final class TextsExtension extends AbstractExtension {
        @Override
        public Map<String, Function> getFunctions() {
            return Map.of("msg", new MessageFunction());
        }
    }

    private static final class MessageFunction implements Function {
        @Override
        public List<String> getArgumentNames() {
            return List.of("key", "parameters");
        }

        @Override
        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
            String key = String.valueOf(args.get("key"));
            Object texts = context.getVariable(TEXTS);
            if (!(texts instanceof PageTexts pageTexts)) {
                return key;
            }
            Object parameters = args.get("parameters");
            if (parameters instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, ?> named = (Map<String, ?>) map;
                return pageTexts.format(key, named);
            }
            return pageTexts.resolve(key);
        }
    }
}
