import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { generate } from 'selfsigned'
import { PACKAGE_ROOT } from '../core/ruleset.js'

/**
 * What the demos and the live tests share to run a fixture service on this machine: a certificate
 * for localhost and 127.0.0.1, and copies of the fixtures whose URLs point at the local servers.
 * (selfsigned is a devDependency, like the servers these serve.)
 */

const DAY_MS = 24 * 60 * 60 * 1000

/** A self-signed certificate (PEM) for localhost and 127.0.0.1, valid for `days` (selfsigned's default otherwise). */
export async function localhostCertificate(days?: number): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...(days !== undefined ? { notAfterDate: new Date(Date.now() + days * DAY_MS) } : {}),
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

function copyFixture(name: string, dest: string, files: string[], rewrite: (text: string) => string): string {
  cpSync(path.join(PACKAGE_ROOT, 'fixtures/services', name), dest, { recursive: true })
  for (const file of files)
    writeFileSync(path.join(dest, file), rewrite(readFileSync(path.join(dest, file), 'utf8')))
  return dest
}

/**
 * The good library fixture copied to `dest`, its production environment at 127.0.0.1, its sandbox
 * and identity provider at localhost, all on the example service's port.
 */
export function libraryOnThisMachine(dest: string, port: number): string {
  return copyFixture('good-library', dest, ['openapi.yaml', 'interop.yaml'], (text) =>
    text
      .replaceAll('https://api.bokslut.example/library/v1', `https://127.0.0.1:${port}/library/v1`)
      .replaceAll('https://sandbox.bokslut.example/library/v1', `https://localhost:${port}/library/v1`)
      .replaceAll('https://login.bokslut.example', `https://localhost:${port}`),
  )
}

/** The care journal fixture copied to `dest`, its FHIR endpoint at `baseUrl`, with a bearer token from `tokenEnv`. */
export function careJournalOnThisMachine(dest: string, baseUrl: string, tokenEnv: string): string {
  return copyFixture('care-journal', dest, ['interop.yaml'], (text) =>
    text
      .replace('https://fhir.vardkedjan.example/r4', baseUrl)
      .replace('  packages:', `  credentials: { type: bearer, tokenEnv: ${tokenEnv} }\n  packages:`),
  )
}
