import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * The people's formats as people get them: the HTML report opened in headless Chromium (Debian's,
 * which .ci/run installs), and the PDF read with poppler (pdfinfo, pdftotext, pdfdetach, pdftoppm).
 * Screenshots go to test-artifacts/ for a person to look at.
 */
const ARTIFACTS = path.join(ROOT, 'test-artifacts')
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
const dir = tempFiles({})
let browser: Browser

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
}, 60_000)
afterAll(async () => {
  await browser?.close()
})

describe('the HTML report in Chromium', () => {
  it.each(['en', 'sv'])(
    'renders without console errors or network requests (%s)',
    async (lang) => {
      const file = path.join(dir, `mixed-permits.${lang}.html`)
      const r = cli([
        'check',
        'fixtures/services/mixed-permits/interop.yaml',
        '-f',
        'html',
        '--lang',
        lang,
        '-o',
        file,
      ])
      expect(r.stderr).not.toMatch(/interop:/)
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } })
      const console: string[] = []
      const requests: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') console.push(m.text())
      })
      page.on('pageerror', (e) => console.push(e.message))
      page.on('request', (q) => {
        if (!q.url().startsWith('file:')) requests.push(q.url())
      })
      await page.goto(`file://${file}`, { waitUntil: 'load' })
      expect(console).toEqual([])
      expect(requests).toEqual([])
      // What a reader sees first: the service, the overall fit and the verdict.
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Bygglov e-tjänst 2.3.0 ' + (lang === 'sv' ? 'från' : 'by') + ' Ritbordet Systems AB',
      )
      expect(await page.locator('.overall .score strong').textContent()).toMatch(/^\d+\/100$/)
      expect(await page.locator('html').getAttribute('lang')).toBe(lang)
      // Every table header cell says what it heads.
      const unlabelled = await page.locator('th:not([scope])').count()
      expect(unlabelled).toBe(0)
      await page.screenshot({ path: path.join(ARTIFACTS, `report-html-${lang}.png`), fullPage: false })
      // Printed, it breaks pages between rulesets.
      const pdf = await page.pdf({ format: 'A4' })
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      await page.close()
    },
    60_000,
  )
})

describe('the PDF report', () => {
  const pdf = (name: string, lang = 'en') => {
    const file = path.join(dir, `${name}-${lang}-${Math.random().toString(36).slice(2)}.pdf`)
    const r = cli([
      'check',
      `fixtures/services/${name}/interop.yaml`,
      '-f',
      'pdf',
      '--lang',
      lang,
      '-o',
      file,
      '--fail-on',
      'none',
    ])
    expect(r.stderr).not.toMatch(/interop:/)
    return file
  }

  it('is A4 with page numbers, the cover and the provenance block, and renders to images', () => {
    const file = pdf('mixed-permits')
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/)
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1])
    expect(pages).toBeGreaterThan(2)
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-'], {
      encoding: 'utf8',
    })
    expect(first).toContain('Bygglov e-tjänst 2.3.0 by Ritbordet Systems AB')
    expect(first).toMatch(/Overall fit\s+\d+\/100/)
    expect(first).toContain('Provenance')
    expect(first).toMatch(/[0-9a-f]{64}/) // the inputs' SHA-256
    expect(first).toContain(`1 / ${pages}`)
    const last = execFileSync('pdftotext', ['-f', String(pages), '-l', String(pages), file, '-'], {
      encoding: 'utf8',
    })
    expect(last).toContain(`${pages} / ${pages}`)
    const prefix = path.join(ARTIFACTS, 'report-pdf')
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '2', file, prefix])
    const images = readdirSync(ARTIFACTS).filter((f) => f.startsWith('report-pdf') && f.endsWith('.png'))
    expect(images.length).toBe(2)
    for (const i of images) expect(statSync(path.join(ARTIFACTS, i)).size).toBeGreaterThan(10_000)
  })

  it('carries the JSON report inside, the same as --format json gives', () => {
    const file = pdf('good-library')
    expect(execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' })).toMatch(/1: report\.json/)
    const out = path.join(dir, 'attached.json')
    execFileSync('pdfdetach', ['-save', '1', '-o', out, file])
    const json = cli([
      'check',
      'fixtures/services/good-library/interop.yaml',
      '-f',
      'json',
      '--fail-on',
      'none',
    ])
    expect(readFileSync(out, 'utf8')).toBe(json.stdout)
  })

  it('is byte-identical for the same inputs and SOURCE_DATE_EPOCH, in both languages', () => {
    for (const lang of ['en', 'sv']) {
      const a = readFileSync(pdf('poor-records', lang))
      const b = readFileSync(pdf('poor-records', lang))
      expect(a.equals(b)).toBe(true)
    }
    const sv = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf('poor-records', 'sv'), '-'], {
      encoding: 'utf8',
    })
    expect(sv).toMatch(/Sammantagen passform\s+\d+\/100/)
    expect(sv).toContain('Ursprung')
  })

  it('is the same whether check writes it or render writes it from a saved JSON report', () => {
    const json = path.join(dir, 'mixed.json')
    cli([
      'check',
      'fixtures/services/mixed-permits/interop.yaml',
      '-f',
      'json',
      '-o',
      json,
      '--fail-on',
      'none',
    ])
    const rendered = path.join(dir, 'rendered.pdf')
    expect(cli(['report', 'render', json, '-f', 'pdf', '-o', rendered]).status).toBe(0)
    const direct = pdf('mixed-permits')
    expect(readFileSync(rendered).equals(readFileSync(direct))).toBe(true)
  })

  it('can be sealed with SHA256SUMS beside it, which sha256sum -c accepts', () => {
    const out = path.join(dir, 'sealed')
    mkdirSync(out)
    const json = path.join(out, 'report.json')
    const check = [
      'check',
      'fixtures/services/good-library/interop.yaml',
      '-f',
      'json',
      '-o',
      json,
      '--checksums',
    ]
    expect(cli(check).status).toBe(0)
    for (const f of ['html', 'pdf'])
      expect(
        cli(['report', 'render', json, '-f', f, '-o', path.join(out, `report.${f}`), '--checksums']).status,
      ).toBe(0)
    // Written again, a file keeps one line.
    expect(cli(check).status).toBe(0)
    const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8')
    expect(
      sums
        .trim()
        .split('\n')
        .map((l) => l.slice(66)),
    ).toEqual(['report.html', 'report.json', 'report.pdf'])
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' })).toBe(
      'report.html: OK\nreport.json: OK\nreport.pdf: OK\n',
    )
    expect(cli(['check', 'fixtures/services/good-library/interop.yaml', '--checksums']).status).toBe(2)
  })
})
