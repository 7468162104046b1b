package dev.gatehouse.web;

import dev.gatehouse.token.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The stylesheet of the default pages, served by Gatehouse itself (no CDN, works offline) at
 * {@code <url-prefix>/gatehouse/static/gatehouse.css}. Pages link it with a content hash
 * ({@code ?v=...}), so browsers may keep it for a year and still see a new version at once.
 */
final class StaticAssets {

    static final String STYLESHEET_PATH = "/gatehouse/static/gatehouse.css";
    private static final String RESOURCE = "dev/gatehouse/web/static/gatehouse.css";

    private final String stylesheet;
    private final String version;
    private final String path;

    StaticAssets(String urlPrefix) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            byte[] bytes = in.readAllBytes();
            this.stylesheet = new String(bytes, StandardCharsets.UTF_8);
            this.version = HexFormat.of().formatHex(Sha256.digest(bytes), 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.path = urlPrefix + STYLESHEET_PATH;
    }

    /** The path to mount. */
    String path() {
        return path;
    }

    /** The URL pages link to: the path with the content hash. */
    String stylesheetUrl() {
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
        response.body("text/css; charset=utf-8", stylesheet);
    }
}
