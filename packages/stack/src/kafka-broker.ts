import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { StackError } from './errors.ts';
import { ensureKafkaJars } from './kafka-jars.ts';
import { alreadyRunning, javaArgFile, pollReady, refuseTakenPorts, readPid, spawnDetached, stopByPidFile, tailFile, removeFile, underFaketime, withoutFaketime, writeSecretFile } from './processes.ts';

export interface KafkaBrokerOptions {
  /** Folder for this broker's data, config, log and pid file. */
  dir: string;
  port: number;
  controllerPort: number;
  heapMb?: number;
  /**
   * More client listeners next to PLAINTEXT (which stays: readiness probes and inter-broker
   * traffic use it). E.g. `{ name: 'SECURE', port, protocol: 'SASL_SSL' }`.
   */
  extraListeners?: KafkaListener[];
  /**
   * SCRAM users created in KRaft at format time (StorageTool --add-scram). SASL listeners get
   * SCRAM-SHA-512/256 and the ScramLoginModule JAAS line unless extraProperties says otherwise.
   */
  scramUsers?: ScramUser[];
  /** Broker keystore for SSL / SASL_SSL listeners (PKCS12, e.g. from createTestCertificates). */
  ssl?: { keystoreFile: string; keystorePassword: string };
  /** Raw server.properties lines, appended last (so they win). */
  extraProperties?: Record<string, string>;
}

export interface KafkaListener {
  /** Listener name, upper case letters, digits and _ (not PLAINTEXT or CONTROLLER). */
  name: string;
  port: number;
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
}

export interface ScramUser {
  name: string;
  password: string;
  /** Default SCRAM-SHA-512. */
  mechanism?: 'SCRAM-SHA-512' | 'SCRAM-SHA-256';
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

  /** `host:port` of an extra listener (see `extraListeners`). */
  listenerAddress(name: string): string {
    const l = (this.opts.extraListeners ?? []).find((x) => x.name === name);
    if (!l) throw new Error(`no listener named ${name}`);
    return `127.0.0.1:${l.port}`;
  }

  /** server.properties lines for the extra listeners, SCRAM and SSL (empty without them). */
  private securityProperties(): { listeners: string; advertised: string; protocolMap: string; lines: string[] } {
    const extra = this.opts.extraListeners ?? [];
    const lines: string[] = [];
    const mechanisms = [...new Set((this.opts.scramUsers ?? []).map((u) => u.mechanism ?? 'SCRAM-SHA-512'))];
    for (const l of extra) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(l.name) || l.name === 'PLAINTEXT' || l.name === 'CONTROLLER') throw new Error(`invalid listener name ${l.name}`);
      if (l.protocol.startsWith('SASL_')) {
        const mechs = mechanisms.length ? mechanisms : ['SCRAM-SHA-512'];
        const lower = l.name.toLowerCase();
        lines.push(`listener.name.${lower}.sasl.enabled.mechanisms=${mechs.join(',')}`);
        for (const m of mechs) lines.push(`listener.name.${lower}.${m.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`);
      }
    }
    if (this.opts.ssl) {
      lines.push(
        'ssl.keystore.type=PKCS12',
        `ssl.keystore.location=${this.opts.ssl.keystoreFile}`,
        `ssl.keystore.password=${this.opts.ssl.keystorePassword}`,
        `ssl.key.password=${this.opts.ssl.keystorePassword}`,
        'ssl.client.auth=none',
      );
    }
    return {
      listeners: extra.map((l) => `,${l.name}://127.0.0.1:${l.port}`).join(''),
      advertised: extra.map((l) => `,${l.name}://127.0.0.1:${l.port}`).join(''),
      protocolMap: extra.map((l) => `,${l.name}:${l.protocol}`).join(''),
      lines,
    };
  }

  /** Pid of our running broker, or null; checks the command line so a recycled pid is not ours. */
  pid(): number | null {
    return readPid(this.file('kafka.pid'), this.file('server.properties'));
  }

  private writeConfig(): void {
    const { port, controllerPort } = this.opts;
    const sec = this.securityProperties();
    const props = [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}${sec.listeners}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}${sec.advertised}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${sec.protocolMap}`,
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
      // Started from a shifted clock (libfaketime, which the broker runs without: see
      // withoutFaketime), its clients stamp shifted times; Kafka 4 refuses those over 1 h ahead.
      ...(underFaketime(process.env) ? ['log.message.timestamp.after.max.ms=9223372036854775807'] : []),
      ...sec.lines,
      ...Object.entries(this.opts.extraProperties ?? {}).map(([k, v]) => `${k}=${v}`),
    ];
    // Holds the keystore password when there is a TLS listener: owner-readable only.
    writeSecretFile(this.file('server.properties'), props.join('\n') + '\n');
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
    if (await alreadyRunning(this.opts.dir, this, timeoutMs)) return { reused: true };
    await refuseTakenPorts([this.opts.port, this.opts.controllerPort, ...(this.opts.extraListeners ?? []).map((l) => l.port)], 'other ports (CS_KAFKA_PORT / CS_KAFKA_CONTROLLER_PORT)');
    const libs = ensureKafkaJars(opts.log);
    this.writeConfig();
    if (!existsSync(path.join(this.file('data'), 'meta.properties'))) {
      const scram = (this.opts.scramUsers ?? []).flatMap((u) => ['--add-scram', `${u.mechanism ?? 'SCRAM-SHA-512'}=[name=${u.name},password=${u.password}]`]);
      // The SCRAM passwords go to the JVM through an argument file (0600, removed right after),
      // never on its command line: argv is world-readable (`ps`, /proc/<pid>/cmdline).
      const argFile = this.file('format.args');
      writeSecretFile(argFile, javaArgFile(this.javaArgs(libs, 'kafka.tools.StorageTool', ['format', '-t', CLUSTER_ID, '-c', this.file('server.properties'), '-g', ...scram])));
      let res: SpawnSyncReturns<string>;
      try {
        res = spawnSync('java', [`@${argFile}`], { encoding: 'utf8', env: withoutFaketime(process.env) });
      } finally {
        removeFile(argFile);
      }
      if (res.status !== 0) {
        throw new StackError('KAFKA_FORMAT_FAILED', 'formatting the KRaft storage failed', `remove ${this.file('data')} and retry`, `${res.stdout}${res.stderr}`.trim());
      }
    }
    spawnDetached('java', this.javaArgs(libs, MAIN_CLASS, [this.file('server.properties')]), this.file('stdout.log'), this.file('kafka.pid'), undefined, withoutFaketime(process.env));
    await this.waitReady(timeoutMs);
    return { reused: false };
  }

  /** Ready means the log says so and an admin client gets metadata: an open port is not readiness. */
  async waitReady(timeoutMs: number): Promise<void> {
    const r = await pollReady(timeoutMs, 250, () => this.probe(), () => this.pid() === null);
    if (r.ready) return;
    if (r.exited) throw new StackError('KAFKA_NOT_READY', 'the Kafka broker exited during start-up', `read ${this.logFile}`, this.lastLogLines());
    throw new StackError('KAFKA_NOT_READY', `the Kafka broker was not ready within ${Math.round(timeoutMs / 1000)} s (${r.why})`, `read ${this.logFile}`, this.lastLogLines());
  }

  private async probe(): Promise<true | string> {
    if (!(existsSync(this.logFile) && readFileSync(this.logFile, 'utf8').includes('Kafka Server started'))) return 'its log does not say "Kafka Server started" yet';
    try {
      await this.ping();
      return true;
    } catch (err) {
      return (err as Error).message;
    }
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
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
    return stopByPidFile(this.pid(), this.file('kafka.pid'), signal, 30_000);
  }
}
