/**
 * Checks of Nordic national person identifiers as they appear in FHIR `Identifier` elements.
 *
 * The checks are pure: they look at the value only, never at a register. A valid result means the value is
 * well formed (real date, right check digits), not that the number was ever issued.
 *
 * Problem texts never repeat the whole value, because an identifier is personal data and problems end up in
 * reports and logs; they name the part that is wrong (the date, a check digit) instead.
 */

export type IdentityCheck =
  { valid: true; kind: string; birthDate?: string } | { valid: false; kind: string; problem: string }

function ok(kind: string, birthDate?: string): IdentityCheck {
  return birthDate === undefined ? { valid: true, kind } : { valid: true, kind, birthDate }
}

function bad(kind: string, problem: string): IdentityCheck {
  return { valid: false, kind, problem }
}

// ---------------------------------------------------------------------------------------------------------
// Shared helpers

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** ISO-like text even for impossible dates, so the problem text can show what the number claims. */
function formatDate(year: number, month: number, day: number): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0')
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
}

function digitsOf(text: string): number[] {
  return [...text].map(Number)
}

function countDigits(text: string): number {
  return text.replace(/\D/g, '').length
}

/** The first character that is not allowed, quoted for a problem text (one character is not personal data). */
function firstForeignCharacter(value: string, allowed: RegExp): string | undefined {
  return [...value].find((c) => !allowed.test(c))
}

/** 'an H-nummer', 'a D-nummer': the article goes by how the first letter is spoken. */
function withArticle(noun: string): string {
  return /^(?:[aeiou]|H-|FH-)/i.test(noun) ? `an ${noun}` : `a ${noun}`
}

function describeCharacter(c: string): string {
  return c.trim() === '' ? 'a space' : `'${c}'`
}

// ---------------------------------------------------------------------------------------------------------
// Sweden: personnummer and samordningsnummer

/**
 * Luhn check digit (Skatteverket's "modulus 10 with weights 2 and 1") over the nine digits YYMMDDNNN.
 * Skatteverket computes it over the 10-digit form even where the number is stored with 12 digits, so the
 * century digits never take part.
 */
function luhnCheckDigit(nineDigits: string): number {
  let sum = 0
  digitsOf(nineDigits).forEach((digit, i) => {
    const product = digit * (i % 2 === 0 ? 2 : 1)
    sum += product > 9 ? product - 9 : product
  })
  return (10 - (sum % 10)) % 10
}

const SWEDISH_12 = /^(\d{4})(\d{2})(\d{2})-?(\d{3})(\d)$/
const SWEDISH_10 = /^(\d{2})(\d{2})(\d{2})([-+])(\d{3})(\d)$/

export interface SwedishCheckOptions {
  /**
   * The day the 10-digit form is read on. Its separator only says whether the person is under 100 ('-') or
   * has turned 100 this year or earlier ('+'), so the century depends on when the number is read.
   */
  today?: Date
}

/**
 * Checks a Swedish personnummer or samordningsnummer.
 *
 * Accepted forms: YYYYMMDDNNNC (what Swedish FHIR profiles use), YYYYMMDD-NNNC (as in HL7 Sweden's own
 * examples), and the 10-digit YYMMDD-NNNC / YYMMDD+NNNC of Folkbokföringslagen 18 §, where '+' replaces '-'
 * from the year the person turns 100. The bare 10-digit form YYMMDDNNNC is refused: without the separator
 * the century is a guess.
 *
 * A samordningsnummer has 60 added to the day (Folkbokföringslagen 18 a §); its check digit is computed the
 * same way.
 */
export function checkSwedishPersonalIdentity(
  value: string,
  options: SwedishCheckOptions = {},
): IdentityCheck {
  const generic = 'personnummer'

  const foreign = firstForeignCharacter(value, /[0-9+-]/)
  if (foreign !== undefined) {
    return bad(
      generic,
      `a personnummer may contain only digits and a '-' or '+' before the last four, not ${describeCharacter(foreign)}`,
    )
  }

  let year: number
  let yymmddnnn: string
  let month: number
  let rawDay: number
  let checkDigit: number

  const long = SWEDISH_12.exec(value)
  const short = SWEDISH_10.exec(value)
  if (long) {
    const [, yyyy = '', mm = '', dd = '', nnn = '', c = ''] = long
    year = Number(yyyy)
    month = Number(mm)
    rawDay = Number(dd)
    yymmddnnn = yyyy.slice(2) + mm + dd + nnn
    checkDigit = Number(c)
  } else if (short) {
    const [, yy = '', mm = '', dd = '', separator = '', nnn = '', c = ''] = short
    const thisYear = (options.today ?? new Date()).getFullYear()
    // '-': born in the last 100 years (0–99 years old this year); '+': 100 or more this year.
    const underHundred = thisYear - ((((thisYear - Number(yy)) % 100) + 100) % 100)
    year = separator === '+' ? underHundred - 100 : underHundred
    month = Number(mm)
    rawDay = Number(dd)
    yymmddnnn = yy + mm + dd + nnn
    checkDigit = Number(c)
  } else {
    const digits = countDigits(value)
    if (digits === 10 && !/[-+]/.test(value)) {
      return bad(
        generic,
        "a 10-digit personnummer needs '-' or '+' before the last four digits (YYMMDD-NNNC), " +
          'or write all 12 digits (YYYYMMDDNNNC)',
      )
    }
    if (digits === 12 && value.includes('+')) {
      return bad(
        generic,
        "'+' is only used in the 10-digit form (YYMMDD+NNNC); the 12-digit form has the century",
      )
    }
    if (digits === 10 || digits === 12) {
      return bad(generic, "the '-' or '+' must stand just before the last four digits (YYYYMMDD-NNNC)")
    }
    return bad(generic, `a personnummer has 12 digits (YYYYMMDDNNNC), not ${digits}`)
  }

  const coordination = rawDay > 60
  const kind = coordination ? 'samordningsnummer' : 'personnummer'
  const day = coordination ? rawDay - 60 : rawDay
  if (!isRealDate(year, month, day)) {
    return bad(kind, `${formatDate(year, month, day)} is not a date`)
  }

  const expected = luhnCheckDigit(yymmddnnn)
  if (expected !== checkDigit) {
    return bad(kind, `the check digit should be ${expected}, not ${checkDigit}`)
  }
  return ok(kind, formatDate(year, month, day))
}

// ---------------------------------------------------------------------------------------------------------
// Norway: fødselsnummer, D-nummer, H-nummer, felles hjelpenummer

const NORWEGIAN_K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2]
const NORWEGIAN_K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]

/** Mod-11 control digit; undefined when the remainder would make it 10, which no issued number has. */
function mod11ControlDigit(digits: readonly number[], weights: readonly number[]): number | undefined {
  const sum = weights.reduce((acc, weight, i) => acc + weight * (digits[i] ?? 0), 0)
  const control = 11 - (sum % 11)
  if (control === 11) return 0
  return control === 10 ? undefined : control
}

/**
 * Century from the individual number (digits 7–9), as the folkeregister regulation (§ 2-2) and Direktoratet
 * for e-helse's "Identifikatorer for personer" list the series: 000–499 → 1900–1999; 500–749 with year
 * 54–99 → 1854–1899; 500–999 with year 00–39 → 2000–2039; 900–999 with year 40–99 → 1940–1999.
 * Anything else was never issued.
 */
function norwegianCentury(individual: number, yy: number): number | undefined {
  if (individual <= 499) return 1900
  if (individual <= 749 && yy >= 54) return 1800
  if (yy <= 39) return 2000
  if (individual >= 900) return 1900
  return undefined
}

/**
 * Checks a Norwegian 11-digit person number, DDMMYYIIIKK:
 * - fødselsnummer: the plain date;
 * - D-nummer: 40 added to the day (Skatteetaten; UDI's "d-nummer" pages);
 * - H-nummer: 40 added to the month, otherwise built like a fødselsnummer (KITH-rapport 11/98, carried into
 *   HIS 1001:2010 "Identifikatorer for personer"). H-numbers are local to one health organisation;
 * - FH-nummer (felles hjelpenummer): first digit 8 or 9 and the rest random apart from the two control
 *   digits, which follow the fødselsnummer rules (Norsk helsenett, "Hva er felles hjelpenummer?"). It has
 *   no date.
 *
 * Control digits: K1 with weights 3 7 6 1 8 9 4 5 2 over the first nine digits, K2 with weights
 * 5 4 3 2 7 6 5 4 3 2 over the first ten; 11 - (sum mod 11), where 11 becomes 0 and 10 means the number
 * cannot exist.
 *
 * From 1 January 2032 Skatteetaten issues fødselsnumre and D-numre with a new control calculation (its page
 * "Nye fødselsnummer og d-nummer fra 2032" says the new rule accepts more remainders than today's, and that
 * the digits for control, gender and birth date will be read in a new way). Those numbers will fail the K1
 * check here. The exact new rule is not implemented: it should be added from Skatteetaten's specification,
 * not guessed.
 */
export function checkNorwegianPersonalIdentity(value: string): IdentityCheck {
  const generic = 'fødselsnummer'

  const foreign = firstForeignCharacter(value, /[0-9]/)
  if (foreign !== undefined) {
    return bad(generic, `a fødselsnummer contains only digits, not ${describeCharacter(foreign)}`)
  }
  if (value.length !== 11) {
    return bad(generic, `a fødselsnummer has 11 digits (DDMMYYIIIKK), not ${value.length}`)
  }

  const digits = digitsOf(value)
  const first = digits[0] ?? 0
  const rawDay = Number(value.slice(0, 2))
  const rawMonth = Number(value.slice(2, 4))
  const yy = Number(value.slice(4, 6))
  const individual = Number(value.slice(6, 9))

  let kind: string
  let birthDate: string | undefined
  if (first >= 8) {
    kind = 'FH-nummer'
  } else {
    const dNumber = rawDay > 40
    const hNumber = !dNumber && rawMonth > 40
    kind = dNumber ? 'D-nummer' : hNumber ? 'H-nummer' : 'fødselsnummer'
    const day = dNumber ? rawDay - 40 : rawDay
    const month = hNumber ? rawMonth - 40 : rawMonth

    const century = norwegianCentury(individual, yy)
    if (century === undefined) {
      return bad(
        kind,
        `the individual number ${value.slice(6, 9)} is not used for people born in a year ending in ${value.slice(4, 6)}`,
      )
    }
    const year = century + yy
    if (!isRealDate(year, month, day)) {
      return bad(kind, `${formatDate(year, month, day)} is not a date`)
    }
    // A D-nummer's date may be the day it was registered rather than the birthday: UDI says the registration
    // day and month are used when no number is free for the birth date. So it is no reliable birth date.
    birthDate = dNumber ? undefined : formatDate(year, month, day)
  }

  const k1 = mod11ControlDigit(digits, NORWEGIAN_K1_WEIGHTS)
  if (k1 === undefined) {
    return bad(kind, 'the first nine digits cannot have a first control digit (it would be 10)')
  }
  if (k1 !== digits[9]) {
    return bad(kind, `the first control digit should be ${k1}, not ${digits[9]}`)
  }
  const k2 = mod11ControlDigit(digits, NORWEGIAN_K2_WEIGHTS)
  if (k2 === undefined) {
    return bad(kind, 'the first ten digits cannot have a second control digit (it would be 10)')
  }
  if (k2 !== digits[10]) {
    return bad(kind, `the second control digit should be ${k2}, not ${digits[10]}`)
  }
  return ok(kind, birthDate)
}

// ---------------------------------------------------------------------------------------------------------
// Denmark: CPR-nummer

/**
 * Century from the 7th digit and the two-digit year, after CPR-kontoret's table ("Personnummeret i
 * CPR-systemet", cpr.dk): 0–3 → 1900–1999; 4 and 9 → 2000–2036 for years 00–36, else 1937–1999;
 * 5–8 → 2000–2057 for years 00–57, else 1858–1899. Every combination maps to a century.
 */
function danishCentury(seventh: number, yy: number): number {
  if (seventh <= 3) return 1900
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 : 1900
  return yy <= 57 ? 2000 : 1800
}

/**
 * Checks a Danish CPR-nummer, DDMMYY-SSSS or DDMMYYSSSS.
 *
 * Deliberately no modulus-11 check: CPR-kontoret has issued numbers that fail it since 1 October 2007 and asks
 * users not to rely on it, so a mod-11 failure says nothing about validity.
 */
export function checkDanishCpr(value: string): IdentityCheck {
  const kind = 'CPR-nummer'

  const foreign = firstForeignCharacter(value, /[0-9-]/)
  if (foreign !== undefined) {
    return bad(
      kind,
      `a CPR-nummer may contain only digits and a '-' after the date, not ${describeCharacter(foreign)}`,
    )
  }
  const match = /^(\d{2})(\d{2})(\d{2})-?(\d)\d{3}$/.exec(value)
  if (!match) {
    const digits = countDigits(value)
    if (digits === 10) {
      return bad(kind, "the '-' must stand between the date and the last four digits (DDMMYY-SSSS)")
    }
    return bad(kind, `a CPR-nummer has 10 digits (DDMMYY-SSSS), not ${digits}`)
  }

  const [, dd = '', mm = '', yy = '', seventh = ''] = match
  const year = danishCentury(Number(seventh), Number(yy)) + Number(yy)
  const month = Number(mm)
  const day = Number(dd)
  if (!isRealDate(year, month, day)) {
    return bad(kind, `${formatDate(year, month, day)} is not a date`)
  }
  return ok(kind, formatDate(year, month, day))
}

// ---------------------------------------------------------------------------------------------------------
// FHIR identifier systems

export interface KnownIdentifierSystem {
  /** What the system identifies, for messages. */
  label: string
  check: (value: string) => IdentityCheck
  /**
   * The kinds the system may carry. The checkers recognise related kinds by their digits (a samordningsnummer
   * is a personnummer with day + 60), so a well-formed number of another kind is filed under the wrong system.
   */
  kinds: readonly string[]
}

const swedishPersonnummer: KnownIdentifierSystem = {
  label: 'Swedish personnummer',
  check: (value) => checkSwedishPersonalIdentity(value),
  kinds: ['personnummer'],
}
const swedishSamordningsnummer: KnownIdentifierSystem = {
  label: 'Swedish samordningsnummer',
  check: (value) => checkSwedishPersonalIdentity(value),
  kinds: ['samordningsnummer'],
}
const danishCpr: KnownIdentifierSystem = {
  label: 'Danish CPR-nummer',
  check: checkDanishCpr,
  kinds: ['CPR-nummer'],
}

/**
 * FHIR `Identifier.system` values of national person identifiers, and how to check their values.
 * A Map rather than an object so that a system such as "constructor" cannot hit an inherited property.
 */
export const IDENTIFIER_SYSTEMS: ReadonlyMap<string, KnownIdentifierSystem> = new Map([
  // HL7 Sweden base profiles (github.com/HL7Sweden/basprofiler-r4, SEBasePatient in input/fsh/patient.fsh)
  // slice Patient.identifier on exactly these two system URIs.
  ['http://electronichealth.se/identifier/personnummer', swedishPersonnummer],
  ['http://electronichealth.se/identifier/samordningsnummer', swedishSamordningsnummer],
  // The OIDs Inera's RIVTA contracts use for the same numbers (PersonIdType in the rivta-domains best-practice
  // wiki: personnummer 1.2.752.129.2.1.3.1, samordningsnummer 1.2.752.129.2.1.3.3); they appear as urn:oid
  // systems in FHIR data converted from those contracts.
  ['urn:oid:1.2.752.129.2.1.3.1', swedishPersonnummer],
  ['urn:oid:1.2.752.129.2.1.3.3', swedishSamordningsnummer],
  // HL7 Norway no-basis-Patient (hl7.no/fhir/StructureDefinition/no-basis-Patient) fixes these systems on its
  // FNR, DNR and FHN identifier slices; no-basis has no http URIs for them. Its H-nummer slice has the local
  // system "HNR" plus an assigner, so there is no national system to list for H-numbers.
  [
    'urn:oid:2.16.578.1.12.4.1.4.1',
    { label: 'Norwegian fødselsnummer', check: checkNorwegianPersonalIdentity, kinds: ['fødselsnummer'] },
  ],
  [
    'urn:oid:2.16.578.1.12.4.1.4.2',
    { label: 'Norwegian D-nummer', check: checkNorwegianPersonalIdentity, kinds: ['D-nummer'] },
  ],
  [
    'urn:oid:2.16.578.1.12.4.1.4.3',
    {
      label: 'Norwegian felles hjelpenummer (FH-nummer)',
      check: checkNorwegianPersonalIdentity,
      kinds: ['FH-nummer'],
    },
  ],
  // HL7 Denmark dk-core: DkCoreCprIdentifier fixes system = urn:oid:1.2.208.176.1.2. Its NamingSystem "cpr"
  // also lists the URI http://www.cpr.dk/cpr-systemet as a second uniqueId for the same register.
  ['urn:oid:1.2.208.176.1.2', danishCpr],
  ['http://www.cpr.dk/cpr-systemet', danishCpr],
])

/**
 * Checks the value of an identifier whose system is a known national person identifier system.
 * Returns undefined when the system is absent or not one of IDENTIFIER_SYSTEMS: then there is nothing to say.
 */
export function checkIdentifier(
  system: string | undefined,
  value: string | undefined,
): IdentityCheck | undefined {
  if (system === undefined) return undefined
  const known = IDENTIFIER_SYSTEMS.get(system)
  if (known === undefined) return undefined

  const expectedKind = known.kinds[0] ?? known.label
  if (value === undefined || value === '') {
    return bad(expectedKind, `the identifier has no value, but ${withArticle(known.label)} was expected`)
  }
  const result = known.check(value)
  if (result.valid && !known.kinds.includes(result.kind)) {
    return bad(result.kind, `the value is ${withArticle(result.kind)}, but the system is for ${known.label}`)
  }
  return result
}
