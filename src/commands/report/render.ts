import { Args, Flags } from '@oclif/core'
import { languages } from '../../report/view.js'
import { BaseCommand, EXIT } from '../../base-command.js'
import { InputError } from '../../core/errors.js'
import { formatReport, FORMATS, type Format } from '../../formatters/index.js'
import { writeChecksum, writeOutput } from '../../services/output.js'
import { readReport } from '../../services/report-render.js'

export default class ReportRender extends BaseCommand {
  static override summary = 'Render a saved JSON report in another format, without running any check.'

  static override description = [
    'Reads a report written by `interop check --format json` (it must match schemas/report.schema.json) and renders it as text, markdown, html, pdf or json, in any language locales/ has a catalogue for (English and Swedish). Nothing is checked again, so the result is the same report: same scores, same findings, same provenance.',
    'Exit codes: 0 rendered; 2 a file that cannot be read or is not an interop report.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> report.json --format html --output report.html',
    '<%= config.bin %> <%= command.id %> report.json --format markdown --lang sv',
  ]

  static override args = {
    report: Args.string({
      description: 'A JSON report written by interop check --format json.',
      required: true,
    }),
  }

  static override flags = {
    format: Flags.string({
      char: 'f',
      description:
        'text, json, markdown (pull requests, CI job summaries), html (self-contained, printable) or pdf (A4, the JSON report attached).',
      options: [...FORMATS],
      default: 'html',
    }),
    lang: Flags.string({
      description: `Language of the markdown, html and pdf reports: ${languages().join(' or ')}.`,
      options: languages(),
      default: 'en',
    }),
    checksums: Flags.boolean({
      description:
        'With --output: also write the SHA-256 of the report into SHA256SUMS beside it (sha256sum -c checks it).',
      dependsOn: ['output'],
    }),
    output: Flags.string({ char: 'o', description: 'Write the result to this file (whole or not at all).' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ReportRender)
    if (flags.format === 'pdf' && !flags.output && process.stdout.isTTY)
      throw new InputError('A PDF is not for the terminal: write it to a file with --output report.pdf.')
    const report = await readReport(args.report)
    const text = await formatReport(report, flags.format as Format, { color: false, lang: flags.lang })
    if (flags.output) {
      await writeOutput(flags.output, text)
      if (flags.checksums) await writeChecksum(flags.output, text)
    } else process.stdout.write(text)
    process.exitCode = EXIT.passed
  }
}
