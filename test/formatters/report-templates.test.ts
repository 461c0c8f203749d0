import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatReport } from '../../src/formatters/index.js'
import { markdownCode, markdownFence, markdownText, safeUrl } from '../../src/formatters/template.js'
import type { Report } from '../../src/report/model.js'
import { shippedRules } from '../../src/rules/index.js'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

// Payloads from the OWASP XSS Filter Evasion Cheat Sheet, put where a vendor's strings reach the
// report: the service name, vendor and version, the API's title, description, paths, parameter
// names, examples and the declarations.
const XSS = [
  '<script>alert(1)</script>',
  '<IMG SRC=x onerror="alert(2)">',
  '"><svg/onload=alert(3)>',
  "'';!--\"<XSS>=&{()}",
  '<iframe src="javascript:alert(4)"></iframe>',
  '<a href="javascript:alert(5)">x</a>',
  '<BODY ONLOAD=alert(6)>',
  '`<style>@import"http://evil.example/x.css";</style>',
]
const yamlString = (s: string) => JSON.stringify(s)

const dir = tempFiles({
  'interop.yaml': `service:
  name: ${yamlString(`Hostile ${XSS[0]}`)}
  vendor: ${yamlString(`Evil ${XSS[1]}`)}
  version: ${yamlString(XSS[2]!)}
  description: ${yamlString(XSS.join(' '))}
  contact: { name: ${yamlString(XSS[3]!)}, url: 'https://hostile.example/"><script>alert(7)</script>' }
apis:
  - name: ${yamlString(`api ${XSS[4]}`)}
    openapi: api.yaml
    environments:
      production: http://hostile.example/api
declarations:
  hosting: { provider: ${yamlString(XSS[5]!)}, storageCountries: [SE] }
  sourceLicense: ${yamlString(XSS[6]!)}
`,
  'api.yaml': `swagger: '2.0'
info:
  title: ${yamlString(`Title ${XSS[0]}`)}
  version: ${yamlString(XSS[7]!)}
  description: ${yamlString(XSS.join(' '))}
paths:
  ${yamlString(`/x/${XSS[2]}`)}:
    get:
      operationId: ${yamlString(XSS[1]!)}
      parameters:
        - { name: ${yamlString(XSS[3]!)}, in: query, type: string, x-example: ${yamlString(XSS[0]!)} }
      responses:
        '200':
          description: ${yamlString(XSS[4]!)}
          examples: { application/xml: ${yamlString(XSS[5]!)} }
`,
})

/**
 * The markup in a document that did not come from the templates: tags they never write, tags
 * written more often than they do, event handler attributes and links that are not http(s).
 */
function foreignMarkup(doc: string, allowed: Record<string, number>): string[] {
  const problems: string[] = []
  const seen: Record<string, number> = {}
  for (const m of doc.matchAll(/<\/?([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const tag = m[1]!.toLowerCase()
    if (m[0].startsWith('</')) continue
    seen[tag] = (seen[tag] ?? 0) + 1
    if (!(tag in allowed)) problems.push(`<${tag}> ${m[0].slice(0, 80)}`)
    if (/\son\w+\s*=/i.test(m[2]!)) problems.push(`event handler: ${m[0].slice(0, 80)}`)
    const href = /\shref\s*=\s*"([^"]*)"/i.exec(m[2]!)
    if (href && !/^(#|https?:\/\/)/.test(href[1]!)) problems.push(`link: ${href[1]}`)
  }
  for (const [tag, most] of Object.entries(allowed))
    if (most > 0 && (seen[tag] ?? 0) > most) problems.push(`<${tag}> ${seen[tag]} times`)
  return problems
}
const HTML_TAGS: Record<string, number> = Object.fromEntries(
  ['html', 'head', 'title', 'style', 'body', 'header', 'nav', 'main', 'footer']
    .map((t) => [t, 1])
    .concat(
      [
        'meta',
        'p',
        'span',
        'strong',
        'div',
        'table',
        'caption',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        'a',
        'code',
        'section',
        'h1',
        'h2',
        'h3',
        'br',
        'article',
        'ol',
        'ul',
        'li',
        'pre',
        'dl',
        'dt',
        'dd',
      ].map((t) => [t, 0]),
    ),
)
const MD_TAGS: Record<string, number> = { a: 0, br: 0, details: 0, summary: 0 }

/** Markdown with its code spans and fenced blocks removed: their content is text, not markup. */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '').replace(/(`+) [^\n]*? \1/g, '')
}

describe('the HTML and Markdown reports', () => {
  it('let no vendor string through as markup, in either language', () => {
    const manifest = path.join(dir, 'interop.yaml')
    for (const lang of ['en', 'sv']) {
      const html = cli(['check', manifest, '-f', 'html', '--lang', lang, '--fail-on', 'none'])
      expect(html.stderr).not.toMatch(/interop:/)
      expect(html.stdout).toContain('<!DOCTYPE html>')
      // The payloads are there, as text.
      expect(html.stdout).toContain('Hostile &lt;script&gt;alert(1)&lt;/script&gt;')
      expect(foreignMarkup(html.stdout, HTML_TAGS)).toEqual([])
      const md = cli(['check', manifest, '-f', 'markdown', '--lang', lang, '--fail-on', 'none'])
      expect(md.stdout).toContain('Hostile &lt;script&gt;alert(1)&lt;/script&gt;')
      expect(foreignMarkup(outsideCode(md.stdout), MD_TAGS)).toEqual([])
    }
  })

  it('escape Markdown so that no string can open a tag, a link or leave its code span', () => {
    expect(markdownText('<b>[x](javascript:1)</b> | *y*')).toBe(
      '&lt;b&gt;\\[x\\](javascript:1)&lt;/b&gt; \\| \\*y\\*',
    )
    expect(markdownCode('a `b` c')).toBe('`` a `b` c ``')
    expect(markdownCode('x|y')).toBe('` x\\|y `')
    expect(markdownFence('```\n<script>')).toBe('````text\n```\n<script>\n````')
    expect(safeUrl('javascript:alert(1)')).toBe('#')
    expect(safeUrl('https://example.org/a (b)')).toBe('https://example.org/a%20%28b%29')
  })

  it('write a self-contained HTML file: no scripts, no requests, a content security policy', () => {
    const r = cli(['check', 'fixtures/services/good-library/interop.yaml', '-f', 'html'])
    const html = r.stdout
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`)
    expect(html).not.toMatch(/<script|<link|\ssrc=|url\(|@import/i)
    // Landmarks, headings and tables with headers, for screen readers.
    for (const tag of ['<header', '<nav', '<main', '<footer', '<h1', '<h2', '<th scope="col">'])
      expect(html).toContain(tag)
    expect(html).toMatch(/@media print[\s\S]*break-before: page/)
  })

  it('render the same report to the same bytes, and a saved JSON report to the same as a fresh one', () => {
    const out = tempFiles({})
    const json = path.join(out, 'report.json')
    const check = (...f: string[]) =>
      cli(['check', 'fixtures/services/mixed-permits/interop.yaml', ...f, '--fail-on', 'none'])
    check('-f', 'json', '-o', json)
    for (const format of ['html', 'markdown']) {
      const fresh = check('-f', format)
      const again = check('-f', format)
      const rendered = cli(['report', 'render', json, '-f', format])
      expect(rendered.status).toBe(0)
      expect(again.stdout).toBe(fresh.stdout)
      expect(rendered.stdout).toBe(fresh.stdout)
    }
  })

  it('keep Markdown under 1 MiB for thousands of findings, and say what was left out', async () => {
    const r = cli(['check', 'fixtures/services/poor-records/interop.yaml', '-f', 'json', '--fail-on', 'none'])
    const report = JSON.parse(r.stdout) as Report
    const many = Array.from({ length: 5000 }, (_, i) => ({
      ...report.findings[i % report.findings.length]!,
      message: `${report.findings[i % report.findings.length]!.message} (${i})`,
    }))
    const md = await formatReport({ ...report, findings: many }, 'markdown', { color: false })
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024)
    expect(md).toMatch(/400 of 5000 findings are listed; the JSON report has them all\./)
  })

  it('have every English text in Swedish too', async () => {
    const en = JSON.parse(readFileSync(path.join(ROOT, 'locales/en.json'), 'utf8')) as object
    const sv = JSON.parse(readFileSync(path.join(ROOT, 'locales/sv.json'), 'utf8')) as object
    expect(Object.keys(sv).sort()).toEqual(Object.keys(en).sort())
    // Every shipped rule's title, failure title, description and fix, with the same code in backticks.
    const rules = JSON.parse(readFileSync(path.join(ROOT, 'locales/rules/sv.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >
    const code = (t: string) => (t.match(/`[^`]+`/g) ?? []).sort()
    for (const [id, load] of Object.entries(shippedRules)) {
      const meta = (await load()).default.meta
      const sv = rules[id]
      expect(sv, id).toBeDefined()
      for (const field of ['title', 'failureTitle', 'description', 'fix'] as const) {
        expect(sv![field], `${id}.${field}`).toMatch(/\S/)
        expect(code(sv![field]!), `${id}.${field}`).toEqual(code(meta[field] ?? ''))
      }
    }
    const md = cli(['check', 'fixtures/services/good-library/interop.yaml', '-f', 'markdown', '--lang', 'sv'])
    expect(md.stdout).toMatch(/^# Rapport om regelefterlevnad: /)
    expect(md.stdout).toContain('## Ursprung')
    expect(md.stdout).toContain('API:et beskrivs med OpenAPI 3')
  })

  it('answer a file that is not a report with exit 2, the line and the property', () => {
    const bad = tempFiles({
      'r.json': '{\n  "reportVersion": "1.0.0",\n  "tool": 3\n}\n',
      'x.json': '{ nope',
    })
    const r = cli(['report', 'render', path.join(bad, 'r.json')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/r\.json:1:1: This is not an interop report/)
    expect(r.stdout).toBe('')
    const x = cli(['report', 'render', path.join(bad, 'x.json')])
    expect(x.status).toBe(2)
    expect(x.stderr).toMatch(/x\.json:1:\d+/)
    const missing = cli(['report', 'render', path.join(bad, 'none.json')])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/none\.json: Report file not found/)
  })
})
