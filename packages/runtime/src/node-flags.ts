// Flags for every Node process the project starts (services, the CLI's children, test workers).
// kafkajs 2.2.4 arms a timer with a negative delay, which Node 24 reports as TimeoutNegativeWarning
// (kafkajs #1751, fix never released). The timer behaves as it always did (fires at once), so only
// that one warning is silenced; every other warning still shows.
// The CLI's shebang (packages/cli/bin/cs-appraisal.js) and the services' `start` scripts spell
// the same flag: a shebang and a package.json cannot import it.
export const NODE_FLAGS: readonly string[] = ['--disable-warning=TimeoutNegativeWarning'];
