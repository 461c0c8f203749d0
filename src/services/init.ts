import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../core/errors.js'
import { compareText } from '../core/order.js'
import { MANIFEST_NAMES } from '../loaders/manifest.js'
import { readHead, toFileUri } from '../loaders/reader.js'
import { parseSource } from '../loaders/source.js'
import { writeOutput } from './output.js'

export interface InitOptions {
  /** The folder to write interop.yaml into (the root of the vendor's repository). */
  dir: string
  /** Overwrite an existing manifest. */
  force?: boolean
}

export interface InitResult {
  file: string
  /** OpenAPI descriptions found, relative to the folder. */
  apis: { path: string; title?: string }[]
}

// Folders that hold dependencies or build output, never the vendor's own descriptions.
const SKIP = new Set(['node_modules', '.git', 'dist', 'build', 'target', 'vendor', 'coverage', '.venv'])
const MAX_DEPTH = 5

/** Writes a commented starter manifest for a folder, naming the OpenAPI descriptions found in it. */
export async function initManifest(options: InitOptions): Promise<InitResult> {
  const dir = path.resolve(options.dir)
  const existing = MANIFEST_NAMES.map((n) => path.join(dir, n)).find((f) => existsSync(f))
  if (existing && !options.force)
    throw new InputError(`${path.basename(existing)} already exists; use --force to overwrite it.`, {
      file: path.relative(process.cwd(), existing) || existing,
    })
  const apis = await findOpenApi(dir)
  const file = path.join(dir, 'interop.yaml')
  const schema = path.relative(
    dir,
    fileURLToPath(new URL('../../schemas/manifest.schema.json', import.meta.url)),
  )
  await writeOutput(file, starter(apis, path.basename(dir), schema.split(path.sep).join('/')))
  return { file, apis }
}

async function findOpenApi(root: string): Promise<InitResult['apis']> {
  const found: InitResult['apis'] = []
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
    for (const e of entries.sort((a, b) => compareText(a.name, b.name))) {
      const full = path.join(dir, e.name)
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) await walk(full, depth + 1)
      } else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name) && !MANIFEST_NAMES.includes(e.name)) {
        const head = await readHead(full, 8192)
        // A root OpenAPI document names its version at the top level; split-off parts do not.
        if (/^\s*["']?(openapi|swagger)["']?\s*:\s*["']?\d/m.test(head)) {
          const title = await titleOf(full)
          found.push({
            path: path.relative(root, full).split(path.sep).join('/'),
            ...(title ? { title } : {}),
          })
        }
      }
    }
  }
  await walk(root, 0)
  return found
}

/** The description's info.title, when the file parses. */
async function titleOf(file: string): Promise<string | undefined> {
  try {
    const doc = parseSource(await readFile(file, 'utf8'), toFileUri(file), file)
    const title = (doc.value as { info?: { title?: unknown } }).info?.title
    return typeof title === 'string' && title.trim() ? title.trim() : undefined
  } catch {
    return undefined
  }
}

function yamlString(s: string): string {
  return JSON.stringify(s)
}

function starter(apis: InitResult['apis'], folder: string, schema: string): string {
  const name = apis[0]?.title ?? folder
  const apiLines = apis.length
    ? apis.flatMap((a) => [
        `  - name: ${yamlString(a.title ?? path.basename(a.path))}`,
        `    openapi: ${yamlString(a.path)}`,
        '    environments:',
        '      production: https://api.example.org/v1      # the base URL your customers call',
        '      sandbox: https://sandbox.example.org/v1      # where they can integrate and test',
      ])
    : [
        '  # No OpenAPI description was found in this folder. Name yours here:',
        '  # - name: My API',
        '  #   openapi: openapi.yaml',
        '  #   environments:',
        '  #     production: https://api.example.org/v1',
      ]
  return `# yaml-language-server: $schema=${schema}
#
# interop service manifest: describes your service as a whole, so that \`interop check\` can check
# it against a municipality's rulesets. Paths are relative to this file. Declarations are what you
# state and the documents cannot prove; reports show them as declared, never as verified. A rule
# that needs a declaration you leave out is reported as not checked, which lowers coverage.

service:
  name: ${yamlString(name)}
  vendor: "Your company AB"                       # who delivers and answers for the service
  version: "1.0.0"
  contact:
    name: "Integration support"
    email: support@example.org
    url: https://example.org/support
  website: https://example.org
  # changelog: https://example.org/changelog      # where changes are announced

apis:
${apiLines.join('\n')}
${apis.length ? '' : '  []\n'}
# dataFormats:
#   schemas:                                      # JSON Schemas and samples that must validate
#     - schema: schemas/case.schema.json
#       samples: [samples/case-1.json]
#   formats: [text/csv, application/geo+json]     # other open formats you offer

# declarations:
#   hosting:
#     provider: "Cloud provider name"
#     processingCountries: [SE]                   # ISO 3166-1 alpha-2
#     storageCountries: [SE]                      # including backups
#     subProcessorsOutsideEea: []                 # name each, or [] when there are none
#   dataExport:
#     formats: [text/csv, application/json]       # a full export of the customer's data
#     method: "Self-service export API"
#     leadTime: P2D                               # ISO 8601 duration
#     cost: included                              # or { amount: 0, currency: SEK }
#   exitPlan: https://example.org/exit-plan
#   sla:
#     availability: 99.9
#     supportHours: "Mon-Fri 08-17 CET"
#     url: https://example.org/sla
#   identity:
#     protocols: [oidc, saml]
#     federations: [Sambi]
#   sourceLicense: EUPL-1.2                       # SPDX identifier, or "proprietary"
#   conformance:
#     - standard: "REST API-profil"
#       url: https://dev.dataportal.se/rest-api-profil
`
}
