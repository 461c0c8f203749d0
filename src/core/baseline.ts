import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fingerprint } from '../formatters/sarif.js'
import { writeOutput } from '../services/output.js'
import { InputError } from './errors.js'
import { compareText } from './order.js'
import type { Finding } from './types.js'

/**
 * Baselines: today's findings recorded by fingerprint (`--write-baseline`), so that later runs
 * (`--baseline`) fail only on new ones and say which were fixed. A fingerprint is the rule, the file
 * relative to the baseline's folder, the JSON pointer and the message, not the line, so findings
 * keep theirs when lines move.
 */

export const BASELINE_VERSION = 1

export interface BaselineEntry {
  fingerprint: string
  ruleId: string
  file: string
  pointer: string
  message: string
}

export interface Baseline {
  baselineVersion: number
  tool: { name: string; version: string }
  createdAt: string
  findings: BaselineEntry[]
}

function entryOf(f: Finding, baselineDir: string, cwd: string): BaselineEntry {
  const file = path.relative(baselineDir, path.resolve(cwd, f.location.source)).split(path.sep).join('/')
  return {
    fingerprint: fingerprint(f, file),
    ruleId: f.ruleId,
    file,
    pointer: f.location.pointer,
    message: f.message,
  }
}

export async function writeBaseline(
  file: string,
  findings: readonly Finding[],
  meta: { tool: Baseline['tool']; createdAt: string; cwd: string },
): Promise<void> {
  const dir = path.dirname(path.resolve(meta.cwd, file))
  const entries = findings
    .map((f) => entryOf(f, dir, meta.cwd))
    .sort(
      (a, b) =>
        compareText(a.file, b.file) ||
        compareText(a.pointer, b.pointer) ||
        compareText(a.fingerprint, b.fingerprint),
    )
  const baseline: Baseline = {
    baselineVersion: BASELINE_VERSION,
    tool: meta.tool,
    createdAt: meta.createdAt,
    findings: entries,
  }
  await writeOutput(path.resolve(meta.cwd, file), JSON.stringify(baseline, null, 2) + '\n')
}

export interface BaselineComparison {
  file: string
  /** Findings of this run the baseline has, by index into the findings. */
  known: Set<number>
  /** Baseline entries this run no longer finds. */
  fixed: BaselineEntry[]
}

export async function compareWithBaseline(
  file: string,
  findings: readonly Finding[],
  cwd: string,
): Promise<BaselineComparison> {
  let text: string
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8')
  } catch {
    throw new InputError('Baseline file not found: write one with --write-baseline.', { file })
  }
  let baseline: Baseline
  try {
    baseline = JSON.parse(text) as Baseline
  } catch (e) {
    throw new InputError(`The baseline is not JSON: ${(e as Error).message}.`, { file })
  }
  if (baseline?.baselineVersion !== BASELINE_VERSION || !Array.isArray(baseline.findings))
    throw new InputError(
      `This is not an interop baseline of version ${BASELINE_VERSION} (baselineVersion and findings are missing or different).`,
      { file, property: '/baselineVersion' },
    )
  const dir = path.dirname(path.resolve(cwd, file))
  // A fingerprint can stand for several identical findings: each match uses one up.
  const left = new Map<string, number>()
  for (const e of baseline.findings) left.set(e.fingerprint, (left.get(e.fingerprint) ?? 0) + 1)
  const known = new Set<number>()
  findings.forEach((f, i) => {
    const fp = entryOf(f, dir, cwd).fingerprint
    const n = left.get(fp) ?? 0
    if (n > 0) {
      known.add(i)
      left.set(fp, n - 1)
    }
  })
  const fixed: BaselineEntry[] = []
  for (const e of baseline.findings) {
    const n = left.get(e.fingerprint) ?? 0
    if (n > 0) {
      fixed.push(e)
      left.set(e.fingerprint, n - 1)
    }
  }
  return { file, known, fixed }
}
