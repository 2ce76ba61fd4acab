import { type JWTVerifyGetKey, jwtVerify } from 'jose'
import { BadRequestError } from '../../index.js'

/** The `events` member that makes a JWT a back-channel logout token. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

/** Seconds a logout token's `iat` may lie in the past (or, for clock skew, in the future). */
const MAX_AGE_SECONDS = 600

/** What a valid logout token says: whose sessions end. */
export interface LogoutTokenClaims {
  sub: string | null
  sid: string | null
  jti: string
  iat: number
}

const refuse = (why: string): never => {
  throw new BadRequestError(`Invalid logout token: ${why}.`)
}

/**
 * Validates a back-channel logout token as OpenID Connect Back-Channel Logout
 * 1.0 §2.6 asks: a JWS signed with an asymmetric key from the provider's JWKS
 * (never `none`, never HMAC), `iss` the provider, `aud` this client, `iat`
 * recent, `exp` (when present) not past, the back-channel logout event in
 * `events`, `sub` or `sid`, no `nonce`, and a `jti` (the caller refuses replays).
 * @throws BadRequestError for anything else
 */
export async function verifyLogoutToken(
  token: string,
  input: { issuer: string; clientId: string; keys: JWTVerifyGetKey; now: number },
): Promise<LogoutTokenClaims> {
  let payload: Record<string, unknown>
  try {
    ;({ payload } = await jwtVerify(token, input.keys, {
      issuer: input.issuer,
      audience: input.clientId,
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
      currentDate: new Date(input.now),
      clockTolerance: 60,
      requiredClaims: ['iat', 'jti'],
    }))
  } catch (error) {
    return refuse((error as { code?: string }).code ?? 'signature or claims')
  }
  const { events, sub, sid, nonce, jti, iat } = payload
  if (typeof iat !== 'number' || Math.abs(input.now / 1000 - iat) > MAX_AGE_SECONDS) refuse('iat is not recent')
  if (!events || typeof events !== 'object' || Array.isArray(events)) refuse('no events claim')
  const event = (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT]
  if (!event || typeof event !== 'object' || Array.isArray(event)) refuse('not a back-channel logout event')
  if (nonce !== undefined) refuse('a logout token carries no nonce')
  if (typeof jti !== 'string' || jti === '' || jti.length > 256) refuse('no jti')
  const subject = typeof sub === 'string' && sub !== '' ? sub : null
  const session = typeof sid === 'string' && sid !== '' ? sid : null
  if (subject === null && session === null) refuse('neither sub nor sid')
  return { sub: subject, sid: session, jti: jti as string, iat: iat as number }
}
