import type { Producer } from 'kafkajs';
import type { Codecs, TopicKey } from '@cs/contracts';
import { encodeItem, type SimItem } from '@cs/simulator';

export interface PublishProgress {
  sent: number;
  malformed: number;
}

/**
 * Sends simulated items in chunks (one sendBatch per chunk, grouped by topic). The Kafka timestamp
 * is the produce time, not occurredAt: a replayed month must not be deleted by time retention.
 */
export async function publishItems(
  producer: Producer,
  codecs: Codecs,
  topics: Record<TopicKey, string>,
  items: Iterable<SimItem>,
  onProgress: (p: PublishProgress) => void = () => {},
  chunk = 5_000,
): Promise<PublishProgress> {
  const progress: PublishProgress = { sent: 0, malformed: 0 };
  let pending = new Map<string, { key: string; value: Buffer }[]>();
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    await producer.sendBatch({ topicMessages: [...pending].map(([topic, messages]) => ({ topic, messages })) });
    progress.sent += size;
    pending = new Map();
    size = 0;
    onProgress(progress);
  };
  for (const item of items) {
    const m = encodeItem(codecs, item);
    const topic = topics[m.topic];
    (pending.get(topic) ?? pending.set(topic, []).get(topic)!).push({ key: m.key, value: m.value });
    if ('bytes' in item) progress.malformed++;
    if (++size >= chunk) await flush();
  }
  await flush();
  return progress;
}

/** A one-line progress bar for stderr. */
export function progressBar(done: number, total: number, width = 30): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
}
