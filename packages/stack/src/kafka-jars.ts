import { existsSync, mkdirSync, readdirSync, writeFileSync, rmSync, renameSync } from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.ts';
import { cacheDir } from './paths.ts';
import { hasCommand } from './processes.ts';
import { runMaven } from './maven.ts';

/** Pinned broker version. Maven Central's kafka_2.13 carries no logging backend: log4j2 is added explicitly. */
export const KAFKA_VERSION = '4.1.1';
const LOG4J_VERSION = '2.24.3';

function pom(): string {
  const dep = (g: string, a: string, v: string) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.cs-appraisal</groupId><artifactId>kafka-runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
    ${dep('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

export function kafkaLibsDir(): string {
  return path.join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');
}

/** True when a previous run completed the download (the marker is written last). */
export function kafkaJarsCached(): boolean {
  return existsSync(path.join(kafkaLibsDir(), '.complete'));
}

export function assertJava(): void {
  if (!hasCommand('java')) {
    throw new StackError('JAVA_MISSING', 'java is not on PATH', 'install a Java 17+ runtime (apt-get install openjdk-17-jre-headless)');
  }
}

/** Fetches the broker's runtime classpath from Maven Central once; later calls reuse the cache. */
export function ensureKafkaJars(log: (line: string) => void = () => {}): string {
  const libs = kafkaLibsDir();
  if (kafkaJarsCached()) return libs;
  assertJava();
  const work = path.join(cacheDir(), `kafka-${KAFKA_VERSION}`);
  const staging = path.join(work, 'libs.partial');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(path.join(work, 'pom.xml'), pom());
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs} (once)…`);
  runMaven(['-f', path.join(work, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`], 'the Kafka jars', libs);
  if (!readdirSync(staging).some((f) => f.startsWith('kafka_2.13-'))) {
    throw new StackError('MAVEN_FETCH_FAILED', 'Maven finished but no kafka_2.13 jar was copied', 'delete ' + work + ' and retry');
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  writeFileSync(path.join(libs, '.complete'), new Date().toISOString());
  return libs;
}
