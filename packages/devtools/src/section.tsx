import { type ReactNode, useId } from 'react'

/** A panel section labelled by its heading. */
export function Section({ title, children }: { title: string; children: ReactNode }): ReactNode {
  const id = useId()
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  )
}

/** A `<dl>` of name → text pairs (names unique). */
export function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }): ReactNode {
  return <dl>{rows.map(([name, text]) => [<dt key={`t${name}`}>{name}</dt>, <dd key={`d${name}`}>{text}</dd>])}</dl>
}
