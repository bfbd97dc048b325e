#!/usr/bin/env -S node --disable-warning=TimeoutNegativeWarning --max-semi-space-size=64
// The sources are TypeScript run through tsx: no build step between `npm ci` and `npx cs-appraisal`.
// The flag silences kafkajs's TimeoutNegativeWarning on Node 24 (see @cs/runtime/node-flags).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
// Every command closes what it opened; should a library still hold a handle (a socket in
// TIME_WAIT, a reconnect timer), the command is nonetheless over: do not hang the shell.
setTimeout(() => process.exit(), 3000).unref();
