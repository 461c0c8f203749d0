import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * The ready-made CI integrations run as each CI system would run them: their commands taken from
 * action.yml and docs/ci/, run with bash in a fresh folder with that CI system's variables, and what
 * they print and write checked. Installing interop (npm ci) is the one step not repeated here.
 */
const SERVICE = path.join(ROOT, 'fixtures/services/mixed-permits/interop.yaml')
const BASE_ENV = {
  ...process.env,
  GITHUB_ACTIONS: '',
  GITHUB_STEP_SUMMARY: '',
  TF_BUILD: '',
  GITLAB_CI: '',
  JENKINS_URL: '',
  NO_COLOR: '1',
  SOURCE_DATE_EPOCH: '1767225600',
}
function bash(script: string, env: Record<string, string>, cwd: string) {
  return spawnSync('bash', ['-c', script], {
    cwd,
    env: { ...BASE_ENV, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
}
const read = (dir: string, f: string) => readFileSync(path.join(dir, f), 'utf8')

describe('ready-made CI integrations', () => {
  it('GitHub Action: annotations, the job summary, a SARIF file and the exit status for the gate', () => {
    const action = parse(read(ROOT, 'action.yml')) as {
      inputs: Record<string, { default?: string }>
      runs: { steps: { id?: string; run?: string; env?: Record<string, string> }[] }
    }
    const step = action.runs.steps.find((s) => s.id === 'check')!
    const dir = tempFiles({ 'output.txt': '', 'summary.md': '' })
    const inputs = Object.fromEntries(
      Object.entries(action.inputs).map(([k, v]) => [
        `INPUT_${k.toUpperCase().replace(/-/g, '_')}`,
        v.default ?? '',
      ]),
    )
    const r = bash(
      step.run!,
      {
        ...inputs,
        INPUT_MANIFEST: SERVICE,
        INPUT_RULESETS: 'municipal-baseline',
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_OUTPUT: path.join(dir, 'output.txt'),
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
      },
      dir,
    )
    expect(r.status).toBe(0) // the script records the status; the Gate step fails the job
    expect(r.stdout).toMatch(/^::error file=.*mixed-permits\/interop\.yaml,line=37,/m)
    expect(read(dir, 'output.txt')).toBe('status=1\nsarif-file=interop.sarif\n')
    const sarif = JSON.parse(read(dir, 'interop.sarif'))
    expect(sarif.runs[0].automationDetails.id).toBe('interop/')
    expect(read(dir, 'summary.md')).toMatch(/^# Compliance report: Bygglov e-tjänst/)
  })

  it('GitLab CI: Code Quality and JUnit reports where the artifacts say', () => {
    const job = (
      parse(read(ROOT, 'docs/ci/gitlab-ci.yml')) as Record<
        string,
        { script: string[]; artifacts: { reports: Record<string, string>; paths: string[] } }
      >
    ).interop!
    const command = job.script
      .find((l) => l.includes('bin/run.js" check'))!
      .replace(' interop.yaml ', ` ${SERVICE} `)
    const dir = tempFiles({})
    const r = bash(command, { INTEROP_DIR: ROOT, GITLAB_CI: 'true', CI: 'true' }, dir)
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/FAILED: 2 findings at or above 'error'/)
    const quality = JSON.parse(read(dir, job.artifacts.reports.codequality!))
    expect(quality.length).toBeGreaterThan(0)
    expect(XMLValidator.validate(read(dir, job.artifacts.reports.junit!))).toBe(true)
    for (const p of job.artifacts.paths) expect(existsSync(path.join(dir, p))).toBe(true)
  })

  it('Azure Pipelines: logging commands for the run and JUnit for PublishTestResults', () => {
    const pipeline = parse(read(ROOT, 'docs/ci/azure-pipelines.yml')) as {
      steps: { script?: string; displayName?: string; task?: string; inputs?: Record<string, string> }[]
    }
    const command = pipeline.steps
      .find((s) => s.displayName === 'Check the service')!
      .script!.replace(/\$\(INTEROP_DIR\)/g, ROOT)
      .replace(' interop.yaml ', ` ${SERVICE} `)
    const dir = tempFiles({})
    const r = bash(command, { TF_BUILD: 'True' }, dir)
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(
      /^##vso\[task\.logissue type=error;sourcepath=.*;linenumber=37;columnnumber=3;code=exit-declarations\]/m,
    )
    const publish = pipeline.steps.find((s) => s.task === 'PublishTestResults@2')!
    expect(XMLValidator.validate(read(dir, publish.inputs!.testResultsFiles!))).toBe(true)
  })

  it('Jenkins: JUnit for the junit step and SARIF for recordIssues', () => {
    const jenkinsfile = read(ROOT, 'docs/ci/Jenkinsfile')
    const command = /sh '(node "\$INTEROP_DIR\/bin\/run\.js" check [^']+)'/
      .exec(jenkinsfile)![1]!
      .replace(' interop.yaml ', ` ${SERVICE} `)
    const dir = tempFiles({})
    const r = bash(command, { INTEROP_DIR: ROOT, JENKINS_URL: 'http://jenkins.example/' }, dir)
    expect(r.status).toBe(1)
    expect(XMLValidator.validate(read(dir, /junit '([^']+)'/.exec(jenkinsfile)![1]!))).toBe(true)
    expect(JSON.parse(read(dir, /sarif\(pattern: '([^']+)'\)/.exec(jenkinsfile)![1]!)).version).toBe('2.1.0')
  })

  it('--format auto, the default, picks the job log format of the CI system it runs in', () => {
    const run = (env: Record<string, string>) =>
      cli(['check', 'fixtures/services/mixed-permits/interop.yaml'], { env: { CI: 'true', ...env } }).stdout
    expect(run({ GITHUB_ACTIONS: 'true' })).toMatch(/^::error file=/)
    expect(run({ TF_BUILD: 'True' })).toMatch(/^##vso\[task\.logissue type=error;/)
    expect(run({ GITLAB_CI: 'true' })).toMatch(/^Bygglov e-tjänst 2\.3\.0 — Ritbordet Systems AB/)
    expect(run({ JENKINS_URL: 'http://jenkins.example/' })).toMatch(/^Bygglov e-tjänst/)
    expect(run({})).toMatch(/^Bygglov e-tjänst/)
    // A GitHub run also writes the job summary, without being asked.
    const summary = path.join(tempFiles({ 's.md': '' }), 's.md')
    run({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary })
    expect(readFileSync(summary, 'utf8')).toMatch(/^# Compliance report/)
  })
})

// A quick guard that the templates stay valid YAML for their CI systems' parsers.
it('the CI templates are valid YAML', () => {
  for (const f of [
    'action.yml',
    'docs/ci/github.yml',
    'docs/ci/gitlab-ci.yml',
    'docs/ci/azure-pipelines.yml',
  ])
    expect(() => parse(read(ROOT, f))).not.toThrow()
})
