package example.payroll;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The month's pay file, byte for byte what `cs-appraisal export --format csv` writes: RFC 4180,
 * CRLF line ends, one header line, one row per staff member whose latest card is FINAL or
 * REVISED, sorted by team then staff, lists joined with ";".
 */
final class PayFile {
  static final List<String> COLUMNS = List.of("staff", "team", "role", "grade", "coefficient", "awards", "veto", "status", "revision", "reasons", "adjustment");

  final String csv;
  final int rows;
  final int adjustments;
  final int provisional;

  private PayFile(String csv, int rows, int adjustments, int provisional) {
    this.csv = csv;
    this.rows = rows;
    this.adjustments = adjustments;
    this.provisional = provisional;
  }

  static PayFile of(Latest latest, Instant cutoff, long clockOffsetSeconds) {
    List<Records.Card> payable = new ArrayList<>();
    int provisional = 0;
    for (Records.Card c : latest.cards()) {
      if (c.status().equals("PROVISIONAL")) provisional++;
      else payable.add(c);
    }
    payable.sort(Comparator.comparing(Records.Card::teamId).thenComparing(Records.Card::staffId));
    StringBuilder out = new StringBuilder(line(COLUMNS));
    int adjustments = 0;
    for (Records.Card c : payable) {
      Records.Eligibility e = latest.eligibilityOf(c.staffPeriod());
      // Kafka timestamps are the wall clock; computedAt and the cut-off are on the project's clock.
      boolean late = instant(c.computedAt()).isAfter(cutoff)
          || (e != null && Instant.ofEpochMilli(e.timestamp()).plusSeconds(clockOffsetSeconds).isAfter(cutoff));
      if (late) adjustments++;
      out.append(line(List.of(c.staffId(), c.teamId(), c.role(), c.grade(),
          e == null ? "" : jsNumber(e.bonusCoefficient()), e == null ? "" : String.join(";", e.awards()),
          e == null ? "" : String.join(";", e.vetoReasons()), c.status(), Integer.toString(c.revision()),
          String.join("; ", c.reasons()), late ? "yes" : "no")));
    }
    return new PayFile(out.toString(), payable.size(), adjustments, provisional);
  }

  String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(csv.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A number as JavaScript's String(n) writes it (1 not 1.0, 0.8 not 0.8000000000000001 unless it is). */
  static String jsNumber(double d) {
    if (d == 0) return "0";
    if (d == Math.rint(d) && Math.abs(d) < 1e21) return Long.toString((long) d);
    if (Math.abs(d) >= 1e-6 && Math.abs(d) < 1e21) return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    return Double.toString(d); // out of a coefficient's range; JS would write an exponent too
  }

  private static Instant instant(String iso) {
    return OffsetDateTime.parse(iso).toInstant();
  }

  private static String line(List<String> fields) {
    List<String> quoted = new ArrayList<>();
    for (String f : fields) quoted.add(field(f));
    return String.join(",", quoted) + "\r\n";
  }

  private static String field(String v) {
    return v.matches("(?s).*[\",\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
