import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { StackError } from './errors.ts';
import { ensureKafkaJars } from './kafka-jars.ts';
import { portInUse, readPid, spawnDetached, stopProcess, sleep, tailFile, removeFile } from './processes.ts';

export interface KafkaBrokerOptions {
  /** Folder for this broker's data, config, log and pid file. */
  dir: string;
  port: number;
  controllerPort: number;
  heapMb?: number;
}

// Any 22-character base64url id works; the same one Kafka's own image uses.
const CLUSTER_ID = '5L6g3nShT-eMCtK--X86sw';
const MAIN_CLASS = 'kafka.Kafka';

/** A single-node KRaft broker+controller in one JVM, run from the cached Maven jars. */
export class KafkaBroker {
  constructor(readonly opts: KafkaBrokerOptions) {}

  get brokers(): string {
    return `127.0.0.1:${this.opts.port}`;
  }
  private file(name: string): string {
    return path.join(this.opts.dir, name);
  }
  get logFile(): string {
    return this.file('server.log');
  }

  /** Pid of our running broker, or null; checks the command line so a recycled pid is not ours. */
  pid(): number | null {
    return readPid(this.file('kafka.pid'), this.file('server.properties'));
  }

  private writeConfig(): void {
    const { port, controllerPort } = this.opts;
    const props = [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${this.file('data')}`,
      // One broker: internal topics must not ask for more replicas than exist, or groups never get a coordinator.
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=6',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      'num.partitions=1',
      // Replayed months carry old event times; the producer stamps produce time, so size-free retention is fine.
      'log.retention.hours=168',
    ];
    writeFileSync(this.file('server.properties'), props.join('\n') + '\n');
    writeFileSync(
      this.file('log4j2.properties'),
      [
        'status = error',
        'appender.file.type = File',
        'appender.file.name = FILE',
        `appender.file.fileName = ${this.logFile}`,
        'appender.file.layout.type = PatternLayout',
        'appender.file.layout.pattern = [%d] %p %m (%c)%n',
        'rootLogger.level = INFO',
        'rootLogger.appenderRef.file.ref = FILE',
        'logger.kafka.name = kafka',
        'logger.kafka.level = INFO',
        'logger.state.name = state.change.logger',
        'logger.state.level = WARN',
      ].join('\n') + '\n',
    );
  }

  private javaArgs(libs: string, main: string, extra: string[]): string[] {
    return [
      `-Xmx${this.opts.heapMb ?? 768}m`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${this.file('log4j2.properties')}`,
      '-cp',
      `${libs}/*`,
      main,
      ...extra,
    ];
  }

  /** Starts the broker unless ours is already running; resolves once an admin call answers. */
  async start(opts: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<{ reused: boolean }> {
    const timeoutMs = opts.timeoutMs ?? 90_000;
    mkdirSync(this.opts.dir, { recursive: true });
    if (this.pid() !== null) {
      await this.waitReady(timeoutMs);
      return { reused: true };
    }
    for (const p of [this.opts.port, this.opts.controllerPort]) {
      if (await portInUse(p)) {
        throw new StackError('PORT_TAKEN', `port ${p} is taken by another process`, `stop it (ss -ltnp | grep ${p}) or set other ports (CS_KAFKA_PORT / CS_KAFKA_CONTROLLER_PORT)`);
      }
    }
    const libs = ensureKafkaJars(opts.log);
    this.writeConfig();
    if (!existsSync(path.join(this.file('data'), 'meta.properties'))) {
      const res = spawnSync('java', this.javaArgs(libs, 'kafka.tools.StorageTool', ['format', '-t', CLUSTER_ID, '-c', this.file('server.properties'), '-g']), {
        encoding: 'utf8',
      });
      if (res.status !== 0) {
        throw new StackError('KAFKA_FORMAT_FAILED', 'formatting the KRaft storage failed', `remove ${this.file('data')} and retry`, `${res.stdout}${res.stderr}`.trim());
      }
    }
    spawnDetached('java', this.javaArgs(libs, MAIN_CLASS, [this.file('server.properties')]), this.file('stdout.log'), this.file('kafka.pid'));
    await this.waitReady(timeoutMs);
    return { reused: false };
  }

  /** Ready means the log says so and an admin client gets metadata: an open port is not readiness. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
      if (this.pid() === null) {
        throw new StackError('KAFKA_NOT_READY', 'the Kafka broker exited during start-up', `read ${this.logFile}`, this.lastLogLines());
      }
      const started = existsSync(this.logFile) && readFileSync(this.logFile, 'utf8').includes('Kafka Server started');
      if (started) {
        try {
          await this.ping();
          return;
        } catch (err) {
          lastError = (err as Error).message;
        }
      }
      await sleep(250);
    }
    throw new StackError('KAFKA_NOT_READY', `the Kafka broker was not ready within ${Math.round(timeoutMs / 1000)} s${lastError ? ` (${lastError})` : ''}`, `read ${this.logFile}`, this.lastLogLines());
  }

  async ping(): Promise<void> {
    const admin = new Kafka({ brokers: [this.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000 }).admin();
    await admin.connect();
    try {
      await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  }

  lastLogLines(n = 15): string {
    return `last lines of ${this.logFile}:\n${tailFile(this.logFile, n)}\n${tailFile(this.file('stdout.log'), 5)}`;
  }

  /** Graceful stop (controlled shutdown); SIGKILL only if it hangs. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
    const pid = this.pid();
    if (pid === null) return false;
    await stopProcess(pid, signal, 30_000);
    removeFile(this.file('kafka.pid'));
    return true;
  }
}
