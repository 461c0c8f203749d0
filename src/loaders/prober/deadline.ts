/**
 * A signal that aborts when `outer` does or `ms` milliseconds from now, whichever comes first, with
 * a TimeoutError as AbortSignal.timeout's. `clear` stops the timer once the work is done.
 *
 * Not `AbortSignal.any([outer, AbortSignal.timeout(ms)])`: Node 20 holds a timeout signal only
 * weakly, and one that is reachable only through a combined signal may be garbage-collected before
 * it fires, so the combined signal never aborts and the request it bounds runs on unbounded
 * (nodejs/node#57736). Here the timer holds the controller, so the signal lives until it fires or
 * is cleared.
 */
export function deadline(outer: AbortSignal, ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException(`The operation timed out after ${ms} ms.`, 'TimeoutError')),
    ms,
  )
  return { signal: AbortSignal.any([outer, controller.signal]), clear: () => clearTimeout(timer) }
}
