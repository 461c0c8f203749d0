import { Args, Flags } from '@oclif/core'
import { BaseCommand, EXIT } from '../base-command.js'
import { reaches } from '../core/scoring.js'
import { diffMarkdown, diffReports, diffText } from '../services/diff.js'
import { writeOutput } from '../services/output.js'
import { readReport } from '../services/report-render.js'

export default class Diff extends BaseCommand {
  static override summary =
    'Compare two saved JSON reports: new, fixed and unchanged findings, and the change of score.'

  static override description = [
    'Reads two reports written by `interop check --format json` (the older first) and shows which findings are new, which were fixed and how many stayed, matched by rule, file, JSON pointer and message rather than by line, and how the overall and per-ruleset scores moved.',
    'Exit codes: 0 no new finding at or above --fail-on; 1 a new one; 2 a file that cannot be read or is not an interop report.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> report-main.json report-branch.json',
    '<%= config.bin %> <%= command.id %> old.json new.json --format markdown >> "$GITHUB_STEP_SUMMARY"',
  ]

  static override args = {
    old: Args.string({ description: 'The earlier report.', required: true }),
    new: Args.string({ description: 'The later report.', required: true }),
  }

  static override flags = {
    format: Flags.string({
      char: 'f',
      description: 'text, markdown (a pull-request comment) or json.',
      options: ['text', 'markdown', 'json'],
      default: 'text',
    }),
    'fail-on': Flags.string({
      description: 'Exit with 1 when a new finding has this severity or a higher one; none never does.',
      options: ['error', 'warn', 'info', 'none'],
      default: 'error',
    }),
    output: Flags.string({ char: 'o', description: 'Write the result to this file (whole or not at all).' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Diff)
    const d = diffReports(await readReport(args.old), await readReport(args.new))
    const text =
      flags.format === 'json'
        ? JSON.stringify(d, null, 2) + '\n'
        : flags.format === 'markdown'
          ? diffMarkdown(d)
          : diffText(d)
    if (flags.output) await writeOutput(flags.output, text)
    else process.stdout.write(text)
    const failOn = flags['fail-on'] as 'error' | 'warn' | 'info' | 'none'
    process.exitCode = d.added.some((f) => reaches(f.severity, failOn)) ? EXIT.failed : EXIT.passed
  }
}
