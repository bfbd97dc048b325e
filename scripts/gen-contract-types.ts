// Writes packages/contracts/src/generated/types.ts from the .avsc files (see schemas/README.md).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateTypes } from '@cs/contracts/typegen';

const out = fileURLToPath(new URL('../packages/contracts/src/generated/types.ts', import.meta.url));
writeFileSync(out, generateTypes());
console.log(`wrote ${out}`);
