package dev.rollgate.archfixtureone;

import dev.rollgate.archfixturetwo.CloudTwoSecrets;

/** A deliberate violation for ArchitectureTest: one made-up adapter reaching into another. */
public class CloudOnePlatform {
  public String secret() {
    return new CloudTwoSecrets().value();
  }
}
