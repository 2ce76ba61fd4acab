/** Settles like `promise`, or rejects with a TimeoutError after `ms` (the work itself is not cancelled). */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DOMException(`No answer within ${ms} ms.`, 'TimeoutError')), ms)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}
