package dev.gatehouse.web;

import java.util.Locale;

/**
 * Whether a client wants JSON or HTML, as Flask-Security decides: JSON when the request body is
 * JSON, or when {@code Accept} ranks {@code application/json} above {@code text/html} (ties, and
 * {@code *}{@code /*}, go to HTML).
 */
final class ContentNegotiation {

    private ContentNegotiation() {
    }

    static boolean wantsJson(WebRequest request) {
        String contentType = request.header("Content-Type").orElse("");
        if (isJson(contentType)) {
            return true;
        }
        String accept = request.header("Accept").orElse("");
        if (accept.isEmpty()) {
            return false;
        }
        return quality(accept, "application", "json") > quality(accept, "text", "html");
    }

    static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        String mime = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
    }

    /** The quality the Accept header gives {@code type/subtype}, using the most specific matching range. */
    static double quality(String accept, String type, String subtype) {
        double best = 0;
        int bestSpecificity = -1;
        for (String range : accept.split(",")) {
            // -1 keeps empty pieces, so a bare ";" range is an empty type, not an empty array.
            String[] parts = range.split(";", -1);
            String mime = parts[0].strip().toLowerCase(Locale.ROOT);
            int slash = mime.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String rangeType = mime.substring(0, slash);
            String rangeSubtype = mime.substring(slash + 1);
            int specificity;
            if (rangeType.equals(type) && rangeSubtype.equals(subtype)) {
                specificity = 2;
            } else if (rangeType.equals(type) && rangeSubtype.equals("*")) {
                specificity = 1;
            } else if (rangeType.equals("*") && rangeSubtype.equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                    // RFC 9110 qvalues lie in [0, 1]; NaN or Infinity must not win a comparison.
                    q = Double.isNaN(q) ? 0 : Math.max(0, Math.min(1, q));
                }
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                best = q;
            }
        }
        // A wildcard slightly below an exact match, so "application/json, */*" prefers JSON.
        return bestSpecificity == 2 ? best : best - 0.0001;
    }
}
