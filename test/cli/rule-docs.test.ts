import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

describe('interop rules docs', () => {
  it('writes a page per shipped rule and an index; docs/rules is what it writes now', () => {
    const out = tempFiles({})
    const r = cli(['rules', 'docs', '--output', out])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Wrote 65 rule pages and README\.md to /)
    const written = readdirSync(out).sort()
    expect(written).toEqual(readdirSync(path.join(ROOT, 'docs/rules')).sort())
    // Regenerate docs/rules with: npx interop rules docs --output docs/rules
    for (const f of written)
      expect(readFileSync(path.join(out, f), 'utf8'), f).toBe(
        readFileSync(path.join(ROOT, 'docs/rules', f), 'utf8'),
      )
    const page = readFileSync(path.join(out, 'problem-details.md'), 'utf8')
    expect(page).toMatch(/^# problem-details: /)
    expect(page).toMatch(/\*\*How to fix:\*\*/)
    expect(page).toMatch(/\| open-standards \| error \| 3 \|/)
    // Examples from the rule's own test cases, failing and passing.
    expect(page).toMatch(/### Fails\n\n#### .+\n\nReports `[a-z-]+`/)
    expect(page).toMatch(/### Passes\n\n#### .+\n\nNo finding\./)
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/\| \[semver\]\(semver\.md\) \|/)
  })

  it("documents a ruleset's own rules: declarative, from a rule module, and Spectral's", () => {
    const out = tempFiles({})
    const r = cli([
      'rules',
      'docs',
      '-o',
      out,
      '-r',
      path.join(ROOT, 'examples/plugin-norrvik/rulesets/norrvik.yaml'),
      '-r',
      path.join(ROOT, 'fixtures/peers/nl-adr/ruleset.yaml'),
    ])
    expect(r.status).toBe(0)
    const names = readdirSync(out)
    expect(names).toEqual(
      expect.arrayContaining([
        'norrvik-operation-tags.md',
        'norrvik-schema-names.md',
        'nlgov-semver.md',
        'semver.md',
      ]),
    )
    expect(readFileSync(path.join(out, 'norrvik-schema-names.md'), 'utf8')).toMatch(
      /## Definition\n\n```yaml\ngiven: \$\.components\.schemas\[\*\]~/,
    )
    expect(readFileSync(path.join(out, 'norrvik-operation-tags.md'), 'utf8')).toMatch(
      /\| `maxTags` \| integer \| `2` \|/,
    )
  })

  it('an output that is a file, or a bad ruleset, is bad input and writes nothing', () => {
    const dir = tempFiles({
      'taken.md': 'x',
      'bad.yaml': 'id: b\nversion: 1.0.0\ntitle: B\nrules:\n  nope: error\n',
    })
    const file = cli(['rules', 'docs', '-o', path.join(dir, 'taken.md')])
    expect(file.status).toBe(2)
    expect(file.stderr).toMatch(/it is a file/)
    const bad = cli(['rules', 'docs', '-o', path.join(dir, 'out'), '-r', path.join(dir, 'bad.yaml')])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/bad\.yaml:5:3: Unknown rule 'nope'/)
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'taken.md'])
  })
})
