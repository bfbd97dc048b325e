// npm run bench:contracts — decode and decode+validate throughput on one core, with JSON.parse on
// the same events for reference. Not a test: prints numbers (target: decode+validate >= 500k/s).
import { buildKindSchemas, createCodecs, KIND_TOPIC, type SourceEvent, type SourceTopicKey } from '@cs/contracts';
import { Rng } from '@cs/simulator/prng';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

// The project's seeded PRNG, so runs are comparable.
const rng = new Rng(0x5eed);
const rnd = () => rng.next();
const int = (n: number) => rng.int(n);
const pick = <T>(xs: readonly T[]): T => rng.pick(xs);

const T0 = Date.UTC(2026, 9, 1);
const MONTH = 31 * 86_400_000;
const staff = () => `S${String(int(2000)).padStart(4, '0')}`;
const t = () => T0 + int(MONTH);

// Rough shape of a provincial 95598 + marketing day: contacts dominate, then readings and bills.
const MIX: [number, (i: number) => SourceEvent][] = [
  [18, (i) => ({ kind: 'CallAnswered', eventId: `e${i}`, occurredAt: t(), callId: `C${i}`, staffId: staff(), queue: pick(['95598-general', '95598-repair', 'online']), waitSeconds: rnd() * 60 })],
  [3, (i) => ({ kind: 'CallAbandoned', eventId: `e${i}`, occurredAt: t(), callId: `C${i}`, queue: '95598-general', waitSeconds: rnd() * 120 })],
  [18, (i) => ({ kind: 'ContactCompleted', eventId: `e${i}`, occurredAt: t(), callId: `C${i}`, staffId: staff(), channel: pick(['HOTLINE', 'HALL', 'ONLINE'] as const), category: pick(['INQUIRY', 'BUSINESS', 'BILLING', 'REPAIR'] as const), talkSeconds: rnd() * 600, holdSeconds: rnd() * 60, wrapSeconds: rnd() * 90, resolution: pick(['RESOLVED', 'RESOLVED', 'ESCALATED', 'TRANSFERRED'] as const) })],
  [8, (i) => ({ kind: 'SurveyAnswered', eventId: `e${i}`, occurredAt: t(), callId: `C${i}`, staffId: staff(), score: 1 + int(5) })],
  [3, (i) => ({ kind: 'QualityInspected', eventId: `e${i}`, occurredAt: t(), callId: `C${i}`, staffId: staff(), score: 60 + rnd() * 40, violations: rnd() < 0.7 ? [] : [pick(['GREETING', 'SCRIPT', 'COURTESY'] as const)] })],
  [3, (i) => ({ kind: 'CallbackAssigned', eventId: `e${i}`, occurredAt: t(), ticketId: `TK${i}`, staffId: staff(), dueAt: t() + 86_400_000 })],
  [3, (i) => ({ kind: 'CallbackCompleted', eventId: `e${i}`, occurredAt: t(), ticketId: `TK${i}`, staffId: staff(), dueAt: t() + 86_400_000, outcome: pick(['SATISFIED', 'UNSATISFIED', 'UNREACHABLE'] as const) })],
  [0.2, (i) => ({ kind: 'ComplaintAgainstStaff', eventId: `e${i}`, occurredAt: t(), complaintId: `CP${i}`, staffId: staff(), severity: pick(['GENERAL', 'SERIOUS'] as const), substantiated: rnd() < 0.5 })],
  [10, (i) => ({ kind: 'MeterReadingAssigned', eventId: `e${i}`, occurredAt: t(), taskId: `MR${i}`, staffId: staff(), dueAt: t() })],
  [10, (i) => ({ kind: 'MeterReadingCompleted', eventId: `e${i}`, occurredAt: t(), taskId: `MR${i}`, staffId: staff(), dueAt: t(), method: pick(['MANUAL', 'REMOTE', 'REMOTE'] as const) })],
  [6, (i) => ({ kind: 'BillIssued', eventId: `e${i}`, occurredAt: t(), billId: `B${i}`, staffId: staff(), amountDueCents: int(5_000_000), dueAt: t() + 20 * 86_400_000 })],
  [6, (i) => ({ kind: 'PaymentReceived', eventId: `e${i}`, occurredAt: t(), billId: `B${i}`, staffId: staff(), amountCents: int(5_000_000), dueAt: t() + 20 * 86_400_000 })],
  [0.3, (i) => ({ kind: 'BillCorrected', eventId: `e${i}`, occurredAt: t(), billId: `B${i}`, staffId: staff(), reason: 'READING_ERROR' })],
  [2, (i) => ({ kind: 'WorkOrderAccepted', eventId: `e${i}`, occurredAt: t(), orderId: `WO${i}`, staffId: staff(), type: 'NEW_CONNECTION', customerClass: 'RESIDENTIAL', dueAt: rnd() < 0.5 ? null : t() + 5 * 86_400_000 })],
  [2, (i) => { const acc = t(); return { kind: 'WorkOrderCompleted', eventId: `e${i}`, occurredAt: acc + int(5 * 86_400_000), orderId: `WO${i}`, staffId: staff(), type: 'METER_TEST', customerClass: 'HIGH_VOLTAGE_SINGLE', acceptedAt: acc, dueAt: null, reworked: rnd() < 0.05 }; }],
  [1.5, (i) => { const rep = t(); return { kind: 'RepairArrived', eventId: `e${i}`, occurredAt: rep + int(5_400_000), ticketId: `R${i}`, crewStaffIds: [staff(), staff() + 'b'], areaClass: pick(['URBAN', 'RURAL', 'REMOTE'] as const), reportedAt: rep }; }],
  [1.5, (i) => { const rep = t(); const arr = rep + int(5_400_000); return { kind: 'RepairRestored', eventId: `e${i}`, occurredAt: arr + int(10_800_000), ticketId: `R${i}`, crewStaffIds: [staff(), staff() + 'b', staff() + 'c'], areaClass: 'URBAN', reportedAt: rep, arrivedAt: arr }; }],
  [1, (i) => ({ kind: 'RepairFeedback', eventId: `e${i}`, occurredAt: t(), ticketId: `R${i}`, crewStaffIds: [staff()], score: 1 + int(5) })],
  [0.3, (i) => ({ kind: 'OutageNoticePublished', eventId: `e${i}`, occurredAt: t(), noticeId: `N${i}`, staffId: staff(), noticeType: 'PLANNED', outageStartsAt: t() + 7 * 86_400_000 })],
  [3, (i) => ({ kind: 'ShiftAttended', eventId: `e${i}`, occurredAt: t(), staffId: staff(), shiftId: `SH${i}`, scheduledMinutes: 480, attendedMinutes: 420 + int(61), late: rnd() < 0.05 })],
  [0.3, (i) => ({ kind: 'SupervisorRated', eventId: `e${i}`, occurredAt: t(), staffId: staff(), raterId: staff(), score: 60 + rnd() * 40 })],
  [0.3, (i) => ({ kind: 'FeedbackGiven', eventId: `e${i}`, occurredAt: t(), staffId: staff(), raterId: staff(), relation: 'PEER', score: 50 + rnd() * 50 })],
  [0.1, (i) => ({ kind: 'TrainingCompleted', eventId: `e${i}`, occurredAt: t(), staffId: staff(), courseId: 'CRS-1', skill: 'COMMUNICATION', preScore: rnd() * 100, postScore: rnd() * 100 })],
];
const total = MIX.reduce((s, [w]) => s + w, 0);
const makeEvent = (i: number): SourceEvent => {
  let x = rnd() * total;
  for (const [w, f] of MIX) if ((x -= w) < 0) return f(i);
  return MIX[0]![1](i);
};

const codecs = createCodecs();
console.log(`generating ${N.toLocaleString('en')} events...`);
const topics: SourceTopicKey[] = new Array(N);
const bytes: Buffer[] = new Array(N);
const json: string[] = new Array(N);
let invalid = 0;
for (let i = 0; i < N; i++) {
  const e = makeEvent(i);
  if (i % 1000 === 999) {
    // ~0.1 % bad input, as upstream systems do produce it.
    (e as { eventId: string }).eventId = '';
    invalid++;
  }
  topics[i] = KIND_TOPIC[e.kind] as SourceTopicKey;
  bytes[i] = codecs.encode(topics[i]!, e);
  json[i] = JSON.stringify(e);
}
const avgBytes = bytes.reduce((s, b) => s + b.length, 0) / N;
const avgJson = json.reduce((s, j) => s + j.length, 0) / N;

function measure(name: string, fn: () => number, n = N): { name: string; eventsPerSec: number; nsPerEvent: number; check: number } {
  fn(); // warm-up pass (JIT)
  let best = Infinity;
  let check = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    check = fn();
    const ns = Number(process.hrtime.bigint() - t0);
    best = Math.min(best, ns);
  }
  return { name, eventsPerSec: Math.round((n / best) * 1e9), nsPerEvent: Math.round(best / n), check };
}

const now = Date.UTC(2026, 10, 15);
const zod = buildKindSchemas(codecs.catalogue, () => now);
const ZOD_N = Math.min(N, 200_000);
const results = [
  measure('avro decode', () => {
    let ok = 0;
    for (let i = 0; i < N; i++) if (codecs.decode(topics[i]!, bytes[i]!).ok) ok++;
    return ok;
  }),
  measure('avro decode + validate', () => {
    let ok = 0;
    for (let i = 0; i < N; i++) if (codecs.decodeAndValidate(topics[i]!, bytes[i]!, { now }).ok) ok++;
    return ok;
  }),
  // Why the hot path does not use zod: the same rules through the zod schemas (CLI path).
  measure(`avro decode + zod (${ZOD_N / 1000}k)`, () => {
    let ok = 0;
    for (let i = 0; i < ZOD_N; i++) {
      const r = codecs.decode(topics[i]!, bytes[i]!);
      if (!r.ok) continue;
      const { kind, ...fields } = r.event as SourceEvent;
      if (zod.get(kind)!.schema.safeParse(fields).success) ok++;
    }
    return ok;
  }, ZOD_N),
  measure('JSON.parse (reference)', () => {
    let n = 0;
    for (let i = 0; i < N; i++) if (JSON.parse(json[i]!).kind) n++;
    return n;
  }),
];

console.log(`\n${N.toLocaleString('en')} events (${invalid} invalid), avg ${avgBytes.toFixed(1)} bytes Avro vs ${avgJson.toFixed(1)} bytes JSON; node ${process.version}, best of ${ROUNDS}\n`);
console.log(`| ${'measure'.padEnd(24)} | ${'events/s'.padStart(12)} | ${'ns/event'.padStart(8)} | ${'ok'.padStart(9)} |`);
console.log(`|${'-'.repeat(26)}|${'-'.repeat(14)}|${'-'.repeat(10)}|${'-'.repeat(11)}|`);
for (const r of results) console.log(`| ${r.name.padEnd(24)} | ${r.eventsPerSec.toLocaleString('en').padStart(12)} | ${String(r.nsPerEvent).padStart(8)} | ${r.check.toLocaleString('en').padStart(9)} |`);
const target = 500_000;
const dv = results[1]!.eventsPerSec;
console.log(`\ndecode + validate ${dv >= target ? 'meets' : 'MISSES'} the ${target.toLocaleString('en')} events/s target`);
console.log(JSON.stringify({ bench: 'contracts', events: N, invalid, results }));
console.log(
  `BENCH_RESULT ${JSON.stringify({
    bench: 'contracts',
    rows: [
      { measure: 'decode only (events/s)', value: results[0]!.eventsPerSec, goal: '' },
      { measure: 'decode + validation (events/s)', value: dv, goal: `>= ${target}` },
      { measure: 'JSON.parse reference (events/s)', value: results[results.length - 1]!.eventsPerSec, goal: '' },
    ],
  })}`,
);
