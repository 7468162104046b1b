package dev.gatehouse.web;

import java.util.List;
import java.util.Map;

/**
 * Plain, dependency-free pages for the endpoints of the web layer: a sign-in form, a
 * re-authentication form and an error page. Every model value is HTML-escaped.
 */
final class BuiltInPages implements PageRenderer {

    @Override
    public String render(String page, Map<String, Object> model) {
        return switch (page) {
            case "login" -> document("Sign in", form(model, "login", true));
            case "verify" -> document("Confirm it is you", form(model, "verify", false));
            default -> document(text(model, "title", "Error"), "<p>" + escape(text(model, "message", "")) + "</p>");
        };
    }

    private static String form(Map<String, Object> model, String name, boolean withIdentity) {
        StringBuilder html = new StringBuilder();
        html.append(errors(model.get("errors")));
        html.append("<form method=\"post\" action=\"").append(escape(text(model, "action", ""))).append("\">\n");
        html.append("<input type=\"hidden\" name=\"csrf_token\" value=\"").append(escape(text(model, "csrf_token", ""))).append("\">\n");
        String next = text(model, "next", "");
        if (!next.isEmpty()) {
            html.append("<input type=\"hidden\" name=\"next\" value=\"").append(escape(next)).append("\">\n");
        }
        if (withIdentity) {
            html.append("<p><label for=\"email\">Email</label><br>")
                    .append("<input id=\"email\" name=\"email\" type=\"text\" autocomplete=\"username\" required value=\"")
                    .append(escape(text(model, "email", ""))).append("\"></p>\n");
        }
        html.append("<p><label for=\"password\">Password</label><br>")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\n");
        if (withIdentity) {
            html.append("<p><input id=\"remember\" name=\"remember\" type=\"checkbox\" value=\"y\"> ")
                    .append("<label for=\"remember\">Remember me</label></p>\n");
        }
        html.append("<p><button type=\"submit\">").append(name.equals("login") ? "Sign in" : "Confirm").append("</button></p>\n</form>\n");
        return html.toString();
    }

    private static String errors(Object errors) {
        if (!(errors instanceof List<?> list) || list.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<ul role=\"alert\">\n");
        for (Object error : list) {
            html.append("<li>").append(escape(String.valueOf(error))).append("</li>\n");
        }
        return html.append("</ul>\n").toString();
    }

    private static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n</head>\n<body>\n<main>\n<h1>" + escape(title) + "</h1>\n" + body + "</main>\n</body>\n</html>\n";
    }

    private static String text(Map<String, Object> model, String key, String fallback) {
        Object value = model.get(key);
        return value == null ? fallback : value.toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
