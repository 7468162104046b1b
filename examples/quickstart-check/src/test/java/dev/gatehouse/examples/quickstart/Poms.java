package dev.gatehouse.examples.quickstart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The repository's files, and the few parts of a POM the consistency tests read. */
final class Poms {

    /** The repository's root: tests run in examples/quickstart-check. */
    static final Path ROOT = Path.of("").toAbsolutePath().resolve("../..").normalize();

    private Poms() {
    }

    static Element read(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(pom.toFile());
            return document.getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new AssertionError("cannot read " + pom, e);
        }
    }

    /** The direct child elements of {@code parent} named {@code name}. */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    /** The element at {@code path} below {@code parent}, each step the first child of that name. */
    static Optional<Element> child(Element parent, String... path) {
        Element current = parent;
        for (String step : path) {
            List<Element> next = children(current, step);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get(0);
        }
        return Optional.of(current);
    }

    /** The trimmed text at {@code path} below {@code parent}, if there is an element there. */
    static Optional<String> text(Element parent, String... path) {
        return child(parent, path).map(e -> e.getTextContent().strip());
    }
}
