package example.payroll;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The latest card and eligibility record of every staff-period of one month, idempotently: a
 * record read again (a duplicate, or a replay of the topic) changes nothing. Cards order by
 * revision, then status (PROVISIONAL < FINAL < REVISED), then computedAt, as the scorer numbers
 * them. Eligibility carries no revision of its own: it ranks by the card it derives from
 * (appraisalId), so a REVISED's eligibility replaces the FINAL's and an old FINAL's record read
 * again later does not win back; within one card, the later new eligibilityId wins (an award that
 * moved gives a new record without a new card), and an eligibilityId already seen is ignored.
 */
final class Latest {
  private final Map<String, Records.Card> cards = new HashMap<>();
  /** every card's rank by appraisalId, so eligibility read before its card still ranks right */
  private final Map<String, Records.Card> cardById = new HashMap<>();
  /** per staff-period: eligibilityId -> record, in first-read order */
  private final Map<String, LinkedHashMap<String, Records.Eligibility>> eligibility = new HashMap<>();

  void card(Records.Card c) {
    cardById.putIfAbsent(c.appraisalId(), c);
    Records.Card prev = cards.get(c.staffPeriod());
    if (prev == null || newer(c, prev)) cards.put(c.staffPeriod(), c);
  }

  void eligibility(Records.Eligibility e) {
    eligibility.computeIfAbsent(e.staffPeriod(), k -> new LinkedHashMap<>()).putIfAbsent(e.eligibilityId(), e);
  }

  Collection<Records.Card> cards() {
    return cards.values();
  }

  /** The eligibility record of the staff-period that payroll pays, or null when there is none yet. */
  Records.Eligibility eligibilityOf(String staffPeriod) {
    Records.Eligibility best = null;
    for (Records.Eligibility e : eligibility.getOrDefault(staffPeriod, new LinkedHashMap<>()).values()) {
      if (best == null || !olderCard(e.appraisalId(), best.appraisalId())) best = e;
    }
    return best;
  }

  static boolean newer(Records.Card a, Records.Card b) {
    if (a.revision() != b.revision()) return a.revision() > b.revision();
    if (!a.status().equals(b.status())) return statusRank(a.status()) > statusRank(b.status());
    return a.computedAt().compareTo(b.computedAt()) >= 0;
  }

  /** True when the card of `a` is strictly older than the card of `b` (unknown cards tie). */
  private boolean olderCard(String a, String b) {
    Records.Card ca = cardById.get(a);
    Records.Card cb = cardById.get(b);
    if (ca == null || cb == null || Objects.equals(a, b)) return false;
    return newer(cb, ca) && !newer(ca, cb);
  }

  private static int statusRank(String status) {
    return List.of("PROVISIONAL", "FINAL", "REVISED").indexOf(status);
  }
}
