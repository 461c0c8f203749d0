/**
 * Whether a string anywhere in a JSON-like value, or a key of one of its objects, passes a test.
 * Without recursion: a parsed document or body may nest deeper than the call stack.
 */
export function someText(value: unknown, test: (s: string) => boolean): boolean {
  const stack: unknown[] = [value]
  while (stack.length) {
    const v = stack.pop()
    if (typeof v === 'string') {
      if (test(v)) return true
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x)
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (test(k)) return true
        stack.push((v as Record<string, unknown>)[k])
      }
    }
  }
  return false
}
