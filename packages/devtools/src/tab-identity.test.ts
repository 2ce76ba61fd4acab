import { beforeEach, expect, it } from 'vitest'
import { relative, when } from './format.js'
import { newTabIdentity } from './tab-channel.js'

beforeEach(() => sessionStorage.clear())

it("a tab keeps its identity across its pages (sessionStorage is the tab's own); a new tab gets a new one", () => {
  const first = newTabIdentity()
  expect(first.label).toMatch(/^tab [0-9a-f]{4}$/)
  expect(newTabIdentity()).toEqual(first) // the next page of the same tab
  sessionStorage.clear() // another tab: its own, empty sessionStorage
  expect(newTabIdentity().id).not.toBe(first.id)
})

it('an identity that is not ours (tampered storage) is replaced', () => {
  sessionStorage.setItem('baton-devtools:tab', '<img src=x>')
  expect(newTabIdentity().id).toMatch(/^[0-9a-f]{8}$/)
})

it('times: seconds under ten minutes, then minutes, hours, days; the date only beyond a day', () => {
  const now = Date.UTC(2026, 11, 4, 8, 0, 0)
  expect(relative(now + 299_400, now)).toBe('in 299 s')
  expect(relative(now - 12 * 60_000, now)).toBe('12 min ago')
  expect(relative(now + 3 * 3_600_000, now)).toBe('in 3 h')
  expect(relative(now + 30 * 86_400_000, now)).toBe('in 30 d')
  expect(when(now + 60_000, now)).not.toContain('2026')
  expect(when(now + 30 * 86_400_000, now)).toMatch(/2026|2027|1\/3|3\/1/)
})
