/** Every path to a value in a parsed value, parents first (an object's keys once each, as parsed). */
export function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, String(i)], out))
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out)
  return out
}

/** A path as a JSON pointer. */
export const pointer = (path: string[]): string =>
  path.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('')
