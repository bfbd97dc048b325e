package example.payroll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Entry point: read both topics to their end, write the month's pay file, print the trailer, exit. */
public final class PayrollConsumer {
  private PayrollConsumer() {}

  public static void main(String[] args) {
    Settings s;
    try {
      s = Settings.parse(args, System.getenv());
    } catch (Settings.Invalid e) {
      System.err.println("payroll-consumer: " + e.getMessage() + "\n" + Settings.USAGE);
      System.exit(2);
      return;
    }
    try {
      PayFile file = run(s);
      if (s.out() == null) System.out.print(file.csv);
      else Files.writeString(Path.of(s.out()), file.csv, StandardCharsets.UTF_8);
      System.err.println("payroll-consumer: " + s.periodLabel() + " rows=" + file.rows + " adjustments=" + file.adjustments
          + " provisional=" + file.provisional + " cutoff=" + s.cutoff() + " sha256=" + file.sha256());
      System.exit(0);
    } catch (IOException | RuntimeException e) {
      System.err.println("payroll-consumer: failed: " + e);
      System.exit(1);
    }
  }

  static PayFile run(Settings s) {
    Latest latest = new Latest();
    String start = s.periodStart();
    try (TopicReader reader = new TopicReader(s)) {
      reader.readAll(s.appraisalTopic(), r -> {
        Records.Card c = Records.card(r.value());
        if (c.periodKind().equals("MONTH") && c.periodStart().equals(start)) latest.card(c);
      });
      reader.readAll(s.eligibilityTopic(), r -> {
        Records.Eligibility e = Records.eligibility(r.value(), r.timestamp());
        if (e.periodKind().equals("MONTH") && e.periodStart().equals(start)) latest.eligibility(e);
      });
    }
    Instant cutoff = s.cutoff();
    return PayFile.of(latest, cutoff, s.clockOffsetSeconds());
  }
}
