// Flags for every Node process the project starts (services, the CLI's children, test workers).
// kafkajs 2.2.4 arms a timer with a negative delay, which Node 24 reports as TimeoutNegativeWarning
// (kafkajs #1751, fix never released). The timer behaves as it always did (fires at once), so only
// that one warning is silenced; every other warning still shows.
// --max-semi-space-size=64: Node 24's young generation is smaller than Node 20's, and the scorer
// and aggregator allocate short-lived objects by the million (cards, Avro buffers, kafkajs
// requests); with the default, bench:scorer's 100,000-staff tick took 15.9 s on Node 24 against
// 10.9 s on Node 20, and 11.1 s with this flag (same machine, same session, 2026-12-03).
// The CLI's shebang (packages/cli/bin/cs-appraisal.js) and the services' `start` scripts spell
// the same flag: a shebang and a package.json cannot import it.
export const NODE_FLAGS: readonly string[] = ['--disable-warning=TimeoutNegativeWarning', '--max-semi-space-size=64'];
