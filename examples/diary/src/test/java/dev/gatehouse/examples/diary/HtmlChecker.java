package dev.gatehouse.examples.diary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nu.validator.client.EmbeddedValidator;
import org.xml.sax.SAXException;

/**
 * The W3C's Nu HTML Checker (vnu), run in-process and offline on a page's markup: what
 * validator.w3.org/nu reports, without the network.
 */
final class HtmlChecker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlChecker() {
    }

    /** Every error and warning in {@code html}, as "line N: message"; empty for a valid page. */
    static List<String> problems(String html) {
        EmbeddedValidator validator = new EmbeddedValidator();
        validator.setOutputFormat(EmbeddedValidator.OutputFormat.JSON);
        validator.setNoLangDetect(true);
        try {
            String report = validator.validate(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
            List<String> problems = new ArrayList<>();
            for (JsonNode message : JSON.readTree(report).path("messages")) {
                String type = message.path("type").asText();
                String subtype = message.path("subType").asText();
                if (type.equals("error") || type.equals("non-document-error") || subtype.equals("warning")) {
                    problems.add("line " + message.path("lastLine").asText() + ": " + type
                            + (subtype.isEmpty() ? "" : "/" + subtype) + ": " + message.path("message").asText());
                }
            }
            return problems;
        } catch (IOException | SAXException e) {
            throw new IllegalStateException("the HTML checker failed", e);
        }
    }
}
