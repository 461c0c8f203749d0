import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { InputError } from './errors.js'

/**
 * A package that contributes rulesets: an npm package (or an oclif plugin installed with
 * `interop plugins install` / `link`) whose package.json has
 * `"interop": { "rulesets": { "default": "./rulesets/x.yaml", "strict": "./rulesets/y.yaml" } }`.
 * Its rulesets are ordinary ruleset files; their code rules come in through `modules`.
 */
export interface RulesetPackage {
  name: string
  version: string
  root: string
  /** Ruleset files by name, absolute. */
  rulesets: Record<string, string>
}

/** Roots of the oclif plugins the CLI has loaded (installed or linked by the user). */
const pluginRoots = new Set<string>()

/** Called by the CLI with the roots of its user plugins, so rulesets can name them. */
export function registerPluginRoots(roots: Iterable<string>): void {
  for (const r of roots) pluginRoots.add(r)
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/

/** Splits `pkg`, `pkg/name`, `@scope/pkg` or `@scope/pkg/name` into the package and ruleset name. */
export function parsePackageRef(ref: string): { pkg: string; name?: string } | undefined {
  const m = /^((?:@[^/]+\/)?[^/@][^/]*)(?:\/([^/]+))?$/.exec(ref)
  if (!m || !PACKAGE_NAME.test(m[1]!)) return undefined
  return { pkg: m[1]!, ...(m[2] ? { name: m[2] } : {}) }
}

function readPackage(root: string): RulesetPackage | undefined {
  const file = path.join(root, 'package.json')
  if (!existsSync(file)) return undefined
  let pjson: { name?: unknown; version?: unknown; interop?: { rulesets?: unknown } }
  try {
    pjson = JSON.parse(readFileSync(file, 'utf8')) as typeof pjson
  } catch {
    return undefined
  }
  const declared = pjson.interop?.rulesets
  const rulesets: Record<string, string> = {}
  if (declared && typeof declared === 'object' && !Array.isArray(declared))
    for (const [name, rel] of Object.entries(declared))
      if (typeof rel === 'string') {
        const abs = path.resolve(root, rel)
        // A package's rulesets are files inside it.
        if (abs.startsWith(root + path.sep)) rulesets[name] = abs
      }
  return {
    name: String(pjson.name ?? path.basename(root)),
    version: String(pjson.version ?? ''),
    root,
    rulesets,
  }
}

/** The package's folder, looked for in node_modules from `from` upward, then among the CLI's plugins. */
function findPackageRoot(pkg: string, from: string): string | undefined {
  let dir = path.resolve(from)
  for (;;) {
    const candidate = path.join(dir, 'node_modules', ...pkg.split('/'))
    if (existsSync(path.join(candidate, 'package.json'))) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  for (const root of pluginRoots) if (readPackage(root)?.name === pkg) return root
  return undefined
}

/**
 * The ruleset file a package reference names, or undefined when `ref` does not look like one.
 * A package that is not installed, or has no such ruleset, is bad input.
 */
export function resolvePackageRuleset(
  ref: string,
  from: string,
): { file: string; pkg: RulesetPackage } | undefined {
  const parsed = parsePackageRef(ref)
  if (!parsed) return undefined
  const root = findPackageRoot(parsed.pkg, from)
  if (!root)
    throw new InputError(
      `Unknown ruleset '${ref}': no shipped ruleset, file or installed package of that name. ` +
        `Install the package (npm install ${parsed.pkg}, or interop plugins install ${parsed.pkg}), or give the path to a ruleset file.`,
    )
  const pkg = readPackage(root)!
  const names = Object.keys(pkg.rulesets)
  if (!names.length)
    throw new InputError(
      `The package '${parsed.pkg}' has no rulesets: its package.json has no "interop": { "rulesets": { … } }.`,
      { file: path.join(root, 'package.json') },
    )
  const name = parsed.name ?? (pkg.rulesets.default ? 'default' : names.length === 1 ? names[0]! : undefined)
  if (!name || !pkg.rulesets[name])
    throw new InputError(
      `The package '${parsed.pkg}' has no ruleset '${parsed.name ?? 'default'}'; it has ${names.join(', ')} (name one as ${parsed.pkg}/${names[0]}).`,
    )
  const file = pkg.rulesets[name]!
  if (!existsSync(file))
    throw new InputError(`The package '${parsed.pkg}' names a ruleset file it does not contain.`, {
      file: path.join(root, 'package.json'),
    })
  return { file, pkg }
}

/** The ruleset packages the CLI's plugins provide (for `interop rulesets list`). */
export function pluginPackages(): RulesetPackage[] {
  return [...pluginRoots]
    .map(readPackage)
    .filter((p): p is RulesetPackage => !!p && Object.keys(p.rulesets).length > 0)
}

/** The ruleset packages among the dependencies of the project whose package.json is in `cwd`. */
export function projectPackages(cwd: string): RulesetPackage[] {
  const file = path.join(cwd, 'package.json')
  if (!existsSync(file)) return []
  let pjson: Record<string, unknown>
  try {
    pjson = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    return []
  }
  const names = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((k) =>
    pjson[k] && typeof pjson[k] === 'object' ? Object.keys(pjson[k] as object) : [],
  )
  return names
    .map((n) => findPackageRoot(n, cwd))
    .filter((r): r is string => !!r)
    .map(readPackage)
    .filter((p): p is RulesetPackage => !!p && Object.keys(p.rulesets).length > 0)
}
