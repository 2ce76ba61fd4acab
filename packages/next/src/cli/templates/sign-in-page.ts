/** `app/login/page.tsx`: the sign-in page, honouring `?next=`; with Cache Components, request reads sit in `<Suspense>`. */
export function signInPage({ libImport, cacheComponents }: { libImport: string; cacheComponents: boolean }): string {
  const imports = `import { safeReturnPath } from '@baton/next'
import { redirect } from 'next/navigation'
${cacheComponents ? "import { Suspense } from 'react'\n" : ''}import { baton } from '${libImport}'
import { SignInForm } from './sign-in-form'

type SearchParams = Promise<Record<string, string | string[] | undefined>>
`
  const body = `  // Only a path on this site: \`?next=\` must never become an open redirect.
  const next = safeReturnPath((await searchParams).next) ?? '/'
  // Strict: a revoked session (valid token, dead session) must not bounce between here and \`next\`.
  if (await baton.session({ strict: true })) redirect(next)
`
  if (!cacheComponents)
    return `${imports}
/** The sign-in page (\`paths.signIn\`): the proxy sends signed-out visitors here with \`?next=\`. */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
${body}  return (
    <main>
      <h1>Sign in</h1>
      <SignInForm next={next} />
    </main>
  )
}
`
  return `${imports}
/** The sign-in page (\`paths.signIn\`): the proxy sends signed-out visitors here with \`?next=\`. */
export default function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <main>
      <h1>Sign in</h1>
      {/* Cache Components: what reads the request (searchParams, the session cookie) renders in <Suspense>. */}
      <Suspense fallback={<p>Loading…</p>}>
        <SignIn searchParams={searchParams} />
      </Suspense>
    </main>
  )
}

async function SignIn({ searchParams }: { searchParams: SearchParams }) {
${body}  return <SignInForm next={next} />
}
`
}
