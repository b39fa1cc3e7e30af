package dev.rollgate.archfixturetwo;

/** The made-up adapter that ArchitectureTest's violation reaches into. */
public class CloudTwoSecrets {
  public String value() {
    return "fixture";
  }
}
