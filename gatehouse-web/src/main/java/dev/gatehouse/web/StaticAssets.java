package dev.gatehouse.web;

import dev.gatehouse.token.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A file of the default pages served by Gatehouse itself (no CDN, works offline) at
 * {@code <url-prefix>/gatehouse/static/<name>}: the stylesheet {@code gatehouse.css}, and the
 * scripts features add ({@link PageScript}). Pages link it with a content hash ({@code ?v=...}),
 * so browsers may keep it for a year and still see a new version at once.
 */
final class StaticAssets {

    static final String FOLDER = "/gatehouse/static/";
    static final String STYLESHEET_PATH = FOLDER + "gatehouse.css";
    private static final String STYLESHEET = "dev/gatehouse/web/static/gatehouse.css";

    private final String body;
    private final String contentType;
    private final String version;
    private final String path;

    private StaticAssets(String path, String contentType, byte[] content) {
        this.path = path;
        this.contentType = contentType;
        this.body = new String(content, StandardCharsets.UTF_8);
        this.version = HexFormat.of().formatHex(Sha256.digest(content), 0, 6);
    }

    /** Gatehouse's stylesheet. */
    StaticAssets(String urlPrefix) {
        this(urlPrefix + STYLESHEET_PATH, "text/css; charset=utf-8", read(StaticAssets.class.getClassLoader(), STYLESHEET));
    }

    /** A feature's script, found with the feature's class loader and served under its file name. */
    static StaticAssets script(String urlPrefix, ClassLoader loader, String resource) {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        if (!name.endsWith(".js")) {
            throw new IllegalArgumentException("a page script must be a .js file: " + resource);
        }
        return new StaticAssets(urlPrefix + FOLDER + name, "text/javascript; charset=utf-8", read(loader, resource));
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path to mount. */
    String path() {
        return path;
    }

    /** The URL pages link to: the path with the content hash. */
    String versionedUrl() {
        return path + "?v=" + version;
    }

    void serve(WebRequest request, WebResponse response) {
        String etag = "\"" + version + "\"";
        boolean current = request.queryParam("v").map(version::equals).orElse(false);
        response.header("ETag", etag);
        response.header("X-Content-Type-Options", "nosniff");
        // The versioned URL never changes content; any other URL must be revalidated.
        response.header("Cache-Control", current ? "public, max-age=31536000, immutable" : "no-cache");
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isPresent() && (ifNoneMatch.get().equals(etag) || ifNoneMatch.get().equals("W/" + etag))) {
            response.status(304);
            return;
        }
        response.status(200);
        response.body(contentType, body);
    }
}
