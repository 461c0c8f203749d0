// Compiles, once at build time, the JSON Schemas every `check` validates against, into modules of
// ajv's standalone code, so that no run pays for compiling them (ajv turns a schema into JavaScript,
// about a millisecond per schema; the OpenAPI 3.1 schema alone takes over 50 ms):
//   generated/validators/shipped.cjs  the schemas in schemas/ (ruleset, config, manifest, report, recording)
//   generated/validators/options.cjs  each shipped rule's option schema (with defaults filled in)
//   generated/validators/spectral.cjs the option schemas of the functions Spectral rulesets call
//   generated/validators/meta07.cjs, meta2020.cjs  the JSON Schema meta-schemas, for the example checks
//   generated/validators/oas2.cjs, oas30.cjs, oas31.cjs  the Swagger 2.0, OpenAPI 3.0 and 3.1 schemas
//                                     swagger-parser validates descriptions with (3.1 as it adjusts it)
// Each module also exports `hashes`: a fingerprint of every schema it was compiled from. At run time
// (src/core/precompiled.ts) a validator is used only if the schema in hand has the same fingerprint,
// and compiled as before otherwise, so a stale build is slower, never wrong.
// The ajv options here must equal those of the places that compile the same schemas at run time.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import standaloneCode from 'ajv/dist/standalone/index.js'
import addFormats from 'ajv-formats'
import AjvDraft4 from 'ajv-draft-04'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const out = path.join(root, 'generated', 'validators')
mkdirSync(out, { recursive: true })
// The code caches of the modules written before (scripts/code-cache.js makes those of these).
for (const f of readdirSync(out)) if (f.endsWith('.cache')) rmSync(path.join(out, f))
const { fingerprint, metaSchemaKey, oasSchemas, oasSchemasKey, OAS_DEFINITIONS, withQuickPointerEscapes } =
  await import(new URL('../dist/core/precompiled.js', import.meta.url).href)

/** Writes one module: ajv's standalone code of the validators `ids` (name -> schema id), and their fingerprints. */
function emit(file, ajv, ids, hashes) {
  writeFileSync(
    path.join(out, file),
    `${withQuickPointerEscapes(standaloneCode(ajv, ids))}\nexports.hashes = ${JSON.stringify(hashes)};\n`,
  )
  return Object.keys(ids).length
}

/** One module of `schemas` (name -> schema) compiled with one ajv, each fingerprinted by its content. */
function write(file, ajv, schemas) {
  const ids = {}
  const hashes = {}
  for (const [name, schema] of Object.entries(schemas)) {
    const id = `urn:interop:${name}`
    ajv.addSchema(schema, id)
    ids[name] = id
    hashes[name] = fingerprint(schema)
  }
  return emit(file, ajv, ids, hashes)
}

// 1. The project's own schemas, as src/core/schemas.ts compiles them.
const shipped = {}
for (const name of ['ruleset', 'manifest', 'report', 'recording', 'config'])
  shipped[name] = JSON.parse(readFileSync(path.join(root, 'schemas', `${name}.schema.json`), 'utf8'))
const shippedAjv = new Ajv2020({ allErrors: true, strict: false, code: { source: true } })
addFormats(shippedAjv)
let count = write('shipped.cjs', shippedAjv, shipped)

// 2. Rule options, as src/core/options.ts compiles them.
const { shippedRules } = await import(new URL('../dist/rules/index.js', import.meta.url).href)
const { optionsSchemaOf } = await import(new URL('../dist/core/options.js', import.meta.url).href)
const options = {}
for (const [id, load] of Object.entries(shippedRules)) options[id] = optionsSchemaOf((await load()).default)
count += write(
  'options.cjs',
  new Ajv2020({ allErrors: true, useDefaults: true, strict: false, code: { source: true } }),
  options,
)

// 2b. The options and inputs of the functions Spectral rulesets call, as src/declarative/spectral.ts
// and src/declarative/rule.ts compile them.
const { BUILTIN_FUNCTIONS } = await import(new URL('../dist/declarative/spectral.js', import.meta.url).href)
const functionOptions = {}
for (const [name, fn] of Object.entries(BUILTIN_FUNCTIONS)) {
  if (fn.options) functionOptions[name] = fn.options
  // What a function takes (src/declarative/rule.ts checks each target against it), under `name#input`.
  if (fn.input) functionOptions[`${name}#input`] = fn.input
}
count += write(
  'spectral.cjs',
  new Ajv({ strict: false, allErrors: false, code: { source: true } }),
  functionOptions,
)

// 3. The OpenAPI schemas, as swagger-parser's validators/schema.js compiles them, and the definitions
// in them that a `$ref`'s target is validated against where it is used (src/loaders/openapi.ts).
const oas = oasSchemas(require)
const oasOptions = { allErrors: true, strict: false, validateFormats: false, code: { source: true } }
function writeOas(file, ajv, name, schema) {
  ajv.addSchema(schema)
  const base = schema.$id ?? schema.id
  const ids = { [name]: base }
  for (const [kind, pointer] of Object.entries(OAS_DEFINITIONS[name]))
    ids[`${name}#${kind}`] = `${base}#${pointer}`
  const hash = fingerprint(oasSchemasKey(require))
  return emit(file, ajv, ids, Object.fromEntries(Object.keys(ids).map((k) => [k, hash])))
}
count += writeOas('oas2.cjs', new AjvDraft4(oasOptions), 'v2', oas.v2)
count += writeOas('oas30.cjs', new AjvDraft4(oasOptions), 'v3', oas.v3)
count += writeOas('oas31.cjs', new Ajv2020(oasOptions), 'v31', oas.v31)
// 4. The JSON Schema meta-schemas (draft-07, 2020-12) the example checks validate each schema
// against before using it, with the options of src/rules/openapi/util-schema.ts.
const metaOptions = {
  strict: false,
  allErrors: true,
  unicodeRegExp: false,
  logger: false,
  code: { source: true },
}
for (const [file, ajv, name, id] of [
  ['meta07.cjs', new Ajv(metaOptions), 'draft-07', 'http://json-schema.org/draft-07/schema'],
  ['meta2020.cjs', new Ajv2020(metaOptions), '2020-12', 'https://json-schema.org/draft/2020-12/schema'],
]) {
  // The meta-schemas' `format`s (regex, uri-reference, ...) are checked as the run-time ajv checks them.
  addFormats(ajv)
  count += emit(file, ajv, { [name]: id }, { [name]: fingerprint(metaSchemaKey(name)) })
}
console.log(`generated/validators: ${count} schemas compiled`)
