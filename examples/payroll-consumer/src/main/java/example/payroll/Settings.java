package example.payroll;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the program is told, from arguments (--name value) first, then the environment. Every
 * setting is checked before anything connects, and a bad one is named in the error (exit 2).
 */
record Settings(
    String brokers,
    String registryUrl,
    String eligibilityTopic,
    String appraisalTopic,
    YearMonth month,
    String out,
    Instant explicitCutoff,
    ZoneId timeZone,
    long closeGraceMinutes,
    long cutoffHours,
    long clockOffsetSeconds) {

  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  static final String USAGE = String.join("\n",
      "Usage: java -jar payroll-consumer.jar --period MONTH:YYYY-MM [--out FILE] [--cutoff ISO-TIME]",
      "  [--brokers HOST:PORT,...] [--registry URL] [--eligibility-topic NAME] [--appraisal-topic NAME]",
      "Environment (an argument wins): KAFKA_BROKERS (127.0.0.1:19092), SCHEMA_REGISTRY_URL (required,",
      "  the Confluent-compatible base, e.g. http://127.0.0.1:18081/apis/ccompat/v7), CS_TOPIC_ELIGIBILITY",
      "  (cs.incentive-eligibility.v1), CS_TOPIC_APPRAISAL (cs.appraisal.v1), PAYROLL_PERIOD, CS_TIMEZONE",
      "  (Asia/Shanghai), PAYROLL_CLOSE_GRACE_MINUTES (4320), CS_PAYROLL_CUTOFF_HOURS (24),",
      "  CS_CLOCK_OFFSET_SECONDS (0).");

  private static final Set<String> OPTIONS = Set.of("period", "out", "cutoff", "brokers", "registry", "eligibility-topic", "appraisal-topic");
  private static final Pattern MONTH = Pattern.compile("^MONTH:(\\d{4})-(\\d{2})$", Pattern.CASE_INSENSITIVE);
  private static final Pattern CUTOFF = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$", Pattern.CASE_INSENSITIVE);

  static Settings parse(String[] args, Map<String, String> env) throws Invalid {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!OPTIONS.contains(name)) throw new Invalid("unknown argument \"" + args[i] + "\"");
      if (i + 1 >= args.length) throw new Invalid("--" + name + " needs a value");
      a.put(name, args[++i]);
    }
    Function<String, String> arg = a::get;
    String brokers = pick(arg.apply("brokers"), env.get("KAFKA_BROKERS"), "127.0.0.1:19092");
    String registry = pick(arg.apply("registry"), env.get("SCHEMA_REGISTRY_URL"), null);
    if (registry == null || !registry.matches("^https?://[^/]+.*/apis/ccompat/v7/?$")) {
      throw new Invalid("SCHEMA_REGISTRY_URL (or --registry): set it to the registry's Confluent-compatible base, e.g. http://127.0.0.1:18081/apis/ccompat/v7; got " + registry);
    }
    String period = pick(arg.apply("period"), env.get("PAYROLL_PERIOD"), null);
    Matcher m = period == null ? null : MONTH.matcher(period.trim());
    if (m == null || !m.matches()) throw new Invalid("--period (or PAYROLL_PERIOD): use MONTH:YYYY-MM, e.g. MONTH:2026-10; got " + period);
    int mm = Integer.parseInt(m.group(2));
    if (mm < 1 || mm > 12) throw new Invalid("--period: month " + m.group(2) + " does not exist");
    YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), mm);
    ZoneId zone;
    try {
      zone = ZoneId.of(pick(null, env.get("CS_TIMEZONE"), "Asia/Shanghai"));
    } catch (RuntimeException e) {
      throw new Invalid("CS_TIMEZONE: unknown IANA time zone " + env.get("CS_TIMEZONE"));
    }
    String out = arg.apply("out");
    if (out != null && out.isEmpty()) throw new Invalid("--out: name a file");
    return new Settings(
        brokers,
        registry.replaceAll("/$", ""),
        pick(arg.apply("eligibility-topic"), env.get("CS_TOPIC_ELIGIBILITY"), "cs.incentive-eligibility.v1"),
        pick(arg.apply("appraisal-topic"), env.get("CS_TOPIC_APPRAISAL"), "cs.appraisal.v1"),
        month,
        out,
        cutoff(arg.apply("cutoff")),
        zone,
        number("PAYROLL_CLOSE_GRACE_MINUTES", env, 4320, 0, 60L * 24 * 31),
        number("CS_PAYROLL_CUTOFF_HOURS", env, 24, 0, 744),
        number("CS_CLOCK_OFFSET_SECONDS", env, 0, Long.MIN_VALUE, Long.MAX_VALUE));
  }

  /** The Apicurio v3 REST API of the same registry: the serde client speaks it, not ccompat. */
  String registryApiUrl() {
    return registryUrl.replaceAll("/apis/ccompat/v7$", "/apis/registry/v3");
  }

  /** YYYY-MM-01, as the records' period.start. */
  String periodStart() {
    return month.atDay(1).toString();
  }

  String periodLabel() {
    return "MONTH:" + month;
  }

  /** As cs-appraisal export: --cutoff, else the month's end + close grace + the payroll hours. */
  Instant cutoff() {
    if (explicitCutoff != null) return explicitCutoff;
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay(timeZone).toInstant();
    return end.plusSeconds(closeGraceMinutes * 60 + cutoffHours * 3600);
  }

  private static String pick(String fromArg, String fromEnv, String fallback) {
    if (fromArg != null) return fromArg;
    if (fromEnv != null && !fromEnv.isEmpty()) return fromEnv;
    return fallback;
  }

  private static Instant cutoff(String text) throws Invalid {
    if (text == null) return null;
    try {
      if (CUTOFF.matcher(text).matches()) return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      // falls through to the error below
    }
    throw new Invalid("--cutoff: use an ISO time with its zone, e.g. 2026-11-05T00:00:00+08:00; got " + text);
  }

  private static long number(String name, Map<String, String> env, long fallback, long min, long max) throws Invalid {
    String v = env.get(name);
    if (v == null || v.isEmpty()) return fallback;
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new Invalid(name + ": expected a whole number" + (min == Long.MIN_VALUE ? "" : " from " + min + " to " + max) + "; got " + v);
  }
}
