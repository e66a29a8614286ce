import type { Services } from './services'
import { appParts } from './routes'
import { createWebApp } from './web/app'

export { UPLOAD_LIMIT_BYTES, routeDefsOf } from './web/app'

/** The whole application over its services: the web layer with every feature's parts (src/routes.ts). */
export function createApp(services: Services) {
  return createWebApp(services, appParts(services))
}
