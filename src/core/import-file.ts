/**
 * Imports a user's JavaScript module (a configuration, a rule plugin) by URL.
 *
 * The check command runs from a bundle that its loader compiles with a V8 code cache (see
 * scripts/bundle.js); in Node 20, import() inside code that came from a cache has no module loader
 * to call, so that loader hands over one of its own under this symbol. Everywhere else it is the
 * plain import().
 */
export async function importFile(url: string): Promise<Record<string, unknown>> {
  const given = (globalThis as Record<symbol, unknown>)[Symbol.for('interop.import')]
  return typeof given === 'function'
    ? ((await given(url)) as Record<string, unknown>)
    : ((await import(url)) as Record<string, unknown>)
}
