import { createHash } from 'node:crypto'
import { open, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { InputError } from '../core/errors.js'

/**
 * Documents larger than this are refused rather than read into memory (YAML ones have a lower limit
 * of their own, MAX_YAML_CHARS in source.ts). The README lists the limits under "Safety".
 */
export const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
const REMOTE_TIMEOUT_MS = 15_000

/** Why a reference was not followed. */
export type RefusalReason = 'outside-folder' | 'remote-not-allowed'

export class RefusedError extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly target: string,
  ) {
    super(`refused to read ${target}: ${reason}`)
  }
}

/**
 * Where documents come from. The disk reader only reads under the input's folder and only calls
 * hosts the user allowed; tests give an in-memory reader.
 */
export interface DocumentReader {
  /** The document's text; a byte order mark it starts with is kept (parseSource notes it). */
  read(uri: string): Promise<string>
  /**
   * The SHA-256 (hex) of the bytes `read` took a document's text from, where it read a file: what a
   * report's digest of an input is (inputDigest), without encoding the text again to hash it.
   */
  digest?(uri: string): string | undefined
  /**
   * The files a glob matches, relative to a folder URI, as URIs in a stable order; only files
   * inside the reader's folder. Readers that cannot list treat the pattern as one file name.
   */
  list?(pattern: string, baseUri: string): Promise<string[]>
}

export interface DiskReaderOptions {
  /** Absolute folder that local documents must stay within. */
  rootDir: string
  /** Hosts whose http(s) documents may be fetched (`--allow-remote-ref`). */
  allowedHosts: readonly string[]
}

export function toFileUri(p: string): string {
  return pathToFileURL(path.resolve(p)).href
}

export function isWithin(dir: string, file: string): boolean {
  const rel = path.relative(dir, file)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

export function createDiskReader(options: DiskReaderOptions): DocumentReader {
  let realRoot: string | undefined
  const digests = new Map<string, string>()
  return {
    digest: (uri) => digests.get(uri),
    async list(pattern: string, baseUri: string): Promise<string[]> {
      const base = fileURLToPath(new URL('.', baseUri))
      // Imported here: only a manifest's globs need it (tinyglobby, fdir and picomatch: ~8 ms of a run).
      const { glob } = await import('tinyglobby')
      const found = await glob(pattern, {
        cwd: base,
        onlyFiles: true,
        followSymbolicLinks: false,
        dot: false,
        ignore: ['**/node_modules/**'],
      })
      return found
        .map((f) => path.resolve(base, f))
        .filter((f) => isWithin(options.rootDir, f))
        .sort()
        .map((f) => pathToFileURL(f).href)
    },
    async read(uri: string): Promise<string> {
      const url = new URL(uri)
      if (url.protocol === 'file:') {
        let file: string
        try {
          file = fileURLToPath(url)
        } catch {
          // A `%` not followed by two hex digits, or an encoded `/` or NUL, names no file.
          throw new InputError(`'${uri}' is not the URL of a file (see its percent-encoding).`)
        }
        realRoot ??= await realpath(options.rootDir).catch(() => options.rootDir)
        if (!isWithin(options.rootDir, file)) throw new RefusedError('outside-folder', file)
        let real: string
        try {
          real = await realpath(file)
        } catch {
          throw new InputError(`File not found.`, { file: displayPath(uri) })
        }
        // A symbolic link inside the folder must not lead outside it.
        if (!isWithin(realRoot, real)) throw new RefusedError('outside-folder', file)
        const read = await readLocalFile(real, displayPath(uri), { keepBom: true, digest: true })
        digests.set(uri, read.sha256!)
        return read.text
      }
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        if (!options.allowedHosts.includes(url.hostname)) throw new RefusedError('remote-not-allowed', uri)
        return fetchText(uri)
      }
      throw new InputError(`Unsupported URL scheme ${url.protocol} in ${uri}.`)
    },
  }
}

/**
 * A local file's text, as every document is read: a file (not a folder or device), no larger than
 * MAX_DOCUMENT_BYTES (refused before it is read), in UTF-8. A byte order mark it starts with is
 * dropped, or with `keepBom` kept as U+FEFF.
 */
export async function readLocalText(
  file: string,
  shown: string,
  options: { keepBom?: boolean } = {},
): Promise<string> {
  return (await readLocalFile(file, shown, options)).text
}

/** readLocalText's text, and with `digest` the SHA-256 (hex) of the file's bytes. */
async function readLocalFile(
  file: string,
  shown: string,
  options: { keepBom?: boolean; digest?: boolean },
): Promise<{ text: string; sha256?: string }> {
  const info = await stat(file).catch(() => undefined)
  if (!info) throw new InputError(`File not found.`, { file: shown })
  if (!info.isFile()) throw new InputError(`Not a file.`, { file: shown })
  if (info.size > MAX_DOCUMENT_BYTES)
    throw new InputError(`The file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`, { file: shown })
  const bytes = await readFile(file)
  const text = decodeUtf8(bytes, shown, options.keepBom)
  return options.digest ? { text, sha256: createHash('sha256').update(bytes).digest('hex') } : { text }
}

function decodeUtf8(buf: Buffer, file: string, keepBom = false): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: keepBom }).decode(buf)
  } catch {
    if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
      throw new InputError('The file is UTF-16 text; interop reads UTF-8: save it as UTF-8.', { file })
    throw new InputError('The file is not valid UTF-8 text: save it as UTF-8.', {
      file,
      line: invalidUtf8Line(buf),
    })
  }
}

/**
 * The first line holding bytes that are not UTF-8. Lines are decoded one by one: a newline byte is
 * never part of a multi-byte character, so a line boundary is a character boundary.
 */
function invalidUtf8Line(buf: Buffer): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  for (let start = 0, line = 1; start < buf.length; line++) {
    const newline = buf.indexOf(10, start)
    const end = newline === -1 ? buf.length : newline
    try {
      decoder.decode(buf.subarray(start, end))
    } catch {
      return line
    }
    start = end + 1
  }
  return undefined
}

async function fetchText(uri: string): Promise<string> {
  try {
    // undici is loaded only when a document is fetched, not on every run.
    const { request } = await import('undici')
    const res = await request(uri, {
      method: 'GET',
      headersTimeout: REMOTE_TIMEOUT_MS,
      bodyTimeout: REMOTE_TIMEOUT_MS,
      headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
    })
    if (res.statusCode !== 200) {
      await res.body.dump()
      throw new InputError(`Fetching ${uri} answered HTTP ${res.statusCode}.`)
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length
      if (size > MAX_DOCUMENT_BYTES) {
        res.body.destroy()
        throw new InputError(`${uri} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`)
      }
      chunks.push(chunk as Buffer)
    }
    return decodeUtf8(Buffer.concat(chunks), uri, true)
  } catch (e) {
    if (e instanceof InputError) throw e
    throw new InputError(`Could not fetch ${uri}: ${(e as Error).message}.`)
  }
}

/** A URI as shown to users: a path relative to the working directory for files, the URL otherwise. */
export function displayPath(uri: string, cwd = process.cwd()): string {
  if (!uri.startsWith('file:')) return uri
  const file = fileURLToPath(uri)
  const rel = path.relative(cwd, file)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file
}

/** An in-memory reader for tests and for rule test cases: paths relative to a virtual root. */
export function createMemoryReader(files: Record<string, string>, root = '/virtual/'): DocumentReader {
  const byUri = new Map(Object.entries(files).map(([name, text]) => [toFileUri(path.join(root, name)), text]))
  return {
    async read(uri: string) {
      if (uri.startsWith('file:') && !isWithin(root, fileURLToPath(uri)))
        throw new RefusedError('outside-folder', uri)
      const text = byUri.get(uri)
      if (text === undefined) {
        if (!uri.startsWith('file:')) throw new RefusedError('remote-not-allowed', uri)
        throw new InputError('File not found.', { file: displayPath(uri, root) })
      }
      return text
    },
  }
}

/** The first bytes of a file as text, to tell what kind of document it is without reading it all. */
export async function readHead(file: string, bytes = 65536): Promise<string> {
  const handle = await open(file, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buf, 0, bytes, 0)
    return buf.subarray(0, bytesRead).toString('utf8')
  } finally {
    await handle.close()
  }
}
