import { readFileSync } from 'node:fs'

/** One finding as Spectral's stylish output prints it. */
export interface PeerFinding {
  line: number
  column: number
  severity: string
  rule: string
  path: string
}

/**
 * Reads a case's `expected-output.txt`: the table Spectral's stylish formatter prints
 * (`line:column  severity  rule  message  path`, columns separated by two or more spaces).
 */
export function readExpected(file: string): PeerFinding[] {
  const out: PeerFinding[] = []
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(\d+):(\d+)\s+(error|warning|information|hint)\s+(\S+)\s+(.*)$/.exec(raw)
    if (!m) continue
    const rest = m[5]!.trimEnd().split(/\s{2,}/)
    out.push({
      line: Number(m[1]),
      column: Number(m[2]),
      severity: m[3]!,
      rule: m[4]!,
      path: rest.length > 1 ? rest[rest.length - 1]! : '',
    })
  }
  return out
}
