import { readFileSync } from 'node:fs'
import path from 'node:path'
import Ajv04Module from 'ajv-draft-04'
import type { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../src/core/types.js'
import { FORMATS, formatReport, type Format } from '../../src/formatters/index.js'
import type { Report } from '../../src/report/model.js'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * Vendor-supplied strings (titles, descriptions, property names, paths, examples, manifest fields,
 * and what a live service answers) carry payloads for every output format: HTML and script, Markdown
 * structure, JSON and SARIF breakers, GitHub and Azure workflow commands, JUnit XML, formula-like
 * text. No format lets one forge a finding, an annotation, a test case, a table row or a heading,
 * break the file, or run a command in a CI log; formula-like text stays the literal text it was.
 */

const PAYLOADS = {
  html: '<script>alert(1)</script> "><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>',
  markdown:
    'a | b | c `tick` ``` [x](javascript:alert(4)) ](javascript:alert(5))\n- [ ] task\n## Heading\n| forged | row |\n<details>\r## CR heading\r\n---',
  json: 'q"uote \\ back \u0000 nul \u001b[31mred\u001b[0m \u202Eevil\u202C \uD800 lone',
  github:
    'x\n::error file=forged.yaml,line=1::forged\n  ::warning::forged ##[error]forged ::add-mask::secret',
  azure: 'y ##vso[task.logissue type=error]forged\r##vso[task.setvariable variable=PATH]/tmp/evil;]',
  junit: ']]> <testcase name="forged"/> <!-- &amp; &#x3C; <![CDATA[ x ]]>',
  formula: '=HYPERLINK("http://x") +cmd|\' /C calc\'!A0 @SUM(1+1) -2+3',
}
const ALL = Object.values(PAYLOADS).join(' ')
const FORMULAS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", '@SUM(1+1)']
const LONG = 'L'.repeat(100_000)
const yaml = (s: string) => JSON.stringify(s)
/** A file name with commands in it, which an error message quotes on standard error. */
const MISSING_FILE = 'api ##vso[task.setvariable variable=X]y\n::error::forged.json'

/** A service whose manifest and description carry the payloads wherever a vendor writes text. */
const dir = tempFiles({
  'interop.yaml': `service:
  name: ${yaml(`Svc ${ALL}`)}
  vendor: ${yaml(`Vendor ${PAYLOADS.github} ${PAYLOADS.azure}`)}
  version: ${yaml(PAYLOADS.formula)}
  description: ${yaml(ALL)}
  contact: { name: ${yaml(PAYLOADS.markdown)}, url: 'https://example.org/"><script>alert(6)</script>' }
apis:
  - name: ${yaml(`api ${PAYLOADS.markdown}`)}
    openapi: api.json
declarations:
  hosting: { provider: ${yaml(PAYLOADS.azure)}, storageCountries: [SE] }
  sourceLicense: ${yaml(PAYLOADS.formula)}
`,
  // JSON, where a property name may be as long as a vendor likes.
  'api.json': JSON.stringify({
    openapi: '3.1.0',
    info: { title: `Title ${ALL}`, version: PAYLOADS.formula, description: ALL },
    paths: {
      [`/items/${PAYLOADS.markdown.replace(/\n/g, ' ')}`]: {
        get: {
          operationId: PAYLOADS.github,
          parameters: [
            { name: PAYLOADS.html, in: 'query', schema: { type: 'string' }, example: PAYLOADS.formula },
          ],
          responses: {
            200: {
              description: PAYLOADS.junit,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      [`createdDate ${PAYLOADS.github}`]: { type: 'string', example: PAYLOADS.formula },
                      [`${PAYLOADS.formula} ${PAYLOADS.azure}`]: { type: 'string' },
                      [`when ${PAYLOADS.markdown}`]: { type: 'string' },
                      [`j ${PAYLOADS.json} ${PAYLOADS.junit}`]: { type: 'string' },
                      [LONG]: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  }),
})

/** The OASIS SARIF 2.1.0 schema, as ci.test.ts validates against it. */
const Ajv04 = ((Ajv04Module as unknown as { default?: unknown }).default ?? Ajv04Module) as unknown as new (
  opts: object,
) => Ajv
const ajv = new Ajv04({ allErrors: true, strict: false })
addFormats.default(ajv as never)
const validSarif = ajv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')),
)

/** The report of a check of the hostile service, as the CLI writes it, and its progress messages. */
const { report: checked, stderr: progress } = (() => {
  const r = cli(['check', path.join(dir, 'interop.yaml'), '-f', 'json', '--fail-on', 'none'])
  if (r.status !== 0) throw new Error(r.stderr)
  return { report: JSON.parse(r.stdout) as Report, stderr: r.stderr }
})()

/**
 * The same report with every string a vendor or a live service can put into a report holding a
 * payload (the service, inputs, messages, places, evidence, reasons, live targets and notes), and a
 * twin of it with plain words in those places: whatever a format makes of the twin, it must make of
 * the hostile one in the same shape.
 */
function variant(text: (i: number) => string): Report {
  const severities = ['error', 'warn', 'info'] as const
  const base = checked.findings[0]!
  const findings: Finding[] = Array.from({ length: 9 }, (_, i) => ({
    ...base,
    ruleId: checked.findings[i % checked.findings.length]!.ruleId,
    rulesetId: checked.findings[i % checked.findings.length]!.rulesetId,
    severity: severities[i % 3]!,
    message: text(i),
    location: {
      ...base.location,
      source: `fixtures/${text(i + 1)}.yaml`,
      pointer: `/paths/${text(i + 2)}`,
    },
    evidence: {
      excerpt: text(i + 3),
      http: {
        method: 'GET',
        url: `https://service.example/${text(i + 4)}`,
        status: 200,
        headers: { 'content-type': text(i + 5) },
        bodyExcerpt: text(i + 6),
      },
    },
  }))
  let k = 0
  return {
    ...checked,
    service: { name: text(k++), vendor: text(k++), version: text(k++) },
    inputs: checked.inputs.map((input) => ({ ...input, source: `${input.source}${text(k++)}` })),
    rulesets: checked.rulesets.map((rs) => ({
      ...rs,
      rules: rs.rules.map((r) => (r.reason ? { ...r, reason: text(k++) } : r)),
    })),
    findings,
    live: {
      observedAt: checked.createdAt,
      targets: [{ api: text(k++), environment: 'production', baseUrl: `https://x.example/${text(k++)}` }],
      requests: 3,
      allowUnsafe: false,
      notes: [text(k++)],
    },
  }
}
const payloadAt = (i: number) => [ALL, ...Object.values(PAYLOADS), LONG][i % 9]!
const hostile = variant(payloadAt)
const twin = variant((i) => `plain${i % 9}`)
const render = async (report: Report, format: Format) =>
  formatReport(report, format, { color: false, cwd: ROOT })
const text = async (report: Report, format: Format) => String(await render(report, format))

/** Lines a CI system would act on: GitHub workflow commands (`::` at a line start, `##[` anywhere) and Azure logging commands (`##vso[` anywhere). */
function commandLines(out: string): string[] {
  return out.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::') || l.includes('##['))
}
const azureCommands = (out: string) => out.split(/\r\n|\r|\n/).filter((l) => l.includes('##vso['))

/** What a reader sees of a Markdown document's structure: headings, table rows and their cells, list items; fenced blocks skipped. */
function markdownShape(md: string): string[] {
  const shape: string[] = []
  let fence: string | undefined
  // CommonMark ends a line at a carriage return as well.
  for (const line of md.split(/\r\n|\r|\n/)) {
    if (fence) {
      if (line === fence) fence = undefined
      continue
    }
    const open = /^ *(`{3,})/.exec(line)
    if (open) {
      fence = open[1]
      continue
    }
    if (/^ {0,3}#{1,6}( |$)/.test(line)) shape.push(`heading ${/#+/.exec(line)![0]}`)
    else if (/^\s*\|/.test(line)) shape.push(`row ${line.replace(/\\\|/g, '').split('|').length}`)
    else if (/^\s*([-*+]|\d+[.)]) /.test(line)) shape.push(`item ${/^\s*/.exec(line)![0].length}`)
    else if (/^ {0,3}(>|<|={3,}|-{3,})/.test(line)) shape.push(`block ${line.trim().slice(0, 8)}`)
  }
  return shape
}

/** Markdown without its fenced blocks and code spans, whose content is text, not markup. */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '').replace(/(`+) [^\n]*? \1/g, '')
}

/** The tags and attribute names of an HTML document, in order: what the markup is made of. */
function markupOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)].map(
    (m) =>
      `${m[0].startsWith('</') ? '/' : ''}${m[1]!.toLowerCase()} ${[...m[2]!.matchAll(/\s([\w-]+)\s*=/g)].map((a) => a[1]).join(' ')}`,
  )
}

describe('vendor strings in every report format', () => {
  it('reach the findings of a real check, payloads and all', () => {
    const messages = checked.findings.map((f) => f.message).join('\n')
    for (const p of ['::error file=forged.yaml', '##vso[task.logissue', '<script>', '=HYPERLINK("http://x")'])
      expect(messages).toContain(p)
    expect(checked.service!.vendor).toContain('##vso[task.setvariable')
  })

  it('name the files of the vendor in progress and error messages without a command for the CI log', () => {
    expect(progress).toContain('Reading ')
    expect(commandLines(progress)).toEqual([])
    expect(azureCommands(progress)).toEqual([])
    // An error that quotes the file: a description that is not there.
    const broken = tempFiles({
      'interop.yaml': `service: {name: s, vendor: v}\napis:\n  - name: a\n    openapi: ${yaml(MISSING_FILE)}\n`,
    })
    const r = cli(['check', path.join(broken, 'interop.yaml')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^interop: /m)
    expect(r.stderr).toContain('task.setvariable')
    expect(commandLines(r.stderr)).toEqual([])
    expect(azureCommands(r.stderr)).toEqual([])
  })

  it('leave JSON, SARIF and GitLab files whole, with every finding and every string as it was', async () => {
    const json = JSON.parse(await text(hostile, 'json')) as Report
    expect(json).toEqual(JSON.parse(JSON.stringify(hostile)))
    const sarif = JSON.parse(await text(hostile, 'sarif'))
    expect(validSarif(sarif), JSON.stringify(validSarif.errors?.slice(0, 3))).toBe(true)
    expect(sarif.runs[0].results.map((r: { message: { text: string } }) => r.message.text)).toEqual(
      hostile.findings.map((f) => f.message),
    )
    const gitlab = JSON.parse(await text(hostile, 'gitlab'))
    expect(gitlab.map((i: { description: string }) => i.description)).toEqual(
      hostile.findings.map((f) => f.message),
    )
    expect(new Set(gitlab.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(gitlab.length)
  })

  it('keep JUnit XML well-formed, with one test case per rule and the findings as text', async () => {
    const xml = await text(hostile, 'junit')
    expect(XMLValidator.validate(xml)).toBe(true)
    const rules = hostile.rulesets.flatMap((rs) => rs.rules)
    expect(xml.match(/<testcase /g)).toHaveLength(rules.length)
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      processEntities: true,
    }).parse(xml)
    const suites = [doc.testsuites.testsuite].flat()
    const cases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as {
      failure?: { '#text': string }
    }[]
    expect(cases).toHaveLength(rules.length)
    const failures = cases.filter((c) => c.failure).map((c) => c.failure!['#text'])
    expect(failures).toHaveLength(rules.filter((r) => r.status === 'fail').length)
    // The payloads are text in the failures, formula-like ones character for character.
    const all = failures.join('\n')
    for (const f of FORMULAS) expect(all).toContain(f)
    expect(all).toContain(']]> <testcase name="forged"/>')
  })

  it('write one GitHub annotation per finding shown, and nothing else a runner would act on', async () => {
    const out = await text(hostile, 'github')
    const lines = out.trimEnd().split('\n')
    const shown = ['error', 'warn', 'info'].reduce(
      (n, s) => n + Math.min(10, hostile.findings.filter((f) => f.severity === s).length),
      0,
    )
    expect(commandLines(out)).toHaveLength(shown)
    expect(lines).toHaveLength(shown + 1)
    for (const [i, line] of lines.slice(0, -1).entries()) {
      const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line)
      expect(m, line.slice(0, 120)).not.toBeNull()
      // Only the annotation's own properties, and the message back as it was.
      expect(m![2]!.split(',').map((p) => p.split('=')[0])).toEqual(expect.arrayContaining(['file', 'title']))
      // Decoded as the runner does; commands in it broken up with zero-width spaces, controls shown.
      const back = m![3]!
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%')
        .replace(/\u200B/g, '')
      const f = hostile.findings
        .filter((x) => x.severity === 'error')
        .concat(
          hostile.findings.filter((x) => x.severity === 'warn'),
          hostile.findings.filter((x) => x.severity === 'info'),
        )[i]!
      expect(back).toBe(
        f.message.replace(
          // eslint-disable-next-line no-control-regex
          /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        ),
      )
    }
    expect(azureCommands(out)).toEqual([])
  })

  it('write one Azure logging command per error and warning, and nothing else the agent would act on', async () => {
    const out = await text(hostile, 'azure')
    const expected = hostile.findings.filter((f) => f.severity !== 'info').length
    const lines = out.trimEnd().split(/\r\n|\r|\n/)
    expect(lines).toHaveLength(expected + 1)
    expect(azureCommands(out)).toHaveLength(expected)
    for (const line of lines.slice(0, -1)) {
      // The command's properties end at its first ']', and are only its own.
      const m = /^##vso\[task\.logissue ([^\]]*)\]/.exec(line)
      expect(m, line.slice(0, 120)).not.toBeNull()
      expect(m![1]!.split(';').map((p) => p.split('=')[0])).toEqual(
        expect.arrayContaining(['type', 'sourcepath', 'code']),
      )
      expect(m![1]!.split(';').every((p) => /^(type|sourcepath|linenumber|columnnumber|code)=/.test(p))).toBe(
        true,
      )
    }
    expect(commandLines(out)).toEqual([])
  })

  it.each(['text', 'json', 'markdown', 'html', 'sarif', 'junit', 'gitlab'] as const)(
    'let no payload in the %s format act as a command in a CI log, or as a control character in a terminal',
    async (format) => {
      const out = await text(hostile, format)
      expect(commandLines(out)).toEqual([])
      expect(azureCommands(out)).toEqual([])
      // eslint-disable-next-line no-control-regex
      expect(out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/)
    },
  )

  it('print every finding of the text format on one line, the payloads as visible text', async () => {
    const out = await text(hostile, 'text')
    const plain = await text(twin, 'text')
    expect(out.split('\n')).toHaveLength(plain.split('\n').length)
    for (const f of FORMULAS) expect(out).toContain(f)
    expect(out).toContain('<script>alert(1)</script>')
    expect(out).toContain('\\u001b[31mred')
    expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
  })

  it('add no heading, table row, list item or block to Markdown, and no tag or link', async () => {
    const md = await text(hostile, 'markdown')
    expect(markdownShape(md)).toEqual(markdownShape(await text(twin, 'markdown')))
    // Outside code, no bracket or angle bracket of a payload is left unescaped to make a link or a tag.
    const plain = await text(twin, 'markdown')
    const count = (m: string, pattern: RegExp) => outsideCode(m).match(pattern)?.length ?? 0
    for (const pattern of [/(?<!\\)\]\(/g, /(?<!\\)\[/g, /<details>/g, /<[a-z!]/gi])
      expect([pattern, count(md, pattern)]).toEqual([pattern, count(plain, pattern)])
    for (const f of FORMULAS) expect(md).toContain(f)
  })

  it('add no element, attribute or link to HTML, and keep formula-like text as text', async () => {
    const html = await text(hostile, 'html')
    expect(markupOf(html)).toEqual(markupOf(await text(twin, 'html')))
    expect(html).not.toMatch(/<script|\s(href|src)\s*=\s*["']?javascript:/i)
    // The formula-like text is there as text, character for character once its references are read.
    const texts = html
      .replace(/<[^>]*>/g, '')
      .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
    for (const f of FORMULAS) expect(texts).toContain(f)
  })

  it('draw a PDF of it', async () => {
    const pdf = (await render(hostile, 'pdf')) as Buffer
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/)
  })

  it('keep Markdown under 1 MiB however long the vendor strings are', async () => {
    const many: Report = {
      ...hostile,
      findings: Array.from({ length: 500 }, (_, i) => ({
        ...hostile.findings[i % hostile.findings.length]!,
        message: `${i} ${LONG}`,
      })),
    }
    const md = await text(many, 'markdown')
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024)
    expect(md).toMatch(/of 500 findings are listed; the JSON report has them all\./)
  })

  it('write every format of a real check of the hostile service, end to end', () => {
    const out = tempFiles({})
    const r = cli(
      [
        'check',
        path.join(dir, 'interop.yaml'),
        '--fail-on',
        'none',
        ...FORMATS.flatMap((f) => ['-f', f]),
        '--output-dir',
        out,
      ],
      {},
    )
    expect(r.status, r.stderr).toBe(0)
    expect(commandLines(r.stderr)).toEqual([])
    expect(azureCommands(r.stderr)).toEqual([])
    const file = (name: string) => readFileSync(path.join(out, name), 'utf8')
    expect(JSON.parse(file('interop-report.json')).findings).toHaveLength(checked.findings.length)
    expect(JSON.parse(file('interop.sarif')).runs[0].results).toHaveLength(checked.findings.length)
    expect(JSON.parse(file('gl-code-quality-report.json'))).toHaveLength(checked.findings.length)
    expect(XMLValidator.validate(file('interop-junit.xml'))).toBe(true)
    for (const name of ['interop.txt', 'interop-report.md', 'interop-report.html', 'interop-junit.xml'])
      expect([name, commandLines(file(name)), azureCommands(file(name))]).toEqual([name, [], []])
  })
})
