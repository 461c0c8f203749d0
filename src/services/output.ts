import { createHash, randomBytes } from 'node:crypto'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../core/errors.js'
import { compareText } from '../core/order.js'

/** Writes a file whole or not at all: to a temporary file beside it, then renamed into place. */
export async function writeOutput(file: string, content: string | Buffer): Promise<void> {
  const target = path.resolve(file)
  const dir = path.dirname(target)
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory())
    throw new InputError(`Cannot write ${file}: the folder ${path.dirname(file)} does not exist.`)
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, content)
    await rename(tmp, target)
  } catch (e) {
    await rm(tmp, { force: true })
    throw new InputError(`Cannot write ${file}: ${(e as Error).message}.`)
  }
}

/**
 * Adds (or replaces) the line of `file` in the SHA256SUMS file beside it, in the format
 * `sha256sum -c` reads, so that whoever receives the report can check it was not changed.
 */
export async function writeChecksum(file: string, content: string | Buffer): Promise<string> {
  const target = path.resolve(file)
  const sums = path.join(path.dirname(target), 'SHA256SUMS')
  const name = path.basename(target)
  const hash = createHash('sha256').update(content).digest('hex')
  const old = await readFile(sums, 'utf8').catch(() => '')
  const lines = old.split('\n').filter((l) => l.trim() && l.replace(/^[0-9a-f]{64} [ *]/, '') !== name)
  lines.push(`${hash}  ${name}`)
  lines.sort((a, b) => compareText(a.slice(66), b.slice(66)))
  await writeOutput(sums, lines.join('\n') + '\n')
  return sums
}
