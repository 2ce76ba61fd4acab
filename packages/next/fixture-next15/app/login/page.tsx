/** A static sign-in page: the test only needs the redirect target to exist. */
export default function Login() {
  return (
    <main>
      <h1>Sign in</h1>
    </main>
  )
}
