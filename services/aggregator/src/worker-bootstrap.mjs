// Entry of a batch worker thread: registers tsx (workers do not inherit vitest's transform,
// and execArgv is cleared) before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
