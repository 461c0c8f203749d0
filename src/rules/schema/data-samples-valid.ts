import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import Ajv04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'
import { defineRule } from '../../core/define-rule.js'
import type { SchemaSamples } from '../../loaders/manifest.js'
import type { SourceDocument } from '../../loaders/source.js'
import { describeErrors } from '../openapi/util-schema.js'

type AnyAjv = Ajv | Ajv2019 | Ajv2020

// Both are CommonJS; under NodeNext their default imports are typed as the module objects.
const Ajv04 = ((Ajv04Module as unknown as { default?: unknown }).default ?? Ajv04Module) as unknown as new (
  opts: object,
) => Ajv
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: AnyAjv) => void

const require = createRequire(import.meta.url)

type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12'

/** The dialect a `$schema` names; 2020-12 when there is none, as the manifest schema documents. */
function draftOf(schema: unknown): Draft | { unsupported: string } {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return '2020-12'
  const uri = (schema as Record<string, unknown>).$schema
  if (uri === undefined) return '2020-12'
  if (typeof uri !== 'string') return { unsupported: JSON.stringify(uri) }
  const m = /^https?:\/\/json-schema\.org\/(draft-0[467]|draft\/2019-09|draft\/2020-12)\/schema#?$/.exec(uri)
  if (!m) return { unsupported: uri }
  return m[1]!.replace('draft/', '') as Draft
}

function createAjv(draft: Draft): AnyAjv {
  // strict: false, because real-world schemas carry keywords of other drafts and vocabularies that
  // the draft ignores; allErrors, so that a finding lists everything wrong with a sample.
  const options = { strict: false, allErrors: true, logger: false as const }
  let ajv: AnyAjv
  switch (draft) {
    case 'draft-04':
      ajv = new Ajv04(options)
      break
    case 'draft-06':
      // ajv implements draft-06 with its draft-07 class once the draft-06 meta-schema is known.
      ajv = new Ajv(options)
      ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object)
      break
    case 'draft-07':
      ajv = new Ajv(options)
      break
    case '2019-09':
      ajv = new Ajv2019(options)
      break
    case '2020-12':
      ajv = new Ajv2020(options)
      break
  }
  addFormats(ajv)
  return ajv
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/\.$/, '')
}

/**
 * One validator per draft, each holding every schema the manifest lists, by file URI and by `$id`
 * (ajv registers both), so that `$ref`s between the listed files resolve and nothing else does:
 * ajv compiles synchronously and never loads a schema, so a `$ref` to anything else (a remote URL,
 * a file the manifest does not list) makes the schema fail to compile.
 */
class Validators {
  private readonly byDraft = new Map<Draft, AnyAjv>()
  /** Why a listed schema could not be registered (invalid against its meta-schema, duplicate id). */
  private readonly refused = new Map<string, string>()

  constructor(private readonly schemas: SourceDocument[]) {}

  forDraft(draft: Draft): AnyAjv {
    let ajv = this.byDraft.get(draft)
    if (ajv) return ajv
    ajv = createAjv(draft)
    for (const doc of this.schemas) {
      const own = draftOf(doc.value)
      let value = doc.value
      // A schema of another draft is read as this one (its `$schema` dropped) when referred to from
      // here: ajv has one dialect per instance.
      if (own !== draft && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const { $schema: _dropped, ...rest } = value as Record<string, unknown>
        value = rest
      }
      try {
        ajv.addSchema(value as object, doc.uri)
      } catch (e) {
        if (own === draft) this.refused.set(doc.uri, firstLine(e))
      }
    }
    this.byDraft.set(draft, ajv)
    return ajv
  }

  compile(entry: SchemaSamples, draft: Draft) {
    const ajv = this.forDraft(draft)
    const refused = this.refused.get(entry.schema.uri)
    if (refused) return { error: refused }
    try {
      const validate = ajv.getSchema(entry.schema.uri)
      return validate ? { validate } : { error: 'it is not a JSON Schema' }
    } catch (e) {
      return { error: firstLine(e) }
    }
  }
}

export default defineRule({
  meta: {
    id: 'data-samples-valid',
    title: 'Sample payloads validate against their JSON Schemas',
    failureTitle: 'Sample payloads do not validate against their JSON Schemas',
    description:
      'A data format is only open if its schema describes the data as it really is; when the vendor’s own samples fail their schema, a municipality or another supplier that builds on the schema will fail on real data. ' +
      'Keep schemas and samples in step, each schema validating with the JSON Schema draft it declares, and give every schema samples.',
    fix: 'Correct the sample or the schema so that the sample validates, and add samples to schemas that have none.',
    sources: [
      { title: 'JSON Schema specification (2020-12)', url: 'https://json-schema.org/specification' },
      {
        title: 'JSON Schema specification links (draft-04 to 2020-12)',
        url: 'https://json-schema.org/specification-links',
      },
      {
        title: 'European Interoperability Framework, recommendation 9 (open specifications)',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
    ],
    requires: ['schemas'],
    messages: {
      'invalid-sample': 'The sample {{sample}} does not validate against {{schema}} ({{draft}}): {{errors}}.',
      'invalid-schema': 'The schema {{schema}} cannot be used to validate samples: {{error}}.',
      'no-samples': 'The schema {{schema}} has no sample payloads to show and check it with real data.',
    },
  },
  check(ctx) {
    const { entries } = ctx.artifacts.schemas!
    if (!entries.length) {
      ctx.notApplicable('the manifest lists no data format schemas')
      return
    }
    const unique = new Map(entries.map((e) => [e.schema.uri, e.schema]))
    const validators = new Validators([...unique.values()])
    for (const entry of entries) {
      const schema = entry.schema.displayPath
      const at = { uri: entry.schema.uri, pointer: '' }
      if (!entry.samples.length) ctx.report({ messageId: 'no-samples', loc: entry.loc, data: { schema } })
      const draft = draftOf(entry.schema.value)
      if (typeof draft !== 'string') {
        ctx.report({
          messageId: 'invalid-schema',
          loc: at,
          data: {
            schema,
            error: `its $schema ${draft.unsupported} is not a JSON Schema draft this check supports`,
          },
        })
        continue
      }
      const v = entry.schema.value
      if (typeof v !== 'boolean' && (v === null || typeof v !== 'object' || Array.isArray(v))) {
        ctx.report({
          messageId: 'invalid-schema',
          loc: at,
          data: { schema, error: 'it is not a JSON Schema' },
        })
        continue
      }
      const compiled = validators.compile(entry, draft)
      if (!compiled.validate) {
        ctx.report({ messageId: 'invalid-schema', loc: at, data: { schema, error: compiled.error } })
        continue
      }
      for (const sample of entry.samples) {
        if (compiled.validate(sample.value)) continue
        ctx.report({
          messageId: 'invalid-sample',
          loc: { uri: sample.uri, pointer: '' },
          data: {
            sample: sample.displayPath,
            schema,
            draft,
            errors: describeErrors(compiled.validate.errors ?? []),
          },
        })
      }
    }
  },
})
