/**
 * A deterministic sequence of numbers below n (a linear congruential generator): tests that break
 * or shuffle inputs "at random" do it the same way on every run, so a failure can be replayed.
 */
export function numbers(seed: number): (n: number) => number {
  let s = seed
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s % n
  }
}
