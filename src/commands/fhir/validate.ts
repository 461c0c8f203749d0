import { Args, Flags } from '@oclif/core'
import { BaseCommand, EXIT } from '../../base-command.js'
import { operationOutcome, validateFhirFiles } from '../../services/fhir-validate.js'
import { writeOutput } from '../../services/output.js'

export default class FhirValidate extends BaseCommand {
  static override summary = 'Validate FHIR R4 JSON resources and Bundles on their own.'

  static override description = [
    'Checks each file against FHIR R4 (4.0.1): structure, types and formats against the official JSON Schema, real calendar dates, cardinality from the StructureDefinitions (required primitives included), error-level invariants (FHIRPath), required bindings offline, and codes their own code system does not define; and against the profiles it claims in meta.profile when their package is given (--fhir-package). The same checks the fhir ruleset runs in `interop check`.',
    'Exit codes: 0 no error-level issue; 1 an error-level issue; 2 a file that cannot be read or is not JSON.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> fixtures/services/care-journal/fhir/patient-tolvan.json',
    '<%= config.bin %> <%= command.id %> fhir/*.json --format operation-outcome',
    '<%= config.bin %> <%= command.id %> observation.json --fhir-package hl7.fhir.r4.examples',
  ]

  static override strict = false
  static override args = {
    files: Args.string({ description: 'FHIR JSON files (resources or Bundles).', required: true }),
  }

  static override flags = {
    format: Flags.string({
      char: 'f',
      description:
        'text for people; json for the issues as a list; operation-outcome for one FHIR OperationOutcome.',
      options: ['text', 'json', 'operation-outcome'],
      default: 'text',
    }),
    output: Flags.string({ char: 'o', description: 'Write the result to this file (whole or not at all).' }),
    'fhir-package': Flags.string({
      description:
        'A FHIR package with the profiles the resources claim in meta.profile: a folder, or an installed npm package (repeatable).',
      multiple: true,
    }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(FhirValidate)
    const issues = await validateFhirFiles(argv as string[], process.cwd(), flags['fhir-package'] ?? [])
    let text: string
    if (flags.format === 'operation-outcome') text = JSON.stringify(operationOutcome(issues), null, 2) + '\n'
    else if (flags.format === 'json') text = JSON.stringify(issues, null, 2) + '\n'
    else {
      const lines = issues.map(
        (i) =>
          `${i.file}${i.line !== undefined ? `:${i.line}:${i.column}` : ''}  ${i.severity.padEnd(7)}  ${i.check.padEnd(11)}  ${i.expression}: ${i.message}`,
      )
      const errors = issues.filter((i) => i.severity === 'error').length
      lines.push(
        `${(argv as string[]).length} file${(argv as string[]).length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${issues.length - errors} other issue${issues.length - errors === 1 ? '' : 's'}`,
      )
      text = lines.join('\n') + '\n'
    }
    if (flags.output) await writeOutput(flags.output, text)
    else process.stdout.write(text)
    process.exitCode = issues.some((i) => i.severity === 'error') ? EXIT.failed : EXIT.passed
  }
}
