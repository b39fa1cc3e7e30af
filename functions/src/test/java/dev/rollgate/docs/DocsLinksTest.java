package dev.rollgate.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link in README.md, CONTRIBUTING.md and docs/ leads somewhere that exists. */
class DocsLinksTest {

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void links_shouldResolve_whenTheyAreRelative() throws IOException {
    // GIVEN the repository's Markdown pages
    List<Path> pages = pages();
    assertTrue(pages.size() >= 10, "expected README, CONTRIBUTING and docs/, found " + pages);
    // WHEN every relative link and anchor is followed
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      String text = Files.readString(page);
      Matcher m = LINK.matcher(withoutCodeBlocks(text));
      while (m.find()) {
        String problem = check(page, m.group(1));
        if (problem != null) {
          broken.add(ROOT.relativize(page) + ": " + m.group(1) + ": " + problem);
        }
      }
    }
    // THEN none is broken
    assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
  }

  @Test
  void readme_shouldStayTheShortFrontDoor_whenTheReferenceLivesInDocs() throws IOException {
    // GIVEN / WHEN the README
    long lines = Files.readAllLines(ROOT.resolve("README.md")).size();
    // THEN it stays short; the reference belongs in docs/
    assertTrue(lines <= 250, "README.md has " + lines + " lines; move reference text to docs/");
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    if (Files.exists(ROOT.resolve("CONTRIBUTING.md"))) {
      pages.add(ROOT.resolve("CONTRIBUTING.md"));
    }
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  private static String check(Path page, String target) throws IOException {
    if (target.matches("^[a-z]+:.*")) {
      return null; // http:, https:, mailto: are not ours to check offline
    }
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
    if (!Files.exists(resolved)) {
      return "no such file " + ROOT.relativize(resolved);
    }
    if (anchor != null && resolved.toString().endsWith(".md")) {
      if (!anchors(Files.readString(resolved)).contains(anchor)) {
        return "no heading for #" + anchor + " in " + ROOT.relativize(resolved);
      }
    }
    return null;
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
  private static List<String> anchors(String markdown) {
    List<String> anchors = new ArrayList<>();
    for (String line : withoutCodeBlocks(markdown).split("\n")) {
      if (line.startsWith("#")) {
        String title = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
        anchors.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static String withoutCodeBlocks(String markdown) {
    return markdown.replaceAll("(?s)```.*?```", "");
  }
}
