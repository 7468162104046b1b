package dev.gatehouse.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README shows the quickstart's code as it is, so the snippet cannot rot (issue 14, point 2). */
class QuickstartReadmeTest {

    private static final Path QUICKSTART = Poms.ROOT.resolve("examples/quickstart/src/main/java/com/example/Quickstart.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("^```java\\n(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE);

    @Test
    void readmeShowsTheQuickstartFileAsItIs() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(Poms.ROOT.resolve("README.md")));
        List<String> quickstartBlocks = blocks.stream().filter(b -> b.contains("class Quickstart")).toList();

        assertThat(quickstartBlocks).as("README's java blocks showing class Quickstart").hasSize(1);
        assertThat(normalized(quickstartBlocks.get(0)))
                .as("README's quickstart block must equal %s (whitespace aside): copy the file into README.md",
                        Poms.ROOT.relativize(QUICKSTART))
                .isEqualTo(normalized(Files.readString(QUICKSTART)));
    }

    @Test
    void comparisonSeesChangesBeyondWhitespace() {
        assertThat(normalized("a  b\n\n  c\t")).isEqualTo(normalized(" a b c"));
        assertThat(normalized("a.b(c)")).isNotEqualTo(normalized("a.b(d)"));
        assertThat(javaBlocks("x\n```java\nclass A {}\n```\n```sh\nls\n```\n```java\nB\n```\n"))
                .containsExactly("class A {}\n", "B\n");
    }

    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown.replace("\r\n", "\n"));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    static String normalized(String code) {
        return code.strip().replaceAll("\\s+", " ");
    }
}
