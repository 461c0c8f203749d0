import { appendFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { Args, Flags } from '@oclif/core'
import { languages } from '../report/view.js'
import { BaseCommand, EXIT } from '../base-command.js'
import { InputError } from '../core/errors.js'
import { autoFormat, DEFAULT_FILES, formatReport, FORMATS, type Format } from '../formatters/index.js'
import { inert } from '../formatters/safe-text.js'
import { loadConfig } from '../config/config.js'
import { DEFAULT_RULESETS, runCheck } from '../services/check.js'
import { writeChecksum, writeOutput } from '../services/output.js'

export default class Check extends BaseCommand {
  static override summary =
    "Check a vendor's service against rulesets and report findings, score and coverage."

  static override description = [
    'INPUT is a service manifest (interop.yaml, see `interop init`), a folder that holds one, or a single OpenAPI description (Swagger 2.0, OpenAPI 3.0 or 3.1; YAML or JSON; one file or split over files with relative $refs), which is checked as a service of one API.',
    'Runs the selected rulesets (default: ' +
      DEFAULT_RULESETS.join(', ') +
      ') and prints every finding with its file, line and column, then a score (0-100) and the coverage of each ruleset. Findings that rest on what the vendor declares are marked (declared).',
    'Exit codes: 0 passed; 1 a finding at or above --fail-on, the overall score under --min-score, or no rule could be checked at all; 2 usage error, bad input or internal error.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> fixtures/services/good-library/interop.yaml',
    '<%= config.bin %> <%= command.id %> .',
    '<%= config.bin %> <%= command.id %> fixtures/services/good-library/openapi.yaml',
    '<%= config.bin %> <%= command.id %> openapi.yaml --ruleset open-standards --format json --output report.json',
    '<%= config.bin %> <%= command.id %> openapi.yaml --fail-on warn --min-score 80',
    '<%= config.bin %> <%= command.id %> openapi.yaml --ruleset ./my-municipality.yaml',
    '<%= config.bin %> <%= command.id %> interop.yaml --live --environment sandbox --save-inputs recorded/',
    '<%= config.bin %> <%= command.id %> interop.yaml --from-inputs recorded/',
  ]

  static override args = {
    input: Args.string({
      description: 'A service manifest (interop.yaml), a folder holding one, or an OpenAPI description.',
      required: true,
    }),
  }

  static override flags = {
    ruleset: Flags.string({
      char: 'r',
      description: `Ruleset to run: a shipped id (see \`interop rulesets list\`) or the path of a ruleset file. Repeatable. Default: ${DEFAULT_RULESETS.join(', ')}.`,
      multiple: true,
    }),
    format: Flags.string({
      char: 'f',
      description:
        'Output format, repeatable, each with its own --output (or all into --output-dir): text for the terminal; json, the full report; markdown for a pull request or job summary; html, a self-contained printable report; pdf for paper (needs --output on a terminal); sarif for code scanning; junit for test reports; gitlab for Code Quality; github and azure for annotations in the job log; auto (the default): github in GitHub Actions, azure in Azure Pipelines, text elsewhere.',
      options: ['auto', ...FORMATS],
      multiple: true,
    }),
    'output-dir': Flags.string({
      description: `Write every --format into this folder under its usual name (${DEFAULT_FILES.sarif}, ${DEFAULT_FILES.junit}, ${DEFAULT_FILES.gitlab}, …).`,
      exclusive: ['output'],
    }),
    'base-path': Flags.string({
      description:
        'sarif, gitlab, github and azure: make file paths relative to this folder, the repository root (default: the working folder).',
    }),
    'sarif-category': Flags.string({
      description:
        'sarif: the analysis category (runs[].automationDetails.id) when a repository uploads several.',
    }),
    lang: Flags.string({
      description: `Language of the markdown, html and pdf reports: ${languages().join(' or ')}.`,
      options: languages(),
    }),
    config: Flags.string({
      description:
        "The configuration file with the municipality's waivers (schemas/config.schema.json). Default: .interop.yaml, .interop.yml or .interop.json in this folder or the nearest one above it.",
    }),
    'no-config': Flags.boolean({
      description: 'Do not look for a configuration file.',
      exclusive: ['config'],
    }),
    baseline: Flags.string({
      description:
        'Fail only on findings this baseline does not have (written earlier with --write-baseline); the report says which are new, known and fixed.',
    }),
    'write-baseline': Flags.string({
      description:
        "Record this run's findings in this file, by fingerprints that survive moved lines (rule, file, JSON pointer, message).",
    }),
    checksums: Flags.boolean({
      description:
        'With --output or --output-dir: also write the SHA-256 of each file into SHA256SUMS beside it (sha256sum -c checks it).',
    }),
    output: Flags.string({
      char: 'o',
      description:
        'Write the result to this file instead of standard output (written whole or not at all); one per --format, in the same order; - is standard output.',
      multiple: true,
    }),
    'fail-on': Flags.string({
      description:
        "Exit with 1 when a finding has this severity or a higher one; none never fails on findings. Default: the configuration's failOn, else error.",
      options: ['error', 'warn', 'info', 'none'],
    }),
    'min-score': Flags.integer({
      description: 'Exit with 1 when the overall score (0-100) is under this.',
      min: 0,
      max: 100,
    }),
    'fhir-package': Flags.string({
      description:
        'A FHIR package with the profiles FHIR resources claim in meta.profile: a folder, or the name of an installed npm package (repeatable).',
      multiple: true,
    }),
    'rule-timeout': Flags.integer({
      description:
        'Seconds the rules may take on one API before the rule running is stopped and gets an error result (a pattern that backtracks without end, a plugin rule that loops); the other rules go on. 0: no limit.',
      min: 0,
      max: 3600,
      default: 60,
    }),
    'allow-remote-ref': Flags.string({
      description: 'Follow http(s) $refs to this host (repeatable). Remote $refs are not followed otherwise.',
      multiple: true,
    }),
    live: Flags.boolean({
      description:
        "Also probe the running service at the manifest's base URLs: TLS, security headers, health, errors, the published description, responses against their schemas, authentication metadata; and the FHIR server at fhir.baseUrl: its CapabilityStatement, SMART configuration, the reads and searches the ruleset requires, a bulk export followed to its first file. Safe methods only, unless --allow-unsafe.",
    }),
    environment: Flags.string({
      description:
        'With --live: probe only this environment of each API (production, test, sandbox, staging, acceptance; repeatable). Default: all the manifest names.',
      multiple: true,
      options: ['production', 'test', 'sandbox', 'staging', 'acceptance'],
    }),
    'allow-host': Flags.string({
      description:
        'With --live: a host that may be called besides those the manifest names, e.g. the identity provider (repeatable).',
      multiple: true,
    }),
    'credential-env': Flags.string({
      description:
        "With --live: an environment variable the manifest's credentials may name, besides those whose names start with INTEROP_ (repeatable). A manifest cannot have any other variable read, so that it cannot send the runner's other secrets to its hosts.",
      multiple: true,
    }),
    'allow-private': Flags.boolean({
      description:
        'With --live: allow calling private, loopback and other special addresses (off by default).',
    }),
    'allow-unsafe': Flags.boolean({
      description:
        'With --live: also send one POST/PUT/PATCH with a malformed JSON body, to see that errors are answered with problem details. The report says so.',
    }),
    ca: Flags.string({
      description:
        "With --live: a PEM file of certificate authorities to trust besides the system's (repeatable).",
      multiple: true,
    }),
    timeout: Flags.integer({
      description:
        "With --live: seconds each request may take, redirects and body included (default: the configuration's live.timeout, else 10).",
      min: 1,
      max: 300,
    }),
    budget: Flags.integer({
      description:
        "With --live: seconds all requests together may take; requests not made by then are reported as not checked (default: the configuration's live.budget, else 300).",
      min: 1,
      max: 3600,
    }),
    'max-body': Flags.integer({
      description: 'With --live: the most KiB of a response body that is read.',
      min: 1,
      max: 1024 * 1024,
      default: 1024,
    }),
    'max-redirects': Flags.integer({
      description: 'With --live: redirects followed, and only within the same host.',
      min: 0,
      max: 10,
      default: 3,
    }),
    concurrency: Flags.integer({
      description: 'With --live: requests in flight to one host at a time.',
      min: 1,
      max: 32,
      default: 4,
    }),
    rate: Flags.integer({
      description: 'With --live: requests a second to one host.',
      min: 1,
      max: 100,
      default: 5,
    }),
    'save-inputs': Flags.string({
      description:
        'With --live: write what the service answered (credentials redacted) to live.json in this folder, for --from-inputs.',
    }),
    'from-inputs': Flags.string({
      description:
        'Run the live rules on a recording written by --save-inputs instead of calling the service (implies --live; no network).',
      exclusive: ['save-inputs'],
    }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'Show only findings at or above --fail-on and the summary; no progress messages.',
    }),
    color: Flags.boolean({
      description:
        'Colour the text output (default: when standard output is a terminal and NO_COLOR is unset).',
      allowNo: true,
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Check)
    // Flags first, then the configuration (.interop.yaml), then the defaults.
    const config = flags['no-config'] ? undefined : await loadConfig(process.cwd(), flags.config)
    const formats = (flags.format ?? config?.format ?? ['auto']).map((f) =>
      f === 'auto' ? autoFormat() : (f as Format),
    )
    const outputDir = flags['output-dir'] ?? (flags.output ? undefined : config?.outputDir)
    const lang = flags.lang ?? config?.lang ?? 'en'
    if (!languages().includes(lang))
      throw new InputError(
        `There is no catalogue for the language '${lang}': ${languages().join(', ')} are there.`,
        {
          ...(config ? { file: config.file } : {}),
          property: 'lang',
        },
      )
    const destinations = destinationsOf(formats, flags.output ?? [], outputDir)
    if (flags.checksums && destinations.some((d) => !d.file))
      throw new InputError('--checksums needs the reports in files: give --output or --output-dir.')
    if (destinations.some((d) => d.format === 'pdf' && !d.file) && process.stdout.isTTY)
      throw new InputError('A PDF is not for the terminal: write it to a file with --output report.pdf.')
    // Progress names the vendor's files, which a CI log would act on if they held commands.
    const log = flags.quiet ? undefined : (m: string) => process.stderr.write(`${inert(m)}\n`)
    const report = await runCheck({
      input: args.input,
      rulesets: flags.ruleset ?? [],
      ...(flags.baseline ? { baseline: flags.baseline } : {}),
      ...(flags['write-baseline'] ? { writeBaseline: flags['write-baseline'] } : {}),
      config: config ?? false,
      ...(flags['fail-on'] ? { failOn: flags['fail-on'] as 'error' | 'warn' | 'info' | 'none' } : {}),
      minScore: flags['min-score'],
      allowRemoteRefHosts: flags['allow-remote-ref'] ?? [],
      ruleTimeLimitMs: flags['rule-timeout'] * 1000,
      fhirPackages: flags['fhir-package'] ?? [],
      log,
      ...(flags.live || flags['from-inputs']
        ? {
            live: {
              allowHosts: [...(flags['allow-host'] ?? []), ...(config?.live?.allowHosts ?? [])],
              allowPrivate: flags['allow-private'] || config?.live?.allowPrivate === true,
              credentialEnv: [...(flags['credential-env'] ?? []), ...(config?.live?.credentialEnv ?? [])],
              allowUnsafe: flags['allow-unsafe'],
              timeoutMs: (flags.timeout ?? config?.live?.timeout ?? 10) * 1000,
              budgetMs: (flags.budget ?? config?.live?.budget ?? 300) * 1000,
              maxBodyBytes: flags['max-body'] * 1024,
              concurrency: flags.concurrency,
              maxRedirects: flags['max-redirects'],
              rate: flags.rate,
              ca: await readCaFiles([...(flags.ca ?? []), ...(config?.live?.ca ?? [])]),
              ...((flags.environment ?? config?.live?.environments)
                ? { environments: flags.environment ?? config!.live!.environments! }
                : {}),
              ...(flags['save-inputs'] ? { saveInputs: flags['save-inputs'] } : {}),
              ...(flags['from-inputs'] ? { fromInputs: flags['from-inputs'] } : {}),
              // Request-by-request progress only for a person watching, not in CI logs.
              ...(log && process.stderr.isTTY ? { log } : {}),
            },
          }
        : {}),
    })
    // Colour only for what goes to a terminal.
    const toTerminal = destinations.some((d) => !d.file) && process.stdout.isTTY === true
    const color = flags.color ?? (toTerminal && !process.env.NO_COLOR && process.env.TERM !== 'dumb')
    const options = {
      color,
      quiet: flags.quiet,
      lang,
      ...(flags['base-path'] ? { basePath: flags['base-path'] } : {}),
      ...(flags['sarif-category'] ? { category: flags['sarif-category'] } : {}),
    }
    if (outputDir) await mkdir(outputDir, { recursive: true })
    for (const { format, file } of destinations) {
      const content = await formatReport(report, format, options)
      if (!file) {
        process.stdout.write(content)
        continue
      }
      await writeOutput(file, content)
      if (flags.checksums) await writeChecksum(file, content)
      if (!flags.quiet) {
        const s = report.summary
        log?.(
          `Wrote ${file}: score ${s.score ?? 'n/a'}, ${s.counts.error} errors, ${s.counts.warn} warnings, ${s.counts.info} info — ${s.passed ? 'passed' : 'failed'}`,
        )
      }
    }
    // In GitHub Actions, the annotations come with the Markdown report as the job summary.
    const summary = process.env.GITHUB_STEP_SUMMARY
    if (summary && destinations.some((d) => d.format === 'github'))
      await appendFile(summary, await formatReport(report, 'markdown', options))
    process.exitCode = report.summary.passed ? EXIT.passed : EXIT.failed
  }
}

/** Where each format goes: its --output in the same order, its usual name in --output-dir, or standard output. */
export function destinationsOf(
  formats: Format[],
  outputs: string[],
  dir: string | undefined,
): { format: Format; file?: string }[] {
  if (outputs.length && outputs.length !== formats.length)
    throw new InputError(
      `Give one --output per --format, in the same order: ${formats.length} format${formats.length === 1 ? '' : 's'} (${formats.join(', ')}) but ${outputs.length} output${outputs.length === 1 ? '' : 's'}.`,
    )
  const toStdout = outputs.length ? outputs.filter((o) => o === '-').length : dir ? 0 : formats.length
  if (toStdout > 1)
    throw new InputError(
      `Only one format can go to standard output: give --output for each of ${formats.join(', ')} (- for the one on standard output), or --output-dir.`,
    )
  return formats.map((format, i) => ({
    format,
    ...(outputs[i] && outputs[i] !== '-'
      ? { file: outputs[i] }
      : !outputs.length && dir
        ? { file: path.join(dir, DEFAULT_FILES[format]) }
        : {}),
  }))
}

async function readCaFiles(files: string[]): Promise<string[]> {
  return Promise.all(
    files.map((f) =>
      readFile(f, 'utf8').catch(() => {
        throw new InputError('Certificate file not found.', { file: f })
      }),
    ),
  )
}
