/**
 * True when a parsed ruleset file is in Spectral's format rather than interop's. Kept apart from
 * the Spectral loader so that telling them apart does not load it (nor ajv and JSONPath with it).
 */
export function isSpectralRuleset(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  if (typeof v.id === 'string' && typeof v.version === 'string') return false
  return 'rules' in v || 'extends' in v || 'aliases' in v || 'overrides' in v
}
