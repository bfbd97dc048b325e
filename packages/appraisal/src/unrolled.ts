// Straight-line functions generated from the id lists at load time. The scorer's hot paths read
// one field per KPI or dimension of objects that all share one shape: named loads in straight-line
// code stay monomorphic, where a loop over the ids makes each a megamorphic keyed load (~2x
// slower over 100k cards). Generating the code from the lists keeps it in step with them.

/** A function `name(params) { body }` whose free names are bound to `scope`'s values. */
export function compileFunction<F>(name: string, params: readonly string[], body: string, scope: Readonly<Record<string, unknown>>): F {
  for (const id of [name, ...params, ...Object.keys(scope)]) identifier(id);
  const names = Object.keys(scope);
  const make = new Function(...names, `return function ${name}(${params.join(', ')}) {\n${body}\n};`);
  return make(...names.map((n) => scope[n])) as F;
}

/** `id` when it can stand in generated code as a name or an object key; throws otherwise. */
export function identifier(id: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(id)) throw new Error(`unrolled code: ${JSON.stringify(id)} is not an identifier`);
  return id;
}

/** Throws a clear error unless `actual` lists the same ids, in the same order, as `expected`. */
export function checkLayout(what: string, actual: readonly string[], expected: readonly string[]): void {
  if (actual.join(',') !== expected.join(',')) {
    throw new Error(`${what} is laid out as [${actual.join(', ')}], not as its id list [${expected.join(', ')}]`);
  }
}
