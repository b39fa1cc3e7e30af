package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RevisionSuffixesTest {

  @Test
  void revisionName_shouldBeAppDashDashRgId_whenTheIdIsPlain() {
    // GIVEN / WHEN / THEN
    assertEquals("shop--rg-d-1", RevisionSuffixes.revisionName("shop", "d-1"));
    assertTrue(RevisionSuffixes.rollgates("shop", "shop--rg-d-1"));
    assertFalse(RevisionSuffixes.rollgates("shop", "shop--x7f2k1a"));
  }

  @Test
  void suffix_shouldStayValidAndDistinct_whenIdsHaveOtherCharactersOrAreLong() {
    // GIVEN ids with upper case, '_', ':' and a long one
    String a = RevisionSuffixes.suffix("shop", "Shop_Staging:2026-12-04T10:00");
    String b = RevisionSuffixes.suffix("shop", "shop_staging:2026-12-04T10:00");
    String longId = "x".repeat(80);

    // WHEN
    String c = RevisionSuffixes.suffix("shop", longId);

    // THEN lower-case letters, digits and single '-', within the bound, distinct
    for (String s : new String[] {a, b, c}) {
      assertTrue(s.matches("rg-[a-z0-9]+(-[a-z0-9]+)*"), s);
      assertTrue(("shop--" + s).length() <= RevisionSuffixes.MAX_NAME, s);
    }
    assertNotEquals(a, b);
    assertEquals(c, RevisionSuffixes.suffix("shop", longId));
  }
}
