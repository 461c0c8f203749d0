import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

/** A temporary folder with the given files, removed after the test file. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'interop-test-'))
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, text)
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
