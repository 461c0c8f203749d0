import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../core/ruleset.js'

let cached: { name: string; version: string } | undefined

/** The tool's name and version, as recorded in reports. */
export function toolInfo(): { name: string; version: string } {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    cached = { name: 'interop', version: pkg.version }
  }
  return { ...cached }
}
