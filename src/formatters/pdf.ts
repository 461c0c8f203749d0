import { createRequire } from 'node:module'
import path from 'node:path'
import type { Report } from '../report/model.js'
import { buildView, ruleDescriptions, translate, type ReportView, type RuleView } from '../report/view.js'

/**
 * The PDF report, drawn with pdfkit from the same view model as the HTML and Markdown ones: A4, the
 * cover with the summary, the provenance block, one section per ruleset, page numbers, and the JSON
 * report attached (report.json) so that the machine-readable form travels with the paper one. The
 * fonts (DejaVu) are embedded; with the same report the bytes are the same (the PDF's dates are the
 * report's time, which SOURCE_DATE_EPOCH sets).
 */

const FONT_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
)
const FONTS = {
  regular: path.join(FONT_DIR, 'DejaVuSans.ttf'),
  bold: path.join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
  mono: path.join(FONT_DIR, 'DejaVuSansMono.ttf'),
}
const INK = '#1b1b1b'
const MUTED = '#595959'
const LINE = '#c8c8c8'
const BAND_COLOUR = { good: '#0b6b2f', 'needs-work': '#8a4b00', poor: '#a4111b', none: MUTED }
const STATUS_COLOUR: Record<string, string> = {
  pass: '#0b6b2f',
  fail: '#a4111b',
  error: '#a4111b',
  'not-checked': MUTED,
  'not-applicable': MUTED,
}
/** Evidence is cut to this many lines on paper; the attached JSON report has it whole. */
const EVIDENCE_LINES = 12
/**
 * The most characters of one text drawn, and of one line of evidence: pdfkit breaks a word longer
 * than the line character by character, in time that grows with the square of its length, so a
 * vendor's name of 100,000 characters would hold the report for minutes. The attachment has it whole.
 */
const MAX_CHARS = 1000
const MAX_EVIDENCE_LINE = 300

const clip = (s: string, most: number) =>
  s.length <= most ? s : `${s.slice(0, most)}… (${s.length - most} more characters)`

/** The view with every text in it clipped. */
function clipped<T>(v: T): T {
  if (typeof v === 'string') return clip(v, MAX_CHARS) as T
  if (Array.isArray(v)) return v.map(clipped) as T
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clipped(x)])) as T
  return v
}

export interface PdfOptions {
  lang?: string
}

export async function renderPdf(report: Report, o: PdfOptions = {}): Promise<Buffer> {
  const view = clipped(buildView(report, await ruleDescriptions(report), { lang: o.lang ?? 'en' }))
  const created = new Date(report.createdAt)
  // Imported here, not at the top: the check command is one bundle (scripts/bundle.js) and a
  // package imported at the top of any of its modules is loaded by every check.
  const { default: PDFDocument } = await import('pdfkit')
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    autoFirstPage: true,
    lang: view.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: `${view.title}: ${view.heading}`,
      Author: report.tool.name,
      Creator: `${report.tool.name} ${report.tool.version}`,
      Producer: `${report.tool.name} ${report.tool.version}`,
      CreationDate: created,
      ModDate: created,
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()))
  doc.registerFont('regular', FONTS.regular)
  doc.registerFont('bold', FONTS.bold)
  doc.registerFont('mono', FONTS.mono)

  const tr = (key: string, data?: Record<string, unknown>) => translate(view.t, key, data)
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right
  const left = doc.page.margins.left

  const text = (
    s: string,
    font: keyof typeof FONTS = 'regular',
    size = 10,
    colour = INK,
    extra: object = {},
  ) =>
    doc
      .font(font)
      .fontSize(size)
      .fillColor(colour)
      .text(s, { width, ...extra })
  const gap = (n = 0.5) => doc.moveDown(n)
  const rule = () => {
    const y = doc.y + 2
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke()
    doc.y = y + 6
  }
  /** Keeps a block of about `height` points together on one page. */
  const keep = (height: number) => {
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage()
  }

  // Cover: the service, the overall fit, the verdict, the rulesets.
  text(view.title.toUpperCase(), 'regular', 9, MUTED, { characterSpacing: 1 })
  gap(0.3)
  text(view.heading, 'bold', 20)
  gap()
  const s = view.summary
  // The overall fit on one line: label, the score large, its band; placed by hand, as their sizes differ.
  const sy = doc.y
  doc.font('regular').fontSize(10).fillColor(MUTED)
  const label = `${tr('summary.overall')}  `
  doc.text(label, left, sy + 14, { lineBreak: false })
  const sx = left + doc.widthOfString(label)
  doc.font('bold').fontSize(26).fillColor(INK).text(s.score, sx, sy, { lineBreak: false })
  const bx = sx + doc.widthOfString(s.score)
  if (s.band)
    doc
      .font('bold')
      .fontSize(12)
      .fillColor(BAND_COLOUR[s.bandKey])
      .text(`  ${s.band}`, bx, sy + 11, { lineBreak: false })
  doc.x = left
  doc.y = sy + 36
  text(`${tr('summary.coverage')}: ${s.coverage}   ·   ${tr('summary.counts')}: ${s.counts}`, 'regular', 10)
  gap()
  const vy = doc.y
  text(s.verdict, 'regular', 10.5, INK, { indent: 0 })
  doc
    .moveTo(left - 8, vy - 2)
    .lineTo(left - 8, doc.y + 2)
    .lineWidth(3)
    .strokeColor(s.passed ? BAND_COLOUR.good : BAND_COLOUR.poor)
    .stroke()
  if (view.baseline) {
    gap(0.5)
    text(view.baseline, 'regular', 9.5, MUTED)
  }
  gap(1.2)
  text(tr('summary.heading'), 'bold', 12)
  gap(0.3)
  for (const rs of view.rulesets) {
    row(
      [rs.heading, `${rs.score}${rs.band ? ` ${rs.band}` : ''}`, rs.coverage],
      'bold',
      BAND_COLOUR[rs.bandKey],
    )
    for (const p of rs.parts)
      row([`   ${tr('ruleset.part')} ${p.id}`, `${p.score}${p.band ? ` ${p.band}` : ''}`, p.coverage])
  }

  // Provenance, on the cover's heels: what was checked, with what, when.
  gap(1.2)
  provenance(view)

  for (const rs of view.rulesets) {
    doc.addPage()
    text(rs.heading, 'bold', 15)
    rule()
    text(
      `${tr('summary.score')}: ${rs.score}${rs.band ? ` (${rs.band})` : ''}   ·   ${tr('summary.coverage')}: ${rs.coverage}`,
    )
    gap()
    for (const r of rs.rules) ruleLine(r)
    for (const r of rs.rules.filter((x) => x.findings.length)) findings(r)
  }
  if (view.deviations.length) {
    doc.addPage()
    text(tr('deviations.heading'), 'bold', 15)
    rule()
    text(tr('deviations.intro'), 'regular', 9, MUTED)
    gap()
    for (const d of view.deviations) {
      keep(90)
      doc.font('mono').fontSize(9.5).fillColor(INK).text(d.ruleId, { width, continued: true })
      doc
        .font('bold')
        .fontSize(9.5)
        .fillColor(
          d.statusKey === 'applied'
            ? BAND_COLOUR.good
            : d.statusKey === 'expired'
              ? BAND_COLOUR.poor
              : BAND_COLOUR['needs-work'],
        )
        .text(`  ${d.status}`)
      const pair = (label: string, value: string) => {
        doc.font('bold').fontSize(8.5).fillColor(INK).text(`${label}: `, { width, continued: true })
        doc.font('regular').text(value)
      }
      pair(tr('deviation.where'), d.where)
      pair(tr('deviation.justification'), d.justification)
      if (d.approvedBy) pair(tr('deviation.approvedBy'), d.approvedBy)
      pair(tr('deviation.expires'), d.expires)
      pair(tr('deviation.source'), d.source)
      pair(tr('rule.findings'), d.count)
      for (const f of d.findings) {
        doc.font('mono').fontSize(7.5).fillColor(MUTED).text(f.location, { width })
        text(f.message, 'regular', 8.5)
      }
      gap(0.8)
    }
  }
  if (view.truncated) {
    gap()
    text(view.truncated, 'regular', 9, MUTED)
  }

  // Page numbers and the footer, on every page once all are laid out.
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(MUTED)
      .text(`${view.heading} · ${i + 1} / ${range.count}`, left, doc.page.height - 40, {
        width,
        align: 'center',
        lineBreak: false,
      })
    doc.page.margins.bottom = bottom
  }

  // AFRelationship Data: the attachment is the data the document renders (PDF/A-3 wording).
  const attachment = {
    name: 'report.json',
    type: 'application/json',
    description: tr('footer.generated', { tool: report.tool.name, version: report.tool.version }),
    creationDate: created,
    modifiedDate: created,
    relationship: 'Data',
  }
  doc.file(Buffer.from(JSON.stringify(report, null, 2) + '\n'), attachment)
  doc.end()
  await done
  return Buffer.concat(chunks)

  function row(cells: string[], font: keyof typeof FONTS = 'regular', colour = INK) {
    keep(30)
    const widths = [width * 0.55, width * 0.22, width * 0.23]
    const y = doc.y
    let bottom = y
    cells.forEach((c, i) => {
      doc
        .font(i === 0 ? font : 'regular')
        .fontSize(9.5)
        .fillColor(i === 1 ? colour : INK)
        .text(c, left + widths.slice(0, i).reduce((a, b) => a + b, 0), y, { width: widths[i]! - 6 })
      bottom = Math.max(bottom, doc.y)
    })
    doc.x = left
    doc.y = bottom + 2
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(0.3)
      .strokeColor(LINE)
      .stroke()
    doc.y += 3
  }

  function provenance(v: ReportView) {
    keep(120)
    text(tr('provenance.heading'), 'bold', 12)
    rule()
    const p = v.provenance
    const pair = (label: string, value: string) => {
      doc.font('bold').fontSize(9).fillColor(INK).text(`${label}: `, { width, continued: true })
      doc.font('regular').text(value)
    }
    pair(tr('provenance.tool'), p.tool)
    pair(tr('provenance.createdAt'), p.createdAt)
    for (const o of p.options) pair(o.label, o.value)
    pair(tr('provenance.live'), p.live ?? tr('provenance.notLive'))
    for (const t of p.liveTargets) text(`  ${t}`, 'regular', 8.5)
    for (const n of p.liveNotes) text(`  ${n}`, 'regular', 8.5, MUTED)
    gap(0.5)
    text(tr('provenance.inputs'), 'bold', 9.5)
    for (const i of p.inputs) {
      keep(24)
      text(i.source, 'regular', 8.5)
      text(i.sha256, 'mono', 7.5, MUTED)
    }
    gap(0.5)
    text(tr('provenance.rulesets'), 'bold', 9.5)
    for (const r of p.rulesets) {
      keep(24)
      text(`${r.id} ${r.version} (${r.origin})`, 'regular', 8.5)
      text(r.sha256, 'mono', 7.5, MUTED)
    }
  }

  function ruleLine(r: RuleView) {
    // The whole row on one page: measure its tallest column first.
    const title = `${r.title} (${r.severity}, ${r.established}${r.waived ? `; ${r.waived}` : ''})`
    const reason = r.reason ? `${r.reasonLabel}: ${r.reason}` : ''
    const tall =
      doc
        .font('regular')
        .fontSize(8.5)
        .heightOfString(title, { width: width - 232 }) +
      (reason ? doc.fontSize(7.5).heightOfString(reason, { width: width - 232 }) : 0)
    keep(tall + 8)
    const y = doc.y
    doc
      .font('bold')
      .fontSize(8.5)
      .fillColor(STATUS_COLOUR[r.statusKey] ?? INK)
      .text(r.status, left, y, { width: 78 })
    doc
      .font('mono')
      .fontSize(8)
      .fillColor(INK)
      .text(r.ruleId, left + 80, y, { width: 150 })
    const afterId = doc.y
    doc
      .font('regular')
      .fontSize(8.5)
      .fillColor(INK)
      .text(title, left + 232, y, { width: width - 232 })
    if (reason)
      doc
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(reason, { width: width - 232 })
    doc.x = left
    doc.y = Math.max(doc.y, afterId) + 3
  }

  function findings(r: RuleView) {
    keep(90)
    gap(0.6)
    doc.font('mono').fontSize(9.5).fillColor(INK).text(r.ruleId, { width, continued: true })
    doc.font('bold').fontSize(10.5).text(`  ${r.title}`)
    if (r.description) text(`${tr('rule.why')}: ${r.description}`, 'regular', 8.5, MUTED)
    for (const src of r.sources)
      doc
        .font('regular')
        .fontSize(8.5)
        .fillColor('#0645ad')
        .text(`${tr('rule.source')}: ${src.title}`, {
          width,
          link: /^https?:\/\//.test(src.url) ? src.url : null,
        })
    gap(0.3)
    for (const f of r.findings) {
      keep(50)
      doc
        .font('bold')
        .fontSize(8.5)
        .fillColor(
          f.severityKey === 'error'
            ? BAND_COLOUR.poor
            : f.severityKey === 'warn'
              ? BAND_COLOUR['needs-work']
              : INK,
        )
        .text(`${f.severity}  `, { width, continued: true })
      doc.font('mono').fontSize(8).fillColor(INK).text(f.location, { continued: true })
      doc
        .font('regular')
        .fontSize(8)
        .fillColor(MUTED)
        .text(`  (${f.established}${f.baseline ? `, ${f.baseline}` : ''})`)
      text(f.message, 'regular', 9)
      if (f.fix) text(`${tr('finding.fix')}: ${f.fix}`, 'regular', 8.5, MUTED)
      for (const ev of [f.excerpt, f.http]) {
        if (!ev) continue
        const lines = ev.split('\n')
        const shown =
          lines
            .slice(0, EVIDENCE_LINES)
            .map((l) => clip(l, MAX_EVIDENCE_LINE))
            .join('\n') + (lines.length > EVIDENCE_LINES ? '\n…' : '')
        gap(0.2)
        text(shown, 'mono', 7, '#333333', { indent: 8 })
      }
      gap(0.5)
    }
  }
}
