import { describe, expect, it } from 'vitest'
import {
  IDENTIFIER_SYSTEMS,
  checkDanishCpr,
  checkIdentifier,
  checkNorwegianPersonalIdentity,
  checkSwedishPersonalIdentity,
  type IdentityCheck,
} from '../../src/fhir/identifiers.js'

// All numbers here are synthetic: 19121212-1212 is the test personnummer HL7 Sweden and others use in examples,
// 701063-2391 is Skatteverket's worked samordningsnummer example, 211062-5629 is python-stdnum's CPR example,
// and the rest were computed with the check digit algorithms for made-up dates.

const today = new Date('2024-06-01T12:00:00Z')
const se = (value: string) => checkSwedishPersonalIdentity(value, { today })

function problemOf(result: IdentityCheck): string {
  if (result.valid) throw new Error(`expected a problem, got a valid ${result.kind}`)
  return result.problem
}

describe('checkSwedishPersonalIdentity', () => {
  it('accepts the 12-digit form that FHIR profiles use', () => {
    expect(se('191212121212')).toEqual({ valid: true, kind: 'personnummer', birthDate: '1912-12-12' })
  })

  it('accepts the 12-digit form with a hyphen', () => {
    expect(se('19121212-1212')).toEqual({ valid: true, kind: 'personnummer', birthDate: '1912-12-12' })
  })

  it("reads the 10-digit form with '-' as under 100 years old", () => {
    expect(se('121212-1212')).toEqual({ valid: true, kind: 'personnummer', birthDate: '2012-12-12' })
    expect(se('551231-1233')).toEqual({ valid: true, kind: 'personnummer', birthDate: '1955-12-31' })
  })

  it("reads the 10-digit form with '+' as 100 years or older", () => {
    expect(se('121212+1212')).toEqual({ valid: true, kind: 'personnummer', birthDate: '1912-12-12' })
    expect(se('551231+1233')).toEqual({ valid: true, kind: 'personnummer', birthDate: '1855-12-31' })
  })

  it("switches to '+' in the year the person turns 100", () => {
    // Born 1924: 100 in 2024, so '+' means 1924 and '-' means 2024.
    expect(se('240101+1230')).toMatchObject({ birthDate: '1924-01-01' })
    expect(se('240101-1230')).toMatchObject({ birthDate: '2024-01-01' })
  })

  it('accepts a samordningsnummer (day + 60) and gives the real birth date', () => {
    expect(se('197010632391')).toEqual({ valid: true, kind: 'samordningsnummer', birthDate: '1970-10-03' })
    expect(se('701063-2391')).toEqual({ valid: true, kind: 'samordningsnummer', birthDate: '1970-10-03' })
    expect(se('19800191-0002')).toEqual({ valid: true, kind: 'samordningsnummer', birthDate: '1980-01-31' })
  })

  it('rejects a wrong check digit', () => {
    expect(se('19121212-1213')).toEqual({
      valid: false,
      kind: 'personnummer',
      problem: 'the check digit should be 2, not 3',
    })
    expect(se('197010632390')).toEqual({
      valid: false,
      kind: 'samordningsnummer',
      problem: 'the check digit should be 1, not 0',
    })
  })

  it('rejects impossible dates even with a correct check digit', () => {
    expect(problemOf(se('20230230-1235'))).toBe('2023-02-30 is not a date')
    expect(problemOf(se('19901301-1234'))).toBe('1990-13-01 is not a date')
    expect(problemOf(se('19900100-1234'))).toBe('1990-01-00 is not a date')
    expect(problemOf(se('19900145-1234'))).toBe('1990-01-45 is not a date')
  })

  it('rejects an impossible samordningsnummer date', () => {
    expect(se('20240290-1231')).toEqual({
      valid: false,
      kind: 'samordningsnummer',
      problem: '2024-02-30 is not a date',
    })
  })

  it('knows leap days', () => {
    expect(se('20240229-1237')).toMatchObject({ valid: true, birthDate: '2024-02-29' })
    expect(se('20000229-1235')).toMatchObject({ valid: true, birthDate: '2000-02-29' })
    expect(problemOf(se('20230229-1238'))).toBe('2023-02-29 is not a date')
    expect(problemOf(se('19000229-1235'))).toBe('1900-02-29 is not a date')
  })

  it('rejects a wrong length', () => {
    expect(se('191212121')).toEqual({
      valid: false,
      kind: 'personnummer',
      problem: 'a personnummer has 12 digits (YYYYMMDDNNNC), not 9',
    })
    expect(problemOf(se('1912121212121'))).toBe('a personnummer has 12 digits (YYYYMMDDNNNC), not 13')
    expect(problemOf(se(''))).toBe('a personnummer has 12 digits (YYYYMMDDNNNC), not 0')
  })

  it('rejects letters and spaces', () => {
    expect(problemOf(se('19121212-12A2'))).toBe(
      "a personnummer may contain only digits and a '-' or '+' before the last four, not 'A'",
    )
    expect(problemOf(se('19121212 1212'))).toBe(
      "a personnummer may contain only digits and a '-' or '+' before the last four, not a space",
    )
  })

  it('refuses the bare 10-digit form, whose century is a guess', () => {
    expect(problemOf(se('1212121212'))).toBe(
      "a 10-digit personnummer needs '-' or '+' before the last four digits (YYMMDD-NNNC), " +
        'or write all 12 digits (YYYYMMDDNNNC)',
    )
  })

  it("rejects '+' in the 12-digit form", () => {
    expect(problemOf(se('19121212+1212'))).toBe(
      "'+' is only used in the 10-digit form (YYMMDD+NNNC); the 12-digit form has the century",
    )
  })

  it('rejects a separator in the wrong place', () => {
    const problem = "the '-' or '+' must stand just before the last four digits (YYYYMMDD-NNNC)"
    expect(problemOf(se('1912121-21212'))).toBe(problem)
    expect(problemOf(se('12121-21212'))).toBe(problem)
  })

  it('reads the 10-digit form relative to the current year by default', () => {
    const result = checkSwedishPersonalIdentity('121212+1212')
    expect(result).toMatchObject({ valid: true, kind: 'personnummer' })
  })
})

describe('checkNorwegianPersonalIdentity', () => {
  const no = checkNorwegianPersonalIdentity

  it('accepts a fødselsnummer and gives the birth date', () => {
    expect(no('17059010182')).toEqual({ valid: true, kind: 'fødselsnummer', birthDate: '1990-05-17' })
  })

  it('takes the century from the individual number', () => {
    expect(no('01010000110')).toMatchObject({ valid: true, birthDate: '1900-01-01' }) // 000–499
    expect(no('01018060031')).toMatchObject({ valid: true, birthDate: '1880-01-01' }) // 500–749, year 54–99
    expect(no('01010550048')).toMatchObject({ valid: true, birthDate: '2005-01-01' }) // 500–999, year 00–39
    expect(no('01014590001')).toMatchObject({ valid: true, birthDate: '1945-01-01' }) // 900–999, year 40–99
  })

  it('rejects an individual number that no century uses for the year', () => {
    expect(no('01014560013')).toEqual({
      valid: false,
      kind: 'fødselsnummer',
      problem: 'the individual number 600 is not used for people born in a year ending in 45',
    })
    expect(problemOf(no('01014580049'))).toBe(
      'the individual number 800 is not used for people born in a year ending in 45',
    )
  })

  it('accepts a D-nummer (day + 40) without claiming a birth date', () => {
    expect(no('57059010095')).toEqual({ valid: true, kind: 'D-nummer' })
  })

  it('accepts an H-nummer (month + 40)', () => {
    expect(no('17459010084')).toEqual({ valid: true, kind: 'H-nummer', birthDate: '1990-05-17' })
  })

  it('accepts a felles hjelpenummer (first digit 8 or 9), which has no date', () => {
    expect(no('81234567055')).toEqual({ valid: true, kind: 'FH-nummer' })
    expect(no('81234567056')).toEqual({
      valid: false,
      kind: 'FH-nummer',
      problem: 'the second control digit should be 5, not 6',
    })
  })

  it('rejects a wrong first control digit', () => {
    expect(no('17059010192')).toEqual({
      valid: false,
      kind: 'fødselsnummer',
      problem: 'the first control digit should be 8, not 9',
    })
  })

  it('rejects a wrong second control digit', () => {
    expect(problemOf(no('17059010183'))).toBe('the second control digit should be 2, not 3')
  })

  it('rejects numbers whose control digit would be 10', () => {
    expect(problemOf(no('17059010000'))).toBe(
      'the first nine digits cannot have a first control digit (it would be 10)',
    )
    expect(problemOf(no('17059010930'))).toBe(
      'the first ten digits cannot have a second control digit (it would be 10)',
    )
  })

  it('rejects impossible dates', () => {
    expect(problemOf(no('31049010000'))).toBe('1990-04-31 is not a date')
    expect(problemOf(no('01139010000'))).toBe('1990-13-01 is not a date')
    expect(no('70020050000')).toEqual({ valid: false, kind: 'D-nummer', problem: '2000-02-30 is not a date' })
    expect(no('17539010000')).toEqual({ valid: false, kind: 'H-nummer', problem: '1990-13-17 is not a date' })
  })

  it('knows leap days', () => {
    expect(no('29020050088')).toMatchObject({ valid: true, birthDate: '2000-02-29' })
    expect(no('29020450051')).toMatchObject({ valid: true, birthDate: '2004-02-29' })
    expect(no('69020050071')).toEqual({ valid: true, kind: 'D-nummer' })
    expect(problemOf(no('29020150260'))).toBe('2001-02-29 is not a date')
    expect(problemOf(no('29020000064'))).toBe('1900-02-29 is not a date')
  })

  it('rejects a wrong length', () => {
    expect(no('1705901018')).toEqual({
      valid: false,
      kind: 'fødselsnummer',
      problem: 'a fødselsnummer has 11 digits (DDMMYYIIIKK), not 10',
    })
  })

  it('rejects letters and spaces', () => {
    expect(problemOf(no('1705901018X'))).toBe("a fødselsnummer contains only digits, not 'X'")
    expect(problemOf(no('170590 10182'))).toBe('a fødselsnummer contains only digits, not a space')
  })
})

describe('checkDanishCpr', () => {
  it('accepts DDMMYY-SSSS and DDMMYYSSSS', () => {
    expect(checkDanishCpr('211062-5629')).toEqual({
      valid: true,
      kind: 'CPR-nummer',
      birthDate: '1862-10-21',
    })
    expect(checkDanishCpr('2110620629')).toEqual({ valid: true, kind: 'CPR-nummer', birthDate: '1962-10-21' })
  })

  it('does not require modulus 11', () => {
    // 010101-1234 fails the old modulus-11 check (weighted sum 35); CPR has issued such numbers since 2007.
    expect(checkDanishCpr('010101-1234')).toEqual({
      valid: true,
      kind: 'CPR-nummer',
      birthDate: '1901-01-01',
    })
  })

  it.each([
    ['010136-0000', '1936-01-01'],
    ['010199-3000', '1999-01-01'],
    ['010136-4000', '2036-01-01'],
    ['010137-4000', '1937-01-01'],
    ['010157-5000', '2057-01-01'],
    ['010158-5000', '1858-01-01'],
    ['010100-8000', '2000-01-01'],
    ['010199-8000', '1899-01-01'],
    ['010136-9000', '2036-01-01'],
    ['010137-9000', '1937-01-01'],
  ])('takes the century of %s from the table: %s', (value, birthDate) => {
    expect(checkDanishCpr(value)).toEqual({ valid: true, kind: 'CPR-nummer', birthDate })
  })

  it('rejects impossible dates', () => {
    expect(checkDanishCpr('310401-1234')).toEqual({
      valid: false,
      kind: 'CPR-nummer',
      problem: '1901-04-31 is not a date',
    })
    expect(problemOf(checkDanishCpr('011301-1234'))).toBe('1901-13-01 is not a date')
    expect(problemOf(checkDanishCpr('000101-1234'))).toBe('1901-01-00 is not a date')
  })

  it('knows leap days, with the century from the table', () => {
    expect(checkDanishCpr('290200-4000')).toMatchObject({ valid: true, birthDate: '2000-02-29' })
    expect(checkDanishCpr('290260-5000')).toMatchObject({ valid: true, birthDate: '1860-02-29' })
    expect(problemOf(checkDanishCpr('290200-1000'))).toBe('1900-02-29 is not a date')
    expect(problemOf(checkDanishCpr('290258-5000'))).toBe('1858-02-29 is not a date')
  })

  it('rejects a wrong length', () => {
    expect(problemOf(checkDanishCpr('010101-123'))).toBe('a CPR-nummer has 10 digits (DDMMYY-SSSS), not 9')
    expect(problemOf(checkDanishCpr('01010112345'))).toBe('a CPR-nummer has 10 digits (DDMMYY-SSSS), not 11')
  })

  it('rejects letters and a misplaced hyphen', () => {
    expect(problemOf(checkDanishCpr('010101-12A4'))).toBe(
      "a CPR-nummer may contain only digits and a '-' after the date, not 'A'",
    )
    expect(problemOf(checkDanishCpr('01010-11234'))).toBe(
      "the '-' must stand between the date and the last four digits (DDMMYY-SSSS)",
    )
  })
})

describe('IDENTIFIER_SYSTEMS', () => {
  it.each([
    ['http://electronichealth.se/identifier/personnummer', 'personnummer'],
    ['http://electronichealth.se/identifier/samordningsnummer', 'samordningsnummer'],
    ['urn:oid:1.2.752.129.2.1.3.1', 'personnummer'],
    ['urn:oid:1.2.752.129.2.1.3.3', 'samordningsnummer'],
    ['urn:oid:2.16.578.1.12.4.1.4.1', 'fødselsnummer'],
    ['urn:oid:2.16.578.1.12.4.1.4.2', 'D-nummer'],
    ['urn:oid:2.16.578.1.12.4.1.4.3', 'FH-nummer'],
    ['urn:oid:1.2.208.176.1.2', 'CPR-nummer'],
    ['http://www.cpr.dk/cpr-systemet', 'CPR-nummer'],
  ])('knows %s', (system, kind) => {
    const known = IDENTIFIER_SYSTEMS.get(system)
    expect(known?.kinds).toEqual([kind])
    expect(known?.label).toBeTruthy()
  })
})

describe('checkIdentifier', () => {
  it('checks values of known systems', () => {
    expect(checkIdentifier('http://electronichealth.se/identifier/personnummer', '191212121212')).toEqual({
      valid: true,
      kind: 'personnummer',
      birthDate: '1912-12-12',
    })
    expect(checkIdentifier('urn:oid:1.2.752.129.2.1.3.3', '197010632391')).toMatchObject({
      valid: true,
      kind: 'samordningsnummer',
    })
    expect(checkIdentifier('urn:oid:2.16.578.1.12.4.1.4.1', '17059010182')).toMatchObject({ valid: true })
    expect(checkIdentifier('urn:oid:2.16.578.1.12.4.1.4.2', '57059010095')).toMatchObject({ valid: true })
    expect(checkIdentifier('urn:oid:2.16.578.1.12.4.1.4.3', '81234567055')).toMatchObject({ valid: true })
    expect(checkIdentifier('urn:oid:1.2.208.176.1.2', '2110625629')).toMatchObject({ valid: true })
  })

  it('passes on the problem of an invalid value', () => {
    expect(checkIdentifier('urn:oid:1.2.752.129.2.1.3.1', '191212121213')).toEqual({
      valid: false,
      kind: 'personnummer',
      problem: 'the check digit should be 2, not 3',
    })
  })

  it('returns undefined for unknown or missing systems', () => {
    expect(checkIdentifier('http://example.org/mrn', '191212121212')).toBeUndefined()
    expect(checkIdentifier(undefined, '191212121212')).toBeUndefined()
    // Inherited object properties are not systems.
    expect(checkIdentifier('constructor', '191212121212')).toBeUndefined()
    expect(checkIdentifier('__proto__', '191212121212')).toBeUndefined()
  })

  it('reports a missing value', () => {
    const problem = 'the identifier has no value, but a Danish CPR-nummer was expected'
    expect(checkIdentifier('urn:oid:1.2.208.176.1.2', undefined)).toEqual({
      valid: false,
      kind: 'CPR-nummer',
      problem,
    })
    expect(checkIdentifier('urn:oid:1.2.208.176.1.2', '')).toEqual({
      valid: false,
      kind: 'CPR-nummer',
      problem,
    })
  })

  it('reports a well-formed number of another kind filed under the system', () => {
    expect(checkIdentifier('http://electronichealth.se/identifier/personnummer', '197010632391')).toEqual({
      valid: false,
      kind: 'samordningsnummer',
      problem: 'the value is a samordningsnummer, but the system is for Swedish personnummer',
    })
    expect(checkIdentifier('urn:oid:1.2.752.129.2.1.3.3', '191212121212')).toMatchObject({
      valid: false,
      problem: 'the value is a personnummer, but the system is for Swedish samordningsnummer',
    })
    expect(checkIdentifier('urn:oid:2.16.578.1.12.4.1.4.1', '57059010095')).toEqual({
      valid: false,
      kind: 'D-nummer',
      problem: 'the value is a D-nummer, but the system is for Norwegian fødselsnummer',
    })
    expect(checkIdentifier('urn:oid:2.16.578.1.12.4.1.4.1', '17459010084')).toMatchObject({
      valid: false,
      problem: 'the value is an H-nummer, but the system is for Norwegian fødselsnummer',
    })
  })
})

describe('problem texts', () => {
  // Identifiers are personal data: a problem may name parts of the number, never the whole of it.
  const invalid: [string, (value: string) => IdentityCheck][] = [
    ['19121212-1213', se],
    ['20230230-1235', se],
    ['20240290-1231', se],
    ['17059010192', checkNorwegianPersonalIdentity],
    ['17059010183', checkNorwegianPersonalIdentity],
    ['01014560013', checkNorwegianPersonalIdentity],
    ['29020150260', checkNorwegianPersonalIdentity],
    ['310401-1234', checkDanishCpr],
    ['290200-1000', checkDanishCpr],
  ]

  it.each(invalid)('do not repeat %s', (value, check) => {
    const problem = problemOf(check(value))
    const digits = value.replace(/\D/g, '')
    expect(problem).not.toContain(value)
    expect(problem.replace(/\D/g, '')).not.toContain(digits)
    expect(problem.replace(/\D/g, '')).not.toContain(digits.slice(-10))
  })
})
