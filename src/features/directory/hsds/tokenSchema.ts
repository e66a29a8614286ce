import { z } from 'zod'
import { text } from '../../../forms/fields'
import { type ApiTokenScope, NAME_MAX, NATIONAL_XAPI_REFUSED, SCOPES } from './tokens'

/** The token's purpose: one of SCOPES; never xAPI for the national team (an establishment's learning record store). */
const scope = (national: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): ApiTokenScope => {
      const hit = SCOPES.find(x => x === v)
      if (!hit) {
        ctx.addIssue({ code: 'custom', message: 'Choose what the token is for' })
        return z.NEVER
      }
      if (national && hit === 'xapi') {
        ctx.addIssue({ code: 'custom', message: NATIONAL_XAPI_REFUSED })
        return z.NEVER
      }
      return hit
    })

/**
 * The form that makes an API token: who it is for and its purpose, every problem at once. `national`: the national
 * team makes it, for the national services.
 */
export const tokenFormSchema = (national: boolean) =>
  z.object({ name: text('who the token is for', NAME_MAX), scope: scope(national) })

export type TokenForm = z.infer<ReturnType<typeof tokenFormSchema>>
