import { randomBytes } from 'node:crypto'
import { rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../core/errors.js'

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
