/**
 * Orders two texts by their UTF-16 code units, as Array.prototype.sort does by default: the same on
 * every machine. String.prototype.localeCompare orders by the collation of the locale the process
 * runs under (LANG), so that a report's findings, or a SHA256SUMS file, came out in another order on
 * a machine set to another language; it is also some ten times slower, and its first call loads
 * ICU's collation data (~6 ms of a run).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
