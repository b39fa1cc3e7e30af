package dev.rollgate.core.manifest;

import java.util.List;

/** The manifest is invalid; each problem names its path in the file and what is wrong. */
public class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ManifestException(String source, List<String> problems) {
    super(
        source
            + " is invalid ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n  "
            + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
