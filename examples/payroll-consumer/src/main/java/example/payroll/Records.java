package example.payroll;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** The fields of the two topics' records that the pay file needs, read from Avro generic records. */
final class Records {
  private Records() {}

  /** A scorecard of cs.appraisal.v1 (only what payroll needs). */
  record Card(String appraisalId, String staffId, String teamId, String role, String periodKind, String periodStart,
      String status, int revision, String grade, String computedAt, List<String> reasons) {

    String staffPeriod() {
      return staffId + "|" + periodKind + ":" + periodStart;
    }
  }

  /** A record of cs.incentive-eligibility.v1, with the Kafka timestamp it was published at. */
  record Eligibility(String eligibilityId, String appraisalId, String staffId, String periodKind, String periodStart,
      double bonusCoefficient, List<String> awards, List<String> vetoReasons, long timestamp) {

    String staffPeriod() {
      return staffId + "|" + periodKind + ":" + periodStart;
    }
  }

  static Card card(GenericRecord r) {
    GenericRecord period = (GenericRecord) r.get("period");
    return new Card(str(r, "appraisalId"), str(r, "staffId"), str(r, "teamId"), str(r, "role"), str(period, "kind"),
        str(period, "start"), str(r, "status"), (Integer) r.get("revision"), str(r, "grade"), str(r, "computedAt"),
        reasons(r));
  }

  static Eligibility eligibility(GenericRecord r, long timestamp) {
    GenericRecord period = (GenericRecord) r.get("period");
    return new Eligibility(str(r, "eligibilityId"), str(r, "appraisalId"), str(r, "staffId"), str(period, "kind"),
        str(period, "start"), ((Number) r.get("bonusCoefficient")).doubleValue(), strings(r.get("awards")),
        strings(r.get("vetoReasons")), timestamp);
  }

  /** Appraisal v3's corrections as export writes them; a v1/v2 card (no field) has none. */
  private static List<String> reasons(GenericRecord card) {
    List<String> out = new ArrayList<>();
    Schema.Field field = card.getSchema().getField("reasons");
    if (field == null || card.get("reasons") == null) return out;
    for (Object o : (List<?>) card.get("reasons")) {
      GenericRecord x = (GenericRecord) o;
      out.add(str(x, "correctionId") + " " + str(x, "kind") + ": " + str(x, "reason") + " (requested "
          + str(x, "requestedBy") + ", approved " + str(x, "approvedBy") + ")");
    }
    return out;
  }

  /** Avro strings arrive as Utf8 and enums as EnumSymbol: both print as their text. */
  private static String str(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    if (list != null) for (Object o : (List<?>) list) out.add(o.toString());
    return out;
  }
}
